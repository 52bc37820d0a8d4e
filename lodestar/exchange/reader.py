"""Reading a spreadsheet into plain rows: an XLSX workbook, a zip of CSV files, a folder
of CSV files, or one CSV file (named after its sheet).

Nothing here knows the domain; it checks only what a file is: a zip no bigger unpacked
than `MAX_UNPACKED`, no formulas, no merged cells, CSV in UTF-8 (or, after Excel's byte
order mark, Windows-1252), at most `MAX_ROWS` rows. Each refusal is a `Problem`.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from lodestar.exchange.layout import SHEET_BY_NORMALISED, normalised

MAX_UNPACKED = 300 * 1024 * 1024  # an XLSX of 200,000 rows unpacks to about 60 MB
MAX_MEMBERS = 2000
MAX_ROWS = 250_000
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.sheet or "file"
        where += f", row {self.row}" if self.row else ""
        where += f", column {self.column}" if self.column else ""
        return f"{where}: {self.message}"


@dataclass
class Table:
    """One sheet as read: its headers (as written) and its rows, numbered as in the file."""

    name: str
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


@dataclass
class Book:
    tables: dict[str, Table] = field(default_factory=dict)  # by layout sheet name
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, message: str, sheet: str = "", row: int | None = None, column: str = ""):
        self.problems.append(Problem(sheet, row, column, message))


def read(path: Path | str, *, name: str | None = None) -> Book:
    """Read a path: .xlsx, .zip (of CSV), .csv, or a folder of CSV files."""
    path = Path(path)
    name = name or path.name
    book = Book()
    if path.is_dir():
        for csv_path in sorted(path.glob("*.csv")):
            read_csv(book, csv_path.stem, csv_path.read_bytes())
        if not book.tables and not book.problems:
            book.refuse(f"The folder {path} holds no .csv file named after a sheet.")
        return book
    try:
        data = path.read_bytes()
    except OSError as error:
        book.refuse(f"Cannot read {path}: {error.strerror}.")
        return book
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str) -> Book:
    book = Book()
    suffix = Path(name).suffix.lower()
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if not unpacked_size_ok(book, archive):
                return book
            names = archive.namelist()
            if "xl/workbook.xml" in names:
                read_xlsx(book, data, archive)
            elif any(member.lower().endswith(".csv") for member in names):
                for member in sorted(names):
                    if member.lower().endswith(".csv") and not member.startswith("__MACOSX"):
                        read_csv(book, Path(member).stem, archive.read(member))
            else:
                book.refuse(f"{name} is a zip with neither a workbook nor .csv files in it.")
    elif suffix == ".csv":
        read_csv(book, Path(name).stem, data)
    else:
        book.refuse(
            f"{name} is not a spreadsheet: give an .xlsx workbook, a .csv file, or a zip or "
            "folder of .csv files named after the sheets."
        )
    if not book.tables and not book.problems:
        book.refuse(f"{name} holds no sheet named like one of the layout's.")
    return book


def unpacked_size_ok(book: Book, archive: zipfile.ZipFile) -> bool:
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED:
        book.refuse(
            f"The file would unpack to {unpacked // (1024 * 1024)} MB in {len(members)} parts; "
            f"at most {MAX_UNPACKED // (1024 * 1024)} MB is read (is it a zip bomb?)."
        )
        return False
    return True


def layout_name(book: Book, sheet_name: str) -> str | None:
    sheet = SHEET_BY_NORMALISED.get(normalised(sheet_name))
    if sheet is None:
        return None
    if sheet.name in book.tables:
        book.refuse("Two sheets have this name.", sheet.name)
        return None
    return sheet.name


def too_many_rows(book: Book, table: Table) -> bool:
    total = sum(len(t.rows) for t in book.tables.values()) + len(table.rows)
    if total > MAX_ROWS:
        book.refuse(f"More than {MAX_ROWS:,} rows: split the file and import it in parts.")
        return True
    return False


# XLSX ----------------------------------------------------------------------------------
NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


def merged_sheets(archive: zipfile.ZipFile) -> set[str]:
    """The names of the sheets with merged cells, read from the workbook's XML (openpyxl's
    fast reader does not see merges)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return set()
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.findall("rel:Relationship", NS)}
    merged = set()
    for sheet in workbook.iterfind("main:sheets/main:sheet", NS):
        target = targets.get(sheet.get(f"{{{NS['r']}}}id"), "").lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        try:
            with archive.open(member) as stream:
                if re_merge_in(stream):
                    merged.add(sheet.get("name"))
        except KeyError:
            continue
    return merged


