"""A draft scorecard stays a draft through export and import (issue 21): the export marks
it, an import into an empty database keeps it hidden from a member, and exports again the
same."""

from datetime import date

import pytest

from lodestar.exchange.exporter import export_rows, xlsx_bytes
from lodestar.exchange.importer import import_book
from lodestar.exchange.layout import BY_NAME
from lodestar.exchange.reader import read_bytes
from lodestar.exchange.tests.test_backup import empty_every_table
from lodestar.exchange.tests.test_export import sheets
from lodestar.org.models import Person
from lodestar.org.permissions import reader_for
from lodestar.strategy.models import Scorecard
from lodestar.strategy.services import scorecard_create


@pytest.fixture
def drafted(world):
    scorecard_create(
        acting=world.strat,
        unit=world.company,
        name="Strategy 2027",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
        draft=True,
    )
    return world


DRAFT = [column.name for column in BY_NAME["scorecards"].columns].index("draft")


def draft_column(rows) -> dict[str, str]:
    return {row[2]: row[DRAFT] for row in rows["scorecards"]}


def test_a_draft_exports_marked_and_imports_into_an_empty_database_still_a_draft(drafted):
    rows = export_rows(acting=None)
    assert draft_column(rows) == {"FY2026": "no", "Strategy 2027": "yes"}
    first = xlsx_bytes(rows)
    empty_every_table()
    report = import_book(read_bytes(first, "export.xlsx"), acting=None)
    assert report.ok, [str(p) for p in report.problems]
    assert Scorecard.objects.get(name="Strategy 2027").draft
    assert not Scorecard.objects.get(name="FY2026").draft
    assert sheets(first, "a.xlsx") == sheets(xlsx_bytes(export_rows(acting=None)), "a.xlsx")
    member = Person.objects.get(username="member")
    seen = {s.name for s in reader_for(member).visible(Scorecard)}
    assert seen == {"FY2026"}


def test_a_sheet_never_changes_a_stored_scorecards_draft_state(drafted):
    """Publishing is a decision, its Publish button's: neither a flipped column nor a
    workbook without it (empty cells: published) publishes a draft or hides a scorecard."""
    rows = export_rows(acting=None)
    for row in rows["scorecards"]:
        row[DRAFT] = "no" if row[DRAFT] == "yes" else "yes"
    report = import_book(read_bytes(xlsx_bytes(rows), "flip.xlsx"), acting=drafted.admin)
    assert report.ok, [str(p) for p in report.problems]
    assert set(report.counts["scorecards"]) == {"unchanged"}
    assert Scorecard.objects.get(name="Strategy 2027").draft
    assert not Scorecard.objects.get(name="FY2026").draft
