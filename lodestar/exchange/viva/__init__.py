"""A Viva Goals export turned into Lodestar's layout, every decision said.

- **What a goal is** comes from its place in the tree, not its name: customers renamed
  Viva's types ("Outcome", "Big rock", "Kpi"). The product's own words decide where they
  are used (Objective, Key result; Deliverable and Project are work under a result); any
  other word is an objective at the top; under an objective, a key result when it
  measures something (a target, a metric) or holds nothing, else an objective; and work
  (a deliverable) under a key result.
- **Where it goes**: an objective under the nearest objective above it (one aligned to a
  key result serves that key result's objective); a key result in the nearest objective
  above it, shared with any further objective it is aligned to; a deliverable becomes a
  done-or-not milestone (target 1) of the nearest objective. Lodestar's initiatives serve
  strategic objectives, which a Viva file has none of, so they cannot hold deliverables;
  under a key result the milestone weighs 0 (Viva did not count it either), under an
  objective it counts as aligned.
- **Weights** "x%" stay as given (relative); a goal given none among weighted siblings
  gets an equal part of what is left; siblings that weigh 0 % together are refused.
- **Kinds**: Increase/Decrease from and Reach are metrics from Start (0 without one) to
  Target, Stay above/below the guards, a Percentage outcome a metric 0 → 100 %, and
  "Find a baseline" (no target) a milestone not started, its check-ins left out.
- **Values**: a check-in's "25%" is progress — the value a quarter of the way from start
  to target — unless the key result is itself measured in % (then it is the value).
  Status gives the confidence: On Track and Closed 8, Behind, Not Started and Postponed
  5, At Risk 3 (Lodestar's low confidence means at risk).
- **People** by e-mail where the file has one (matched, or created with a login from
  it); by display name only when exactly one stored person has it; else listed, to map.
"""

import csv
import io
import zipfile
from pathlib import Path
from typing import BinaryIO

from defusedxml import ElementTree

from lodestar.exchange.incoming import Incoming
from lodestar.exchange.layout import SHEET_BY_NORMALISED, normalised
from lodestar.exchange.reader import MB, NS, Book, Budget, Metered, Problem, Refused
from lodestar.exchange.viva.archive import ENTRIES, entry_names, read_archive
from lodestar.exchange.viva.convert import SHAPE, converted_export
from lodestar.exchange.viva.explorer import explorer_table, is_explorer, read_explorer
from lodestar.org.acting import Actor

__all__ = ["SHAPE", "claims", "converted"]
ZIP_HEAD = b"PK\x03\x04"
HEAD = 1 << 20  # what is looked at to tell a damaged Viva zip by its entries' names


def claims(stream: BinaryIO, name: str) -> bool:
    """Is it a Viva Goals export? A zip with objectives.json (or, damaged, naming Viva's
    entries in its first bytes), or a sheet with the Explorer's columns."""
    head = stream.read(HEAD)
    stream.seek(0)
    if not head.startswith(ZIP_HEAD):
        return Path(name).suffix.lower() != ".xlsx" and is_explorer(first_row(head))
    if not zipfile.is_zipfile(stream):
        lowered = head.lower()
        return sum(f"{entry}.json".encode() in lowered for entry in ENTRIES) >= 2
    stream.seek(0)
    with zipfile.ZipFile(stream) as archive:
        names = archive.namelist()
    stream.seek(0)
    if "objectives" in entry_names(names):
        return True
    if "xl/workbook.xml" not in names or in_layout(stream):
        return False
    table, _ = explorer_table(stream, name)
    stream.seek(0)
    return table is not None


def in_layout(stream: BinaryIO) -> bool:
    """A workbook with a sheet named as one of Lodestar's is Lodestar's own: told from
    its list of sheets alone, so that no workbook is read twice to find its shape."""
    try:
        with zipfile.ZipFile(stream) as archive:
            part = archive.getinfo("xl/workbook.xml")
            with Metered(archive.open(part), Budget(MB, MB), part.filename) as raw:
                workbook = ElementTree.fromstring(raw.readall())
    except (Refused, ElementTree.ParseError, zipfile.BadZipFile, KeyError, ValueError):
        return False  # the reader says what is wrong with it (DTDs are ValueErrors)
    finally:
        stream.seek(0)
    sheets = workbook.iterfind("main:sheets/main:sheet", NS)
    return any(normalised(sheet.get("name")) in SHEET_BY_NORMALISED for sheet in sheets)


def first_row(head: bytes) -> list[str]:
    text = head.decode("utf-8-sig", errors="ignore")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return next(csv.reader(io.StringIO(text), dialect), [])


def converted(
    stream: BinaryIO, name: str, *, acting: Actor = None, people: dict[str, str] | None = None
) -> Incoming:
    """The export as rows of Lodestar's layout, with what was decided (`people`: display
    names mapped by the person importing to a login or e-mail)."""
    head = stream.read(len(ZIP_HEAD))
    stream.seek(0)
    if head == ZIP_HEAD and not is_workbook(stream):
        return converted_export(read_archive(stream, name), name, acting=acting, people=people)
    table, problems = explorer_table(stream, name)
    if table is None:
        problems = problems or [
            Problem(
                name,
                None,
                "",
                f"{name} is not a Viva Goals export: the Explorer's export has the columns "
                "Id, Title, Object Type and Aligned To; the JSON export is a zip with "
                "objectives.json.",
            )
        ]
        return Incoming(Book(problems=problems), SHAPE)
    export = read_explorer(table, name)
    return converted_export(export, name, acting=acting, people=people)


def is_workbook(stream: BinaryIO) -> bool:
    try:
        with zipfile.ZipFile(stream) as archive:
            found = "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        found = False
    stream.seek(0)
    return found
