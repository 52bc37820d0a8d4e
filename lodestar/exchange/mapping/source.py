"""Reading a spreadsheet of any shape: one CSV file, or an XLSX workbook's first sheet that
holds anything. The reader's checks and limits hold (`exchange.reader`: size, zip bombs,
encodings, formulas, merged cells, cells and rows too long), and a mapped file is smaller
still: at most `MAPPED_ROWS` rows, since its preview checks every row in the request."""

import io
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from lodestar.exchange import reader
from lodestar.exchange.mapping.values import DATES, EMAILS, NUMBERS, PERCENTS, shape_of
from lodestar.exchange.reader import Book, Problem, Refused

MAPPED_ROWS = 5_000
SHEET = "file"  # problems of the file itself name no sheet of the layout


@dataclass
class Source:
    """The file as read: its headers as written (empty ones named by their column), and
    its rows numbered as in the file."""

    name: str
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def column(self, header: str) -> list[object]:
        index = self.headers.index(header)
        return [cells[index] if index < len(cells) else None for _, cells in self.rows]


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def too_many_rows(count: int) -> Refused:
    return Refused(
        f"The file has {count:,} rows or more; a mapped import reads at most "
        f"{MAPPED_ROWS:,}: split it into files of fewer rows (by cycle or by team) and import "
        "each.",
        SHEET,
    )


def read_source(stream: BinaryIO, name: str) -> Source:
    source = Source(name)
    book = Book()
    try:
        reader.check_size(stream.seek(0, io.SEEK_END), name)
        stream.seek(0)
        suffix = Path(name).suffix.lower()
        if zipfile.is_zipfile(stream):
            stream.seek(0)
            table = xlsx_table(book, stream, name)
        elif suffix == ".csv" or suffix == ".txt":
            table = csv_table(book, lambda: reader.Unclosed(stream))
        else:
            raise Refused(f"{name} is neither a .csv file nor an .xlsx workbook.", SHEET)
    except Refused as refusal:
        source.problems.append(Problem(refusal.sheet or SHEET, refusal.row, "", refusal.message))
        return source
    if book.problems:
        source.problems = book.problems
        return source
    headed(source, table)
    return source


def csv_table(book: Book, opened) -> reader.Table:
    encoding = reader.csv_encoding(opened, SHEET)
    dialect = reader.csv_dialect(opened, encoding)
    surveyed = sum(
        1 for _ in islice(reader.csv_rows(opened, encoding, dialect, SHEET), MAPPED_ROWS + 2)
    )
    if surveyed > MAPPED_ROWS + 1:
        raise too_many_rows(MAPPED_ROWS + 1)
    table = reader.Table(SHEET)
    for number, values in enumerate(reader.csv_rows(opened, encoding, dialect, SHEET), start=1):
        if any(value.strip() for value in values):
            table.rows.append((number, [reader.unescaped(v) if v != "" else None for v in values]))
    return table


def xlsx_table(book: Book, stream: BinaryIO, name: str) -> reader.Table:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as error:
        raise Refused(f"{name} is a damaged zip ({error}).", SHEET) from None
    with archive:
        members = archive.infolist()
        if "xl/workbook.xml" not in {member.filename for member in members}:
            raise Refused(f"{name} is a zip, not an .xlsx workbook: give one .csv or .xlsx.")
        reader.declared_sizes_ok(members)
        if any(member.flag_bits & 0x1 for member in members):
            raise Refused(f"{name} is encrypted: save it without a password.")
        budget = reader.Budget(reader.LIMITS.member_bytes, reader.LIMITS.unpacked_bytes)
        reader.survey_workbook(
            book,
            members,
            lambda m: io.BufferedReader(reader.Metered(archive.open(m), budget, m.filename)),
        )
        if book.rows_seen > MAPPED_ROWS:
            raise too_many_rows(book.rows_seen)
        return first_sheet(book, stream, reader.merged_sheets(archive), name)


def first_sheet(book: Book, stream: BinaryIO, merged: set[str], name: str) -> reader.Table:
    import openpyxl

    stream.seek(0)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise Refused(f"The workbook cannot be read: {error}.", SHEET) from None
    try:
        for worksheet in workbook.worksheets:
            table = reader.worksheet_table(book, worksheet, worksheet.title)
            if not table.rows and not any(table.headers):
                continue
            if worksheet.title in merged:
                raise Refused("The sheet has merged cells: unmerge them.", worksheet.title)
            # The header row is a row like the others until `headed` takes it.
            table.rows.insert(0, (1, table.headers))
            return table
    finally:
        workbook.close()
    raise Refused(f"{name} is empty: no sheet holds anything.", SHEET)


def headed(source: Source, table: reader.Table) -> None:
    """The first row that holds anything names the columns; it must read as names."""
    if not table.rows:
        source.problems.append(Problem(SHEET, None, "", f"{source.name} is empty: no rows."))
        return
    number, first = table.rows[0]
    width = max(len(cells) for _, cells in table.rows)
    cells = list(first) + [None] * (width - len(first))
    headers, seen = [], set()
    for index, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        if not text:
            text = f"Column {column_letter(index)}"
        while text.lower() in seen:
            text += " (2)"
        seen.add(text.lower())
        headers.append(text)
    values = [cell for cell in cells if cell is not None and str(cell).strip()]
    valued = [cell for cell in values if shape_of([cell]) in (DATES, EMAILS, NUMBERS, PERCENTS)]
    if valued:
        source.problems.append(
            Problem(
                SHEET,
                number,
                "",
                f"The first row holds values ({valued[0]!r}…), not column names: add a header "
                "row naming each column.",
            )
        )
        return
    if len(table.rows) == 1:
        source.problems.append(Problem(SHEET, None, "", "The file has a header row and no rows."))
        return
    source.headers = headers
    source.rows = [(n, list(c) + [None] * (width - len(c))) for n, c in table.rows[1:]]
