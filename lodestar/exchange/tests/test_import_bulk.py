"""The bulk import and the one-by-one import leave the same database and refuse the same
rows, for the same workbook and the same importer: the demo's workbook, the starter
templates, and generated ones with refused rows (bad numbers, unknown keys, a private
objective of someone else's, a closed cycle's check-in, rules only the services know).

Each workbook goes in one way, the tables are read, the database is rolled back to where
it was, and the workbook goes in the other way. Tables are compared row by row as
content: every id is replaced by the content of the row it names (so rows match by what
they hold, whatever ids they were given), and only what legitimately differs is left out
(the audit log, the record of changes, random password salts)."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lodestar.demo.build import demo_workbook
from lodestar.exchange import bulk
from lodestar.exchange.importer import import_book
from lodestar.exchange.models import ImportKey
from lodestar.exchange.reader import read, read_bytes
from lodestar.exchange.template import starter_names, starter_path
from lodestar.exchange.tests.conftest import workbook
from lodestar.notify.events import EVENTS
from lodestar.notify.models import WebhookDelivery, WebhookSubscription
from lodestar.okrs.models import CheckIn
from lodestar.okrs.services import cycle_close, cycle_create, key_result_create, objective_create
from lodestar.org.models import Person
from lodestar.strategy.models import MeasureValue
from lodestar.strategy.services import (
    measure_create,
    perspective_create,
    strategic_objective_create,
)

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
APPS = {"org", "strategy", "okrs", "exchange", "scores", "notify", "reports", "sources"}
# Rows that legitimately differ: the record of changes (one per service call against one
# per bulk run), and what is random or kept for its own sake.
LEFT_OUT_MODELS = {"org.dataversion", "org.change"}
LEFT_OUT_FIELDS = {"password"}


def content(model, pk, rows, memo) -> tuple | None:
    """A row as what it holds, the rows it names as what they hold."""
    if pk is None:
        return None
    label = model._meta.label_lower
    if label not in rows:
        return (label, pk)  # outside the compared tables: its id is shared by both runs
    if (label, pk) not in memo:
        memo[label, pk] = ("…",)  # a row naming itself through a loop stops here
        row = rows[label][pk]
        held = []
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in LEFT_OUT_FIELDS:
                continue
            value = row[field.attname]
            if field.is_relation:
                value = content(field.related_model, value, rows, memo)
            held.append((field.name, value))
        if label == "exchange.importkey":
            named = apps.get_model(row["model"])
            held.append(("object", content(named, row["object_id"], rows, memo)))
        memo[label, pk] = tuple(held)
    return memo[label, pk]


def tables() -> dict[str, list]:
    compared = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in APPS and model._meta.label_lower not in LEFT_OUT_MODELS
    ]
    rows = {
        model._meta.label_lower: {
            row[model._meta.pk.attname]: row for row in model.objects.values()
        }
        for model in compared
    }
    memo: dict = {}
    found = {}
    for model in compared:
        label = model._meta.label_lower
        held = [content(model, pk, rows, memo) for pk in rows[label]]
        if label == "exchange.importkey":
            held = [[(n, v) for n, v in row if n != "object_id"] for row in held]
        found[label] = sorted(map(repr, held))
    return found


def both_ways(data: bytes, acting_pk: int | None, book=None, keep: bool = True):
    """The reports and tables of the one-by-one import (rolled back) and the bulk one
    (kept, unless not `keep`)."""
    results = []
    # Both runs start from the same next ids: an earlier test of this worker may have left
    # PostgreSQL's sequences past the rows it rolled back.
    ids_rolled_back()
    for one_by_one in (True, False):
        acting = None if acting_pk is None else Person.objects.get(pk=acting_pk)  # fresh roles
        with time_machine.travel(NOW, tick=False), transaction.atomic():
            report = import_book(
                book() if book else read_bytes(data, "book.xlsx"),
                acting=acting,
                one_by_one=one_by_one,
            )
            results.append((report, tables()))
            if one_by_one or not keep:
                transaction.set_rollback(True)
        ids_rolled_back()
    (reference, expected), (report, found) = results
    return reference, expected, report, found


def ids_rolled_back() -> None:
    """The next ids as they were before the rolled-back run (SQLite rolls its counters
    back; PostgreSQL's sequences need telling), so that a closed cycle's kept review,
    which names rows by id, names the same ones both ways."""
    compared = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in APPS]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), compared):
            cursor.execute(statement)


def assert_same(reference, expected, report, found) -> None:
    assert [str(p) for p in report.problems] == [str(p) for p in reference.problems]
    assert report.lines() == reference.lines()
    assert report.cycle_turns == reference.cycle_turns
    assert found.keys() == expected.keys()
    for table in expected:
        assert found[table] == expected[table], table


@pytest.fixture(autouse=True)
def small_parts(monkeypatch):
    """Parts of a few rows, so that every workbook is written in several."""
    monkeypatch.setattr(bulk, "PART", 7)


def test_the_demo_workbook_imports_alike_both_ways(db):
    data = demo_workbook(NOW.date())
    reference, expected, report, found = both_ways(data, None)
    assert reference.ok and report.counts["checkins"]["created"] > 50
    assert_same(reference, expected, report, found)


@pytest.mark.parametrize("name", starter_names())
@pytest.mark.parametrize("importer", [None, "strat", "member"])
def test_a_starter_imports_alike_both_ways(world, name, importer):
    acting = getattr(world, importer).pk if importer else None
    reference, expected, report, found = both_ways(
        b"", acting, book=lambda: read(starter_path(name))
    )
    assert_same(reference, expected, report, found)


@pytest.fixture
def closed_quarter(world):
    """Q3 2026, closed, with a key result of Sales keyed `q3-deals`, and the member's
    private objective with a key result keyed `secret`."""
    q3 = cycle_create(acting=None, name="Q3 2026", start=date(2026, 7, 1), end=date(2026, 9, 30))
    grow = objective_create(acting=None, cycle=q3, title="Grow", unit=world.sales)
    deals = key_result_create(
        acting=None, objective=grow, title="Deals", owner=world.lead, target=9
    )
    cycle_close(acting=None, cycle=q3, today=date(2026, 10, 2))
    mine = objective_create(
        acting=None, cycle=world.cycle, title="Mine", owner=world.member, visibility="private"
    )
    secret = key_result_create(
        acting=None, objective=mine, title="Hid", owner=world.member, target=3
    )
    ImportKey.objects.create(model="okrs.keyresult", key="q3-deals", object_id=deals.pk)
    ImportKey.objects.create(model="okrs.keyresult", key="secret", object_id=secret.pk)
    ImportKey.objects.create(model="okrs.cycle", key="q4", object_id=world.cycle.pk)
    return q3


def organisation_sheets() -> dict:
    """A scorecard with measures (one linked to a key result), OKRs with shared key results
    and check-ins, measure values: rows of every bulk case."""
    return {
        "units": [["key", "name", "kind", "parent"], ["sales", "Field Sales", "department", None]],
        "scorecards": [
            ["key", "unit", "name", "period_start", "period_end"],
            ["fy", "sales", "FY 2026", "2026-01-01", "2026-12-31"],
        ],
        "perspectives": [
            ["key", "scorecard", "name", "position"],
            ["fy-c", "fy", "Customer", 0],
        ],
        "strategic_objectives": [
            ["key", "perspective", "name"],
            ["delight", "fy-c", "Delight customers"],
        ],
        "measures": [
            ["key", "objective", "name", "baseline", "target", "frequency", "direction"],
            ["nps", "delight", "NPS", 20, 50, "monthly", "higher"],
            ["churn", "delight", "Churn", 10, 2, "quarterly", "lower"],
            ["linked", "delight", "Wins", 0, 40, "monthly", "higher"],
        ],
        "measure_values": [
            ["measure", "period", "actual", "target", "comment"],
            ["nps", "2026-01-10", 22, None, "January"],
            ["nps", "2026-02-10", 25, 28, None],
            ["nps", "2026-03-01", 31, None, None],
            ["churn", "2026-01-01", 9, None, None],
            ["churn", "2026-04-01", 7, 6, "Q2"],
            ["linked", "2026-09-01", 3, None, "before the check-ins"],
            ["linked", "2026-10-01", 5, None, "overwritten by a check-in"],
        ],
        "objectives": [
            ["key", "cycle", "title", "unit", "owner", "contributes_to", "visibility"],
            ["o-grow", "q4", "Grow", "sales", "lead", "delight", "public"],
            ["o-keep", "q4", "Keep", "sales", "lead", None, "public"],
        ],
        "key_results": [
            ["key", "objective", "title", "owner", "baseline", "target", "linked_measure"],
            ["kr-a", "o-grow", "Deals", "member", 0, 100, "linked"],
            ["kr-b", "o-grow", "Calls", "lead", 10, 50, None],
            ["kr-c", "o-keep", "Renewals", "lead", 0, 20, None],
        ],
        "key_result_shares": [["objective", "key_result", "weight"], ["o-keep", "kr-a", 2]],
        "checkins": [
            ["key_result", "at", "value", "confidence", "note"],
            *[
                ["kr-a", f"2026-10-{day:02d}T09:00:00+00:00", day * 2, 6, ""]
                for day in range(1, 30, 3)
            ],
            ["kr-a", "2026-11-02", 70, 7, "November"],
            *[["kr-b", f"2026-10-{day:02d}", 10 + day, 5, "b"] for day in range(5, 31, 5)],
            ["kr-c", "2026-11-10T08:00:00Z", 4, 8, None],
            ["kr-c", "2026-11-10T09:00:00Z", 6, 8, "later the same day"],
        ],
    }


@pytest.mark.parametrize("importer", [None, "admin", "lead"])
def test_a_whole_organisation_imports_alike_both_ways_and_again(world, importer):
    acting = getattr(world, importer).pk if importer else None
    data = workbook(organisation_sheets())
    ImportKey.objects.create(model="okrs.cycle", key="q4", object_id=world.cycle.pk)
    first = both_ways(data, acting)
    assert_same(*first)
    if importer == "lead":
        assert first[2].problems  # the units sheet is an admin's
        return
    assert first[2].ok, [str(p) for p in first[2].problems]
    assert first[2].counts["checkins"]["created"] == 19
    # The same file again (its rows now stored), with changed values and one check-in
    # stored with other values.
    sheets = organisation_sheets()
    sheets["measure_values"][1][2] = 23
    sheets["checkins"][-3][2] = 99  # kr-b's last, stored with another value: append-only
    sheets["checkins"].append(["kr-c", "2026-11-12", 9, 9, "new"])
    again = both_ways(workbook(sheets), acting)
    assert_same(*again)
    assert [(p.row, p.column) for p in again[2].problems] == [(18, "value")]


def refused_sheets() -> dict:
    return {
        "objectives": [
            ["key", "cycle", "title", "owner", "visibility"],
            ["theirs", "q4", "For someone else", "lead", "private"],
            ["own", "q4", "My own", "member", "private"],
        ],
        "key_results": [
            ["key", "objective", "title", "owner", "target"],
            ["kr-own", "own", "Mine", "member", 10],
        ],
        "checkins": [
            ["key_result", "at", "value", "confidence", "note"],
            ["kr-own", "2026-10-05", 2, 5, None],
            ["kr-own", "2026-09-05", 3, 5, "before the cycle"],
            ["kr-own", "2026-10-06", 3, 11, "confidence 11"],
            ["kr-own", "2026-12-05", 3, 5, "in the future"],
            ["q3-deals", "2026-09-01", 4, 5, "a closed cycle's"],
        ],
        "measure_values": [
            ["measure", "period", "actual"],
            ["m-sales", "2026-03-01", 5],  # the member may not record Sales' measure
        ],
    }


@pytest.mark.parametrize("importer", ["member", "lead", None])
def test_rows_refused_by_the_services_are_refused_alike(world, closed_quarter, importer):
    perspective = perspective_create(
        acting=None, scorecard=world.scorecard, name="Customers", position=9
    )
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=perspective,
        name="Win",
        owner=world.lead,
    )
    measure = measure_create(acting=None, objective=objective, name="Sales", baseline=0, target=9)
    ImportKey.objects.create(model="strategy.measure", key="m-sales", object_id=measure.pk)
    acting = getattr(world, importer).pk if importer else None
    reference, expected, report, found = both_ways(workbook(refused_sheets()), acting)
    assert_same(reference, expected, report, found)
    said = " ".join(map(str, report.problems))
    assert "The cycle Q3 2026 is closed" in said
    if importer == "lead":  # the member's personal objective is not the lead's to write
        assert "only for yourself" in said and "'kr-own' was not imported" in said
    else:
        assert "outside the cycle" in said and "in the future" in said


def test_validation_refusals_are_the_same(world, closed_quarter):
    sheets = refused_sheets()
    sheets["checkins"] += [
        ["kr-own", "2026-10-07", "lots", 5, None],  # not a number
        ["nowhere", "2026-10-07", 1, 5, None],  # an unknown key
        ["secret", "2026-10-07", 1, 5, None],  # the member's private key result
    ]
    reference, expected, report, found = both_ways(workbook(sheets), world.lead.pk)
    assert_same(reference, expected, report, found)
    assert {p.column for p in report.problems} == {"value", "key_result", "measure"}


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["kr-a", "kr-b", "kr-c", "q3-deals"]),
            st.dates(date(2026, 9, 25), date(2026, 11, 25)),
            st.integers(0, 23),
            st.floats(-1e6, 1e6, allow_nan=False),
            st.integers(0, 11),
        ),
        max_size=25,
    )
)
def test_any_check_ins_import_alike_both_ways(hypothesis_world, rows):
    world = hypothesis_world
    sheets = organisation_sheets()
    sheets["checkins"] = [sheets["checkins"][0]] + [
        [kr, f"{day.isoformat()}T{hour:02d}:00:00+00:00", value, confidence, None]
        for kr, day, hour, value, confidence in rows
    ]
    assert_same(*both_ways(workbook(sheets), world.admin.pk, keep=False))


@pytest.fixture
def hypothesis_world(world, closed_quarter):
    ImportKey.objects.filter(key="q4").delete()
    ImportKey.objects.create(model="okrs.cycle", key="q4", object_id=world.cycle.pk)
    return world


def test_the_comparison_sees_a_difference(world):
    """The tables compared are not blind: one changed figure shows."""
    before = tables()
    world.cycle.__class__.objects.filter(pk=world.cycle.pk).update(name="Another name")
    assert tables()["okrs.cycle"] != before["okrs.cycle"]


def statements(sheets: dict) -> tuple[int, object]:
    book = read_bytes(workbook(sheets), "book.xlsx")
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            report = import_book(book, acting=None)
        transaction.set_rollback(True)
    return len(queries), report


def test_check_ins_cost_no_statements_of_their_own(world, monkeypatch):
    """The statements grow with the key results and measures, not with the check-ins:
    280 more check-ins of the same key results cost none but the parts' own few."""
    monkeypatch.setattr(bulk, "PART", 5000)
    ImportKey.objects.create(model="okrs.cycle", key="q4", object_id=world.cycle.pk)
    sheets = organisation_sheets()
    few, report = statements(sheets)
    assert report.ok
    sheets["checkins"] += [
        ["kr-c", f"2026-10-{day:02d}T{hour:02d}:00:00Z", hour, 5, None]
        for day in range(1, 29)
        for hour in range(8, 18)
    ]
    many, report = statements(sheets)
    assert report.ok and report.counts["checkins"]["created"] == 19 + 280
    assert many - few <= 2, (few, many)


def test_every_record_type_is_compared(db):
    assert "okrs.checkin" in tables() and "strategy.measurevalue" in tables()


def test_with_webhooks_every_event_is_sent_alike(world):
    """With a subscription, each history and value goes through its service (its events
    sent): the same tables, and the same events in the same numbers."""
    WebhookSubscription.objects.create(
        name="Everything", url="https://hooks.example.test/in", events=list(EVENTS), secret="s"
    )
    ImportKey.objects.create(model="okrs.cycle", key="q4", object_id=world.cycle.pk)
    reference, expected, report, found = both_ways(workbook(organisation_sheets()), None)
    sent = [found.pop("notify.webhookdelivery"), expected.pop("notify.webhookdelivery")]
    assert_same(reference, expected, report, found)
    events = [sorted(WebhookDelivery.objects.values_list("event", flat=True))]
    assert len(sent[0]) == len(sent[1]) == len(events[0]) > 19  # a check-in's event each
    assert "measure_value.created" in events[0] and "checkin.created" in events[0]


def test_a_row_refused_while_its_part_is_written_leaves_that_part_out(world, monkeypatch):
    """Someone closes the cycle after the check but before the check-ins' part: that part
    writes nothing and is reported by its first row; the measure values' part before it
    stays, the roll-up still runs, and no cycle turns on a half-written import."""
    monkeypatch.setattr(bulk, "PART", 5000)
    ImportKey.objects.create(model="okrs.cycle", key="q4", object_id=world.cycle.pk)
    parts = bulk.Checked.parts

    def closing_before_the_check_ins(checked):
        for part in parts(checked):
            if part.histories:
                cycle_close(acting=None, cycle=world.cycle, today=date(2026, 12, 31))
            yield part

    monkeypatch.setattr(bulk.Checked, "parts", closing_before_the_check_ins)
    with time_machine.travel(NOW, tick=False):
        report = import_book(read_bytes(workbook(organisation_sheets()), "b.xlsx"), acting=None)
    (problem,) = report.problems
    assert (problem.sheet, problem.row, problem.column) == ("checkins", 2, "key_result")
    assert "The cycle Q4 2026 is closed." in problem.message
    assert report.counts["checkins"]["refused"] == 19 and not report.counts["checkins"]["created"]
    assert not CheckIn.objects.exists()
    assert MeasureValue.objects.filter(comment="January").exists()
