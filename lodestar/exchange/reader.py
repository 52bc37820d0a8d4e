"""Reading a spreadsheet into plain rows: an XLSX workbook, a zip of CSV files, a folder
of CSV files, or one CSV file (named after its sheet).

Nothing here knows the domain; it checks only what a file is. Every bound of `LIMITS`
is checked while the file streams in — bytes as they unpack, a row before the next one
is parsed — so that a small hostile file (a zip bomb, a row of a million cells) is
refused after reading at most one row too many, in little memory. A workbook is
surveyed first, part by part, with a streaming XML parser (no document types or
entities, bounded nesting, rows and cells counted) before openpyxl reads it; a CSV file
is surveyed the same way before its rows are kept. Each refusal is a `Problem`.
"""

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from defusedxml import ElementTree

from lodestar.exchange.layout import SHEET_BY_NORMALISED, normalised

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The one place that says how much an import reads."""

    upload_bytes: int = 50 * MB  # the file as uploaded (or given to the command)
    unpacked_bytes: int = 150 * MB  # all parts of a zip, unpacked: 250,000 rows ≈ 75 MB
    member_bytes: int = 100 * MB  # one part of a zip, unpacked
    members: int = 1000  # parts of a zip
    rows: int = 250_000  # rows in the whole file, headers apart
    cells_per_row: int = 200  # the widest sheet has 13 columns; others are ignored
    cell_chars: int = 32_767  # Excel's own limit for a cell
    row_chars: int = 400_000  # one CSV row, every cell and separator
    xml_depth: int = 64  # a worksheet nests 7 deep


LIMITS = Limits()
BOM = b"\xef\xbb\xbf"
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted workbook, or an old .xls
CHUNK = 64 * 1024


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


class Refused(Exception):
    """The file is not read further: `message` says why, `sheet` and `row` where."""

    def __init__(self, message: str, sheet: str = "", row: int | None = None):
        super().__init__(message)
        self.message, self.sheet, self.row = message, sheet, row


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
    rows_seen: int = 0  # by the surveys, against `LIMITS.rows`
    # Keep every sheet under its own name (a file of another shape, converted after
    # reading: `exchange.incoming`), not only the layout's sheets.
    any_sheet: bool = False

    def refuse(self, message: str, sheet: str = "", row: int | None = None, column: str = ""):
        self.problems.append(Problem(sheet, row, column, message))

    def count_row(self) -> None:
        self.count_rows(1)

    def count_rows(self, rows: int) -> None:
        self.rows_seen += rows
        if self.rows_seen > LIMITS.rows:
            raise Refused(f"More than {LIMITS.rows:,} rows: split the file and import it in parts.")

    @property
    def rows_left(self) -> int:
        return LIMITS.rows - self.rows_seen


def refusing(read_into: Callable[[Book], None], *, any_sheet: bool = False) -> Book:
    book = Book(any_sheet=any_sheet)
    try:
        read_into(book)
    except Refused as refusal:
        book.tables.clear()
        book.refuse(refusal.message, refusal.sheet, refusal.row)
    return book


def read(path: Path | str, *, name: str | None = None) -> Book:
    """Read a path: .xlsx, .zip (of CSV), .csv, or a folder of CSV files."""
    path = Path(path)
    if path.is_dir():
        return refusing(lambda book: read_folder(book, path))
    try:
        stream = path.open("rb")
    except OSError as error:
        message = f"Cannot read {path}: {error.strerror}."
        return refusing(lambda book: book.refuse(message))
    with stream:
        return read_stream(stream, name or path.name)


def read_bytes(data: bytes, name: str) -> Book:
    return read_stream(io.BytesIO(data), name)


def read_stream(stream: BinaryIO, name: str, *, any_sheet: bool = False) -> Book:
    """Read a seekable binary file (an upload as Django keeps it, an open path);
    `any_sheet`: every sheet, each under its own name (for a file of another shape)."""
    return refusing(lambda book: read_file(book, stream, name), any_sheet=any_sheet)


def read_folder(book: Book, path: Path) -> None:
    for csv_path in sorted(path.glob("*.csv")):
        check_size(csv_path.stat().st_size, csv_path.name)
        read_csv(book, csv_path.stem, lambda p=csv_path: p.open("rb"))
    if not book.tables and not book.problems:
        book.refuse(f"The folder {path} holds no .csv file named after a sheet.")


def too_large(name: str) -> str:
    return f"{name} is larger than {LIMITS.upload_bytes:,} bytes: split it and import it in parts."


def check_size(size: int, name: str) -> None:
    if size == 0:
        raise Refused(f"{name} is empty (0 bytes).")
    if size > LIMITS.upload_bytes:
        raise Refused(too_large(name))


def read_file(book: Book, stream: BinaryIO, name: str) -> None:
    check_size(stream.seek(0, io.SEEK_END), name)
    stream.seek(0)
    head = stream.read(len(CFB))
    stream.seek(0)
    suffix = Path(name).suffix.lower()
    if head == CFB:
        raise Refused(
            f"{name} is a password-protected (encrypted) workbook or an old .xls file: "
            "save it as .xlsx without a password."
        )
    if zipfile.is_zipfile(stream):
        stream.seek(0)
        read_zip(book, stream, name)
    elif suffix == ".xlsx":
        raise Refused(f"{name} is not an XLSX workbook (an .xlsx file is a zip archive).")
    elif suffix == ".csv":
        stream.seek(0)
        read_csv(book, Path(name).stem, lambda: Unclosed(stream))
    else:
        raise Refused(
            f"{name} is not a spreadsheet: give an .xlsx workbook, a .csv file, or a zip or "
            "folder of .csv files named after the sheets."
        )
    if not book.tables and not book.problems:
        book.refuse(
            f"{name} holds no sheet."
            if book.any_sheet
            else f"{name} holds no sheet named like one of the layout's."
        )


class Unclosed(io.BufferedReader):
    """The caller's stream, read from its start; closing the reader leaves it open."""

    def __init__(self, stream: BinaryIO):
        stream.seek(0)
        budget = Budget(LIMITS.upload_bytes, LIMITS.upload_bytes)
        super().__init__(Metered(stream, budget, "file"))

    def close(self) -> None:
        pass


