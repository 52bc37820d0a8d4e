"""An import is held to the same rules as a person: turning a cycle early needs the
reason the API needs, and the dry run says what will happen to the cycles already here;
roles go out and come back as they were."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from lodestar.exchange.exporter import export_rows, xlsx_bytes
from lodestar.exchange.importer import import_book
from lodestar.exchange.reader import read_bytes
from lodestar.exchange.tests.conftest import workbook
from lodestar.okrs.models import Cycle
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.org.models import Person

LATE_NOVEMBER = datetime(2026, 11, 22, 12, tzinfo=timezone.get_current_timezone())
CYCLES = ["key", "name", "start", "end", "state"]


def next_quarter(state: str = "active", *reason: str) -> bytes:
    header = CYCLES + (["reason"] if reason else [])
    row = ["q1-2027", "Q1 2027", "2027-01-01", "2027-03-31", state, *reason]
    return workbook({"cycles": [header, row]})


@pytest.fixture
def running_quarter(world):
    """Q4 2026 runs with two scored objectives (a close grades them) and one unscored."""
    for title in ("Grow", "Keep"):
        objective = objective_create(acting=None, cycle=world.cycle, title=title, unit=world.sales)
        key_result = key_result_create(
            acting=None, objective=objective, title=f"{title} deals", owner=world.lead, target=10
        )
        checkin_create(acting=None, key_result=key_result, value=5, confidence=6)
    objective_create(acting=None, cycle=world.cycle, title="Not yet", unit=world.sales)
    return world.cycle


@pytest.mark.parametrize("importer", ["strat", "the installation"])
@time_machine.travel(LATE_NOVEMBER, tick=False)
def test_activating_a_cycle_early_from_a_sheet_without_a_reason_is_refused(
    world, running_quarter, importer
):
    acting = getattr(world, importer, None)
    report = import_book(read_bytes(next_quarter(), "book.xlsx"), acting=acting)
    (problem,) = report.problems
    assert (problem.sheet, problem.row, problem.column) == ("cycles", 2, "reason")
    assert problem.message == (
        "This row closes Q4 2026 early and grades its 2 objectives and activates Q1 2027 "
        "early: that needs a reason, as on the cycle's page; give it in the reason column."
    )
    running_quarter.refresh_from_db()
    assert running_quarter.state == Cycle.State.ACTIVE
    assert not Cycle.objects.filter(name="Q1 2027").exists()


@time_machine.travel(LATE_NOVEMBER, tick=False)
def test_the_dry_run_says_what_happens_to_the_running_cycle(world, running_quarter, tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(next_quarter("active", "The reorganisation starts in December"))
    out = []
    call_command("import", str(path), "--dry-run", "--as", "strat", stdout=Writer(out))
    said = "".join(out)
    assert "cycles: closes Q4 2026 early and grades its 2 objectives" in said
    assert "cycles: activates Q1 2027 early" in said
    running_quarter.refresh_from_db()
    assert running_quarter.state == Cycle.State.ACTIVE

    report = import_book(read_bytes(path.read_bytes(), "book.xlsx"), acting=world.strat)
    assert report.ok, [str(p) for p in report.problems]
    running_quarter.refresh_from_db()
    assert running_quarter.state == Cycle.State.CLOSED
    assert running_quarter.early_close_reason == "The reorganisation starts in December"
    assert running_quarter.okr_objectives.filter(final_grade__isnull=False).count() == 2
    assert Cycle.objects.get(name="Q1 2027").early_activation_reason.startswith("The reorg")


@time_machine.travel(LATE_NOVEMBER, tick=False)
def test_closing_a_cycle_early_from_a_sheet_needs_a_reason(world, running_quarter):
    sheet = workbook({"cycles": [CYCLES, ["q4", "Q4 2026", "2026-10-01", "2026-12-31", "closed"]]})
    from lodestar.exchange.models import ImportKey

    ImportKey.objects.create(model="okrs.cycle", key="q4", object_id=running_quarter.pk)
    report = import_book(read_bytes(sheet, "book.xlsx"), acting=world.strat)
    (problem,) = report.problems
    assert (problem.sheet, problem.row, problem.column) == ("cycles", 2, "reason")
    running_quarter.refresh_from_db()
    assert running_quarter.state == Cycle.State.ACTIVE


class Writer:
    def __init__(self, out: list):
        self.out = out

    def write(self, text: str) -> None:
        self.out.append(text)

    def flush(self) -> None:
        pass


def test_a_superuser_exports_as_admin_and_imports_as_admin(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long enough secret")
    call_command("createsuperuser", interactive=False, username="boss", email="boss@acme.test")
    exported = xlsx_bytes(export_rows(acting=None))
    people = export_rows(acting=None)["people"]
    (boss,) = [row for row in people if row[0] == "boss"]
    assert "admin" in boss

    Person.objects.all().delete()  # an empty database
    report = import_book(read_bytes(exported, "export.xlsx"), acting=None)
    assert report.ok, [str(p) for p in report.problems]
    boss = Person.objects.get(username="boss")
    assert boss.role == Person.Role.ADMIN and boss.is_superuser and boss.is_staff