def re_merge_in(stream) -> bool:
    tail = b""
    while chunk := stream.read(1 << 20):
        if b"<mergeCell " in tail + chunk or b":mergeCell " in tail + chunk:
            return True
        tail = chunk[-20:]
    return False


def read_xlsx(book: Book, data: bytes, archive: zipfile.ZipFile) -> None:
    import openpyxl

    merged = merged_sheets(archive)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        book.refuse(f"The workbook cannot be read: {error}.")
        return
    try:
        for worksheet in workbook.worksheets:
            name = layout_name(book, worksheet.title)
            if name is None:
                continue
            if worksheet.title in merged:
                book.refuse("The sheet has merged cells: unmerge them, one value per cell.", name)
                continue
            table = Table(name)
            for number, cells in enumerate(worksheet.iter_rows(), start=1):
                values = []
                for cell in cells:
                    if cell.data_type == "f":
                        column = (
                            table.headers[len(values)] if len(values) < len(table.headers) else ""
                        )
                        book.refuse(
                            f"A formula ({cell.value}): paste its value instead.",
                            name,
                            number,
                            str(column),
                        )
                    values.append(cell.value)
                if number == 1:
                    table.headers = [str(v).strip() if v is not None else "" for v in values]
                elif any(v not in (None, "") for v in values):
                    table.rows.append((number, values))
                    if len(table.rows) % 50_000 == 0 and too_many_rows(book, table):
                        return
            if not table.headers or not any(table.headers):
                book.refuse("The sheet is empty: give it a header row, or remove it.", name)
                continue
            if too_many_rows(book, table):
                return
            book.tables[name] = table
    finally:
        workbook.close()


# CSV -----------------------------------------------------------------------------------
# What a spreadsheet would run as a formula when it opens a CSV file (the OWASP rule for
# CSV injection): the export writes such a text behind a `'`, the import takes it off.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def needs_escape(text: str) -> bool:
    """A text that starts like a formula, or with the escape before such a start (escaped
    again, so that every text reads back exactly as it was written)."""
    return text.startswith(FORMULA_START) or (
        text.startswith(ESCAPE) and needs_escape(text[len(ESCAPE) :])
    )


def escaped(text: str) -> str:
    return ESCAPE + text if needs_escape(text) else text


def unescaped(text: str) -> str:
    rest = text[len(ESCAPE) :]
    return rest if text.startswith(ESCAPE) and needs_escape(rest) else text


def decoded(book: Book, sheet: str, data: bytes) -> str | None:
    if data.startswith(BOM):
        body = data[len(BOM) :]
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            # Excel writes a byte order mark; Windows tools behind it write Windows-1252.
            return body.decode("cp1252", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        book.refuse(
            f"The file is not UTF-8 (byte {error.start + 1}); save it as “CSV UTF-8”.", sheet
        )
        return None


def read_csv(book: Book, stem: str, data: bytes) -> None:
    name = layout_name(book, stem)
    if name is None:
        return
    text = decoded(book, name, data)
    if text is None:
        return
    if "\x00" in text:
        book.refuse("The file holds NUL bytes: it is not a CSV text file.", name)
        return
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    table = Table(name)
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            if number == 1:
                table.headers = [value.strip() for value in values]
            elif any(value.strip() for value in values):
                cells = [unescaped(value) if value != "" else None for value in values]
                table.rows.append((number, cells))
    except csv.Error as error:
        book.refuse(f"The CSV cannot be read: {error}.", name)
        return
    if not any(table.headers):
        book.refuse("The sheet is empty: give it a header row, or remove it.", name)
        return
    if not too_many_rows(book, table):
        book.tables[name] = table
