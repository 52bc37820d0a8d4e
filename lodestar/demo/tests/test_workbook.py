"""The demo is a workbook in the import layout: it round-trips through export and import."""

from datetime import UTC, datetime

import pytest
import time_machine

from lodestar.conftest import DEMO_TODAY
from lodestar.demo.build import DemoBuilder
from lodestar.exchange.exporter import export_rows, xlsx_bytes
from lodestar.exchange.importer import import_book
from lodestar.exchange.layout import BY_NAME
from lodestar.exchange.reader import read_bytes
from lodestar.exchange.tests.test_backup import empty_every_table
from lodestar.exchange.tests.test_export import sheets
from lodestar.okrs.models import Objective

DEMO_NOON = datetime(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day, 12, tzinfo=UTC)


@pytest.fixture
def demo(demo_org, db):
    """The module-wide demo, with this test's writes rolled back."""


def test_the_demo_sheets_fill_every_sheet_of_the_layout_they_need(demo):
    rows = DemoBuilder(DEMO_TODAY).rows()
    assert set(rows) == set(BY_NAME) - {"themes"}
    for name, table in rows.items():
        assert all(len(row) == len(BY_NAME[name].columns) for row in table), name
    assert len(rows["checkins"]) > 300 and len(rows["measure_values"]) > 200


def test_exporting_the_demo_and_importing_it_again_exports_the_same(demo):
    first = xlsx_bytes(export_rows(acting=None))
    grades = dict(Objective.objects.values_list("title", "final_grade"))
    empty_every_table()
    with time_machine.travel(DEMO_NOON, tick=False):
        report = import_book(read_bytes(first, "demo.xlsx"), acting=None)
    assert report.ok, [str(problem) for problem in report.problems]
    second = xlsx_bytes(export_rows(acting=None))
    assert sheets(first, "demo.xlsx") == sheets(second, "demo.xlsx")
    assert dict(Objective.objects.values_list("title", "final_grade")) == grades