# Zip -----------------------------------------------------------------------------------
@dataclass
class Budget:
    """Bytes unpacked: of each part as it is read (again: a part is read more than once,
    its last reading counts) and of them all."""

    member_limit: int
    total_limit: int
    total: int = 0
    read: dict[str, int] = field(default_factory=dict)

    def open(self, part: str) -> None:
        self.total -= self.read.get(part, 0)
        self.read[part] = 0

    def spend(self, part: str, size: int) -> None:
        self.read[part] += size
        self.total += size
        if self.read[part] > self.member_limit or self.total > self.total_limit:
            raise Refused(
                f"The file unpacks to more than {self.total_limit // MB} MB (a part to more "
                f"than {self.member_limit // MB} MB): is it a zip bomb?"
            )


class Metered(io.RawIOBase):
    """A stream that counts what it hands out against a budget, and names a damaged zip."""

    def __init__(self, stream: BinaryIO, budget: Budget, part: str = ""):
        self.stream, self.budget, self.part = stream, budget, part
        budget.open(part)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self.stream.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise Refused(
                f"The zip is damaged: its part {self.part} does not unpack ({error})."
            ) from None
        self.budget.spend(self.part, len(data))
        buffer[: len(data)] = data
        return len(data)


def read_zip(book: Book, stream: BinaryIO, name: str) -> None:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as error:
        raise Refused(f"{name} is a damaged zip ({error}).") from None
    with archive:
        members = archive.infolist()
        declared_sizes_ok(members)
        encrypted = [member.filename for member in members if member.flag_bits & 0x1]
        if encrypted:
            raise Refused(
                f"{name} is encrypted ({encrypted[0]}): save or zip it without a password."
            )
        budget = Budget(LIMITS.member_bytes, LIMITS.unpacked_bytes)

        def part(member: zipfile.ZipInfo) -> io.BufferedReader:
            return io.BufferedReader(Metered(archive.open(member), budget, member.filename))

        names = {member.filename for member in members}
        if "xl/workbook.xml" in names:
            survey_workbook(book, members, part)
            stream.seek(0)
            read_xlsx(book, stream, archive)
        elif any(n.lower().endswith(".csv") for n in names):
            for member in sorted(members, key=lambda m: m.filename):
                filename = member.filename
                if filename.lower().endswith(".csv") and not filename.startswith("__MACOSX"):
                    read_csv(book, Path(filename).stem, lambda m=member: part(m))
        else:
            raise Refused(f"{name} is a zip with neither a workbook nor .csv files in it.")


def declared_sizes_ok(members: list[zipfile.ZipInfo]) -> None:
    """What the zip says of itself, before anything is unpacked (what it does not say
    truly is caught while unpacking: the parts are read through a `Budget`)."""
    unpacked = sum(member.file_size for member in members)
    largest = max((member.file_size for member in members), default=0)
    too_big = unpacked > LIMITS.unpacked_bytes or largest > LIMITS.member_bytes
    if len(members) > LIMITS.members or too_big:
        raise Refused(
            f"The file would unpack to {unpacked // MB} MB in {len(members)} parts; at most "
            f"{LIMITS.unpacked_bytes // MB} MB in {LIMITS.members} parts is read "
            "(is it a zip bomb?)."
        )


