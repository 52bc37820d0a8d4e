"""The template workbook (each sheet's header and an example row, from the layout) and
the starter templates: whole scorecards with OKRs, shipped as workbooks in `templates/`
(built from `starters.py` by `scripts/build_starters.py`) and applied as imports."""

from pathlib import Path

from django.db import transaction

from lodestar.exchange.exporter import Keys, Rows, xlsx_bytes
from lodestar.exchange.importer import Report, import_book
from lodestar.exchange.layout import SHEETS
from lodestar.exchange.reader import Book, Problem, Table, read
from lodestar.exchange.validate import as_date
from lodestar.okrs.models import Cycle, Objective
from lodestar.org.acting import Actor
from lodestar.org.models import Unit
from lodestar.org.permissions import Action, can
from lodestar.strategy.models import Scorecard

STARTERS = Path(__file__).resolve().parent / "templates"


def example_rows() -> Rows:
    rows: Rows = {}
    for sheet in SHEETS:
        examples = [{c.name: c.example for c in sheet.columns}, *sheet.more_examples]
        rows[sheet.name] = [
            [example.get(c.name) if example.get(c.name) != "" else None for c in sheet.columns]
            for example in examples
        ]
    return rows


def template_workbook() -> bytes:
    return xlsx_bytes(example_rows())


def starter_names() -> list[str]:
    return sorted(path.stem for path in STARTERS.glob("*.xlsx"))


def starter_path(name: str) -> Path | None:
    path = STARTERS / f"{name}.xlsx"
    return path if name in starter_names() else None


def starter_import(name: str, *, acting: Actor, dry_run: bool = False) -> Report:
    """A starter goes into a live organisation as a draft, never over what runs: its units
    under the company (the import's rule), its scorecards drafts (`Scorecard.published_at`
    empty) and its example objectives private to the person applying it (their owner)
    until published or made public, and its quarter into a cycle that already covers those
    days rather than a second one beside it."""
    if not may_apply_starters(acting):
        return Report(dry_run=dry_run, problems=[STARTER_REFUSED])
    book = padded(read(starter_path(name)))
    with transaction.atomic():
        into_covering_cycles(book, Keys())
        as_drafts(book, acting)
        stored = set(Scorecard.objects.values_list("pk", flat=True))
        report = import_book(book, acting=acting, dry_run=dry_run)
        if not report.written:
            transaction.set_rollback(True)  # the keys made for the covering cycles too
            return report
        # Its scorecards are drafts before anyone else may read them (one transaction):
        # the applier's and the strategy office's until someone publishes them.
        drafted_by = acting.pk if acting is not None else None
        Scorecard.objects.exclude(pk__in=stored).update(published_at=None, created_by=drafted_by)
    return report


# A starter adds a unit of its own under the company, and the tree is the admin's: asked
# before anything is read, so a refusal is this one reason, not a row for each of the
# starter's rows that would have named the unit.
STARTER_REFUSED = Problem(
    "units", None, "", "Only an admin may apply a starter template: it adds a unit of its own."
)


def may_apply_starters(acting: Actor) -> bool:
    return acting is None or can(acting, Action.CHANGE, Unit())


def column(table: Table, name: str) -> int:
    """The index of a layout column in the starter's sheet (its rows padded to the headers,
    since a workbook leaves trailing empty cells out)."""
    return [header.strip().lower() for header in table.headers].index(name)


def padded(book: Book) -> Book:
    for table in book.tables.values():
        for _, row in table.rows:
            row.extend([None] * (len(table.headers) - len(row)))
    return book


def into_covering_cycles(book: Book, keys: Keys) -> None:
    """A starter cycle that overlaps a stored cycle is that cycle: its row goes, and its
    objectives name the stored one."""
    cycles, objectives = book.tables.get("cycles"), book.tables.get("objectives")
    if cycles is None:
        return
    key, start, end = (column(cycles, name) for name in ("key", "start", "end"))
    renamed, kept = {}, []
    for number, row in cycles.rows:
        covering = Cycle.objects.filter(
            start__lte=as_date(row[end]), end__gte=as_date(row[start])
        ).first()
        if covering is None:
            kept.append((number, row))
            continue
        keys.load("cycles", [covering])
        renamed[row[key]] = keys.of("cycles", covering)
    cycles.rows = kept
    if objectives is not None and renamed:
        cycle = column(objectives, "cycle")
        for _, row in objectives.rows:
            row[cycle] = renamed.get(row[cycle], row[cycle])


def as_drafts(book: Book, acting: Actor) -> None:
    """Private, and the applying person's where the starter names no owner: the
    organisation sees the examples when their owner makes them public."""
    objectives = book.tables.get("objectives")
    if objectives is None:
        return
    visibility, owner = column(objectives, "visibility"), column(objectives, "owner")
    for _, row in objectives.rows:
        row[visibility] = Objective.Visibility.PRIVATE
        if acting is not None and row[owner] in (None, ""):
            row[owner] = acting.username
