"""Files of another shape come in through one seam. A converter (a Viva Goals export:
`exchange.viva`; a spreadsheet read by a mapping) turns the person's file into the rows
of Lodestar's own layout (`rows_book`), and from there it takes the same validation,
preview, importer, services, permissions and all-or-nothing rule as a workbook. What
the conversion decided for the person (a term read as a key result, a person it could
not match) travels beside the rows and joins the report; each problem is said where it
lies in the person's file, by the converter's `origins` and `columns`."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib import import_module
from typing import BinaryIO

from lodestar.exchange.importer import Report, Say, import_book
from lodestar.exchange.layout import BY_NAME
from lodestar.exchange.models import ImportKey
from lodestar.exchange.preview import preview_book
from lodestar.exchange.reader import Book, Problem, Table, read_stream
from lodestar.org.acting import Actor

LODESTAR = "lodestar"

# One layout row as a converter gives it: where it lies in the person's file (a row
# number there) and its values by the layout's column names.
LayoutRows = dict[str, Iterable[tuple[int, dict[str, object]]]]


class StoredKeys:
    """Keys for the stored records a converter's rows name (a team found by its name, a
    cycle of the same name), as an export gives them (`<sheet>-<id>`, `exporter.Keys`).
    A record without one gets it only while the file is previewed or imported
    (`keys_given`): a refused file leaves none behind."""

    def __init__(self):
        self.wanted: dict[tuple[str, int], str] = {}  # (sheet, id) → key to make

    def key(self, sheet_name: str, obj) -> str:
        model = BY_NAME[sheet_name].model
        if (sheet_name, obj.pk) in self.wanted:
            return self.wanted[sheet_name, obj.pk]
        stored = ImportKey.objects.filter(model=model, object_id=obj.pk).order_by("pk")
        found = stored.values_list("key", flat=True).first()
        if found is not None:
            return found
        key = f"{sheet_name.replace('_', '-')}-{obj.pk}"
        taken = set(self.wanted.values())
        while key in taken or ImportKey.objects.filter(model=model, key=key).exists():
            key += "x"
        self.wanted[sheet_name, obj.pk] = key
        return key


@contextmanager
def keys_given(stored_keys: StoredKeys, keep: Callable[[], bool]) -> Iterator[None]:
    """The keys the rows need, made for the time of the block, kept only if `keep()`."""
    made = [
        ImportKey(model=BY_NAME[sheet_name].model, key=key, object_id=pk)
        for (sheet_name, pk), key in stored_keys.wanted.items()
    ]
    ImportKey.objects.bulk_create(made)
    try:
        yield
    finally:
        if made and not keep():
            for key in made:
                ImportKey.objects.filter(model=key.model, key=key.key).delete()


@dataclass
class Incoming:
    book: Book
    shape: str = LODESTAR  # what the file was: "lodestar", "viva", "mapping"…
    decisions: list[str] = field(default_factory=list)
    # Where each layout sheet's rows come from in the person's file ("objectives.json"),
    # and what the file calls a layout column: {(sheet, column): "Aligned To"}.
    origins: dict[str, str] = field(default_factory=dict)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    stored_keys: StoredKeys = field(default_factory=StoredKeys)
    # What the converter says once the file is in (a Viva export: its scores compared).
    after_import: Callable[[], list[str]] | None = None

    def located(self, problem: Problem) -> Problem:
        """The problem said in the file's own terms."""
        if problem.sheet not in self.origins:
            return problem
        column = self.columns.get((problem.sheet, problem.column), problem.column)
        what = problem.sheet.replace("_", " ")
        message = f"{problem.message} (as Lodestar's {what}, column {problem.column})"
        if not problem.column:
            message = f"{problem.message} (as Lodestar's {what})"
        return replace(problem, sheet=self.origins[problem.sheet], column=column, message=message)

    def report(self, report: Report) -> Report:
        report.problems = [self.located(problem) for problem in report.problems]
        report.decisions = list(self.decisions)
        return report


def rows_book(rows: LayoutRows, problems: Iterable[Problem] = ()) -> Book:
    """A book in Lodestar's layout from rows given as dicts (the seam every converter
    uses): each sheet's headers are its layout columns, each row numbered as given."""
    book = Book(problems=list(problems))
    for sheet_name, sheet_rows in rows.items():
        columns = [column.name for column in BY_NAME[sheet_name].columns]
        table = Table(sheet_name, headers=columns)
        for number, values in sheet_rows:
            table.rows.append((number, [values.get(column) for column in columns]))
        book.tables[sheet_name] = table
    return book


# The shapes a file may be found to have by its headers or zip entries: each module has
# `SHAPE` (its name), `claims(stream, name) -> bool` and `converted(stream, name, *,
# acting, **options) -> Incoming`. A file none claims is read in Lodestar's own layout.
SHAPES: tuple[str, ...] = (
    "lodestar.exchange.viva",  # a Viva Goals export, either shape
    "lodestar.exchange.mapping.package",  # a file and the mapping it is read by
)


def shape_modules() -> dict:
    modules = [import_module(path) for path in SHAPES]
    return {module.SHAPE: module for module in modules}


def shape_of(stream: BinaryIO, name: str) -> str:
    """Which shape a file is, from its headers or zip entries."""
    for shape, module in shape_modules().items():
        stream.seek(0)
        if module.claims(stream, name):
            return shape
    return LODESTAR


def read_incoming(
    stream: BinaryIO, name: str, *, acting: Actor, shape: str | None = None, **options
) -> Incoming:
    """Read a file of any shape this installation knows (`shape`: as said, else found),
    for `acting` (a converter finds stored records as they may see them); `options`: the
    converter's own (a Viva export's `people` mapping)."""
    shape = shape or shape_of(stream, name)
    stream.seek(0)
    if shape == LODESTAR:
        return Incoming(read_stream(stream, name))
    return shape_modules()[shape].converted(stream, name, acting=acting, **options)


def preview_incoming(incoming: Incoming, *, acting: Actor) -> Report:
    """What importing it would do, read without a write (`preview.preview_book`; only
    the keys of stored records the rows name are made, and removed after)."""
    with keys_given(incoming.stored_keys, keep=lambda: False):
        return incoming.report(preview_book(incoming.book, acting=acting))


def import_incoming(
    incoming: Incoming, *, acting: Actor, dry_run: bool = False, say: Say = lambda line: None
) -> Report:
    """Import it as a workbook is imported (`importer.import_book`)."""
    report = Report(dry_run=dry_run)
    with keys_given(incoming.stored_keys, keep=lambda: report.written):
        report = import_book(incoming.book, acting=acting, dry_run=dry_run, say=say)
    incoming.report(report)
    if report.written and incoming.after_import is not None:
        report.decisions += incoming.after_import()
    return report