def layout_name(book: Book, sheet_name: str) -> str | None:
    sheet = SHEET_BY_NORMALISED.get(normalised(sheet_name))
    name = sheet_name if book.any_sheet else sheet and sheet.name
    if name is None:
        return None
    if name in book.tables:
        book.refuse("Two sheets have this name.", name)
        return None
    return name


# XLSX ----------------------------------------------------------------------------------
NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


class PartSurvey:
    """One XML part of a workbook, parsed as a stream and kept nowhere: no document type
    (nor entities), nesting within `LIMITS.xml_depth`; in a worksheet, rows counted (and
    numbered within the limit), cells per row and their columns within
    `LIMITS.cells_per_row`, each cell's text and each shared string within
    `LIMITS.cell_chars` — so that openpyxl, reading next, reads a bounded workbook."""

    def __init__(self, book: Book, part: str):
        self.book, self.part = book, part
        self.depth, self.root = 0, ""
        self.row, self.rows, self.cells, self.chars = 0, 0, 0, 0
        self.in_cell = False
        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.doctype
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        self.parser = parser

    def refuse(self, message: str) -> None:
        raise Refused(f"The workbook's part {self.part} {message}")

    def doctype(self, *args) -> None:
        self.refuse("declares entities (a document type): Excel writes none; it is not read.")

    def start(self, name: str, attributes: dict) -> None:
        self.depth += 1
        if self.depth > LIMITS.xml_depth:
            self.refuse(f"is nested deeper than {LIMITS.xml_depth} levels.")
        local = name.rpartition(":")[2]
        if self.depth == 1:
            self.root = local
        elif self.root == "worksheet" and local == "row":
            self.row = int(attributes.get("r") or self.row + 1)
            if self.row > LIMITS.rows + 1:
                self.refuse(f"has a row {self.row}; at most {LIMITS.rows + 1:,} rows are read.")
            self.cells = 0
        elif self.root == "worksheet" and local == "c":
            self.cell(attributes.get("r", ""))
        if (self.root, local) in (("worksheet", "c"), ("sst", "si")):
            self.in_cell, self.chars = True, 0

    def cell(self, reference: str) -> None:
        if self.cells == 0:
            self.rows += 1
            if self.rows > 1:  # the header row apart
                self.book.count_row()
        self.cells += 1
        letters = reference.rstrip("0123456789").upper()
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - ord("A") + 1
        if max(self.cells, column) > LIMITS.cells_per_row:
            self.refuse(
                f"has a cell in column {max(self.cells, column)} of row {self.row}; "
                f"at most {LIMITS.cells_per_row} columns are read."
            )

    def end(self, name: str) -> None:
        self.depth -= 1
        if name.rpartition(":")[2] in ("c", "si"):
            self.in_cell = False

    def text(self, data: str) -> None:
        if not self.in_cell:
            return
        self.chars += len(data)
        if self.chars > LIMITS.cell_chars:
            self.refuse(f"holds a cell longer than {LIMITS.cell_chars:,} characters.")

    def feed(self, stream: BinaryIO) -> None:
        try:
            while chunk := stream.read(CHUNK):
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except expat.ExpatError as error:
            self.refuse(f"is not well-formed XML ({expat.errors.messages[error.code]}).")


def survey_workbook(book: Book, members, part: Callable) -> None:
    """Every part read once through its budget (which checks its CRC too); the XML ones
    surveyed."""
    for member in members:
        with part(member) as stream:
            if member.filename.lower().endswith((".xml", ".rels")):
                PartSurvey(book, member.filename).feed(stream)
            else:
                while stream.read(CHUNK):
                    pass


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


def read_xlsx(book: Book, stream: BinaryIO, archive: zipfile.ZipFile) -> None:
    import openpyxl

    merged = merged_sheets(archive)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise Refused(f"The workbook cannot be read: {error}.") from None
    try:
        for worksheet in workbook.worksheets:
            name = layout_name(book, worksheet.title)
            if name is None:
                continue
            if worksheet.title in merged:
                book.refuse("The sheet has merged cells: unmerge them, one value per cell.", name)
                continue
            table = worksheet_table(book, worksheet, name)
            if not table.headers or not any(table.headers):
                book.refuse("The sheet is empty: give it a header row, or remove it.", name)
                continue
            book.tables[name] = table
    finally:
        workbook.close()


def worksheet_table(book: Book, worksheet, name: str) -> Table:
    # Its stated dimensions are ignored: rows are padded only to their own last cell,
    # which the survey bounded.
    worksheet.reset_dimensions()
    table = Table(name)
    for number, cells in enumerate(worksheet.iter_rows(), start=1):
        values = []
        for cell in cells:
            if cell.data_type == "f":
                column = table.headers[len(values)] if len(values) < len(table.headers) else ""
                book.refuse(
                    f"A formula ({cell.value}): paste its value instead.", name, number, str(column)
                )
            values.append(cell.value)
        if number == 1:
            table.headers = [str(v).strip() if v is not None else "" for v in values]
        elif any(v not in (None, "") for v in values):
            table.rows.append((number, values))
    return table


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


def bounded_lines(stream: io.TextIOBase, row: list[int]) -> Iterator[str]:
    """A text stream's lines for `csv.reader`, refused as soon as the row being parsed
    (`row[0]` characters so far; the reader sets it to 0 after each row) grows beyond
    `LIMITS.row_chars`: a line is read at most that long."""
    most, readline = LIMITS.row_chars, stream.readline
    while line := readline(most - row[0] + 1):
        row[0] += len(line)
        if row[0] > most:
            raise Refused(f"is longer than {most:,} characters.")
        if "\x00" in line:
            raise Refused("holds NUL bytes: it is not a CSV text file.")
        yield line


Open = Callable[[], BinaryIO]


def csv_rows(opened: Open, encoding: str, dialect, sheet: str) -> Iterator[list[str]]:
    """A CSV file's rows, each checked against the limits before the next is parsed."""
    stream = opened()
    if encoding == "cp1252":
        stream.read(len(BOM))  # chosen only after a byte order mark
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    cells, chars, row = LIMITS.cells_per_row, LIMITS.cell_chars, [0]
    with io.TextIOWrapper(stream, encoding=codec, errors="replace", newline="") as text:
        number = 0
        try:
            for number, values in enumerate(csv.reader(bounded_lines(text, row), dialect), 1):
                if len(values) > cells:
                    raise Refused(
                        f"The row has {len(values):,} cells; at most {cells} are read.",
                        sheet,
                        number,
                    )
                if max(map(len, values), default=0) > chars:
                    raise Refused(f"A cell is longer than {chars:,} characters.", sheet, number)
                row[0] = 0
                yield values
        except Refused as refusal:
            if refusal.sheet:
                raise
            raise Refused(f"The file's row {number + 1} {refusal.message}", sheet) from None
        except csv.Error as error:
            raise Refused(f"The CSV cannot be read: {error}.", sheet) from None


def first_bad_byte(stream: BinaryIO, position: int) -> int | None:
    """Where (from 1) the first byte that is not UTF-8 lies, reading on from `position`."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    while True:
        chunk = stream.read(CHUNK)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            return position - pending + error.start + 1
        if not chunk:
            return None
        position += len(chunk)


def csv_encoding(opened: Open, sheet: str) -> str:
    """UTF-8, or after Excel's byte order mark Windows-1252 when it is not UTF-8 behind it
    (Windows tools write that); read through once, as a stream."""
    with opened() as stream:
        bom = stream.read(len(BOM)) == BOM
    with opened() as stream:
        start = stream.read(len(BOM)) if bom else b""
        bad = first_bad_byte(stream, len(start))
    if bad is None:
        return "utf-8"
    if bom:
        return "cp1252"
    raise Refused(f"The file is not UTF-8 (byte {bad}); save it as “CSV UTF-8”.", sheet)


def csv_dialect(opened: Open, encoding: str):
    with opened() as stream:
        sample = stream.read(4096).decode(encoding, errors="ignore").lstrip("\ufeff")
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_csv(book: Book, stem: str, opened: Open) -> None:
    """Survey the file (every row through the limits, nothing kept), then keep its rows."""
    name = layout_name(book, stem)
    if name is None:
        return
    encoding = csv_encoding(opened, name)
    dialect = csv_dialect(opened, encoding)
    # The header and one row more than is left: enough to know, and no further.
    surveyed = islice(csv_rows(opened, encoding, dialect, name), book.rows_left + 2)
    book.count_rows(sum(1 for _ in surveyed) - 1)
    table = Table(name)
    for number, values in enumerate(csv_rows(opened, encoding, dialect, name), start=1):
        if number == 1:
            table.headers = [value.strip() for value in values]
        elif any(value.strip() for value in values):
            cells = [unescaped(value) if value != "" else None for value in values]
            table.rows.append((number, cells))
    if not any(table.headers):
        book.refuse("The sheet is empty: give it a header row, or remove it.", name)
        return
    book.tables[name] = table
