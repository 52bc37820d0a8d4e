"""Importing spreadsheets: what goes in, what a second import does, and every kind of
bad input refused with a clear message while the database stays exactly as it was."""

import io
import zipfile
from datetime import date, datetime

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from lodestar.exchange.importer import import_book
from lodestar.exchange.layout import SHEETS
from lodestar.exchange.reader import LIMITS, read, read_bytes
from lodestar.exchange.tests.conftest import workbook
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.org.models import Membership, Person, Unit

UNITS = ["Key", "Name", "Kind", "Parent"]


def imported(data: bytes, name: str = "book.xlsx", acting=None, dry_run=False):
    return import_book(read_bytes(data, name), acting=acting, dry_run=dry_run)


def messages(report) -> list[str]:
    return [str(problem) for problem in report.problems]


@pytest.fixture
def okr_book(world):
    """A cycle, a unit objective with two key results (one shared), dated check-ins."""
    return {
        "cycles": [
            ["key", "name", "start", "end", "state"],
            ["q3", "Q3 2026", "2026-07-01", "2026-09-30", "closed"],
        ],
        "objectives": [
            ["key", "cycle", "title", "unit", "owner", "parent", "visibility"],
            ["grow", "q3", "Grow sales", None, "lead", None, "public"],
            ["mine", "q3", "Learn", None, "member", "grow", "private"],
        ],
        "key_results": [
            ["key", "objective", "title", "owner", "baseline", "target", "weight"],
            ["deals", "grow", "Deals", "member", 0, 100, 3],
        ],
        "key_result_shares": [["objective", "key_result", "weight"], ["mine", "deals", 0.5]],
        "checkins": [
            ["key_result", "at", "value", "confidence", "note"],
            ["deals", "2026-07-15", 20, 6, "first"],
            ["deals", date(2026, 8, 15), 60, 7, None],
        ],
    }


def test_a_whole_organisation_imports_and_a_second_import_updates_instead(world, database_state):
    sheets = {
        "Units": [
            UNITS,
            ["hq", "Globex", "company", None],
            ["ops", "Operations", "department", "hq"],
        ],
        "People": [
            ["Login", "E-mail", "First Name", "role", "MANAGER"],
            ["hank", "hank@globex.test", "Hank", "member", None],
            ["ann", "ann@globex.test", "Ann", "member", "hank@globex.test"],
        ],
        "memberships": [
            ["unit", "person", "role"],
            ["ops", "HANK@globex.test", "lead"],
            ["ops", "ann", None],
        ],
    }
    report = imported(workbook(sheets))
    assert report.ok, messages(report)
    ops = Unit.objects.get(name="Operations")
    assert ops.parent.name == "Globex"
    assert Person.objects.get(username="ann").manager.username == "hank"
    assert Membership.objects.get(unit=ops, role="lead").person.username == "hank"
    sheets["Units"][2][1] = "Operations & Logistics"
    again = imported(workbook(sheets))
    assert again.counts["units"] == {"changed": 1, "unchanged": 1}
    assert Unit.objects.filter(parent__name="Globex").get().name == "Operations & Logistics"
    before = database_state()
    assert imported(workbook(sheets)).counts["people"] == {"unchanged": 2}
    assert database_state() == before


@time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=timezone.get_current_timezone()), tick=False)
def test_okrs_import_with_weights_shares_and_dated_check_ins(world, okr_book):
    report = imported(workbook(okr_book), acting=world.admin)
    assert report.ok, messages(report)
    deals = KeyResult.objects.get(title="Deals")
    assert {(h.objective.title, h.weight) for h in deals.holdings.all()} == {
        ("Grow sales", 3),
        ("Learn", 0.5),
    }
    assert deals.current == 60 and list(CheckIn.objects.values_list("value", flat=True)) == [20, 60]
    assert Objective.objects.get(title="Learn").parent.title == "Grow sales"
    assert deals.cycle.state == "closed"
    # A closed cycle's objectives keep their score as final grade (60 % of the way).
    assert Objective.objects.get(title="Grow sales").final_grade == pytest.approx(0.6)


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(world, database_state):
    before = database_state()
    report = imported(workbook({"units": [UNITS, ["x", "X", None, None]]}), dry_run=True)
    assert report.ok and report.counts["units"] == {"created": 1} and not report.written
    assert database_state() == before


def test_an_import_can_do_no_more_than_its_user_by_hand(world, database_state):
    before = database_state()
    report = imported(workbook({"units": [UNITS, ["x", "X", None, None]]}), acting=world.lead)
    assert messages(report) == ["units, row 2: Only an admin may change the organisation."]
    assert database_state() == before


def refused(data: bytes, name: str = "book.xlsx", acting=None) -> list[str]:
    report = imported(data, name, acting=acting)
    assert not report.ok
    return messages(report)


BAD_BOOKS = {
    "wrong types": (
        {
            "perspectives": [["key", "scorecard", "name", "position"], ["p", "s", "P", "top"]],
            "scorecards": [
                ["key", "unit", "name", "period start", "period end"],
                ["s", "u", "S", "soon", "2026-12-31"],
            ],
            "units": [UNITS, ["u", "U", None, None]],
        },
        [
            "scorecards, row 2, column period_start: The value is not a date (YYYY-MM-DD): 'soon'.",
            "perspectives, row 2, column position: The value is not a number ('top').",
        ],
    ),
    "missing required columns": (
        {"units": [["key", "kind"], ["u", "team"]]},
        ["units, row 1, column name: A required column is missing."],
    ),
    "unknown owners and units": (
        {
            "objectives": [
                ["key", "cycle", "title", "unit", "owner"],
                ["o", "c", "T", "nowhere", "nobody"],
            ],
            "cycles": [["key", "name", "start", "end"], ["c", "C", "2026-01-01", "2026-03-31"]],
        },
        [
            "objectives, row 2, column unit: No units row with key 'nowhere'.",
            "objectives, row 2, column owner: No person with login or e-mail 'nobody'.",
        ],
    ),
    "a parent that makes a loop": (
        {"units": [UNITS, ["a", "A", None, "b"], ["b", "B", None, "a"], ["c", "C", None, None]]},
        [
            "units, row 2, column parent: This parent makes a loop.",
            "units, row 3, column parent: This parent makes a loop.",
        ],
    ),
    "duplicate keys": (
        {"units": [UNITS, ["a", "A", None, None], ["A ", "Again", None, None]]},
        ["units, row 3, column key: Duplicate of row 2 (a)."],
    ),
    "a key result with target equal to baseline": (
        {
            "cycles": [["key", "name", "start", "end"], ["c", "C", "2026-10-01", "2026-12-31"]],
            "objectives": [["key", "cycle", "title", "owner"], ["o", "c", "T", "admin"]],
            "key_results": [
                ["key", "objective", "title", "owner", "baseline", "target"],
                ["k", "o", "K", "admin", 5, 5],
            ],
        },
        ["key_results, row 2, column target: The target equals the baseline: nothing to progress."],
    ),
    "an empty sheet": (
        {"units": []},
        ["units: The sheet is empty: give it a header row, or remove it."],
    ),
}


@pytest.mark.parametrize("case", BAD_BOOKS)
def test_bad_input_is_refused_with_every_problem_and_nothing_written(world, database_state, case):
    sheets, expected = BAD_BOOKS[case]
    before = database_state()
    assert refused(workbook(sheets)) == expected
    assert database_state() == before


@time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=timezone.get_current_timezone()), tick=False)
def test_a_check_in_outside_its_cycle_refuses_the_whole_import(world, okr_book, database_state):
    okr_book["checkins"].append(["deals", "2026-10-02", 90, 8, None])
    before = database_state()
    assert refused(workbook(okr_book), acting=world.admin) == [
        "checkins, row 4, column at: "
        "The date lies outside the cycle Q3 2026 (2026-07-01 to 2026-09-30)."
    ]
    assert database_state() == before


def test_formulas_and_merged_cells_are_refused(world, database_state):
    import openpyxl

    book = openpyxl.Workbook()
    units = book.active
    units.title = "units"
    units.append(UNITS)
    units.append(["a", '=CONCAT("A","B")', None, None])
    people = book.create_sheet("people")
    people.append(["login", "email"])
    people.append(["x", "y"])
    people.merge_cells("A2:B2")
    stream = io.BytesIO()
    book.save(stream)
    before = database_state()
    assert refused(stream.getvalue()) == [
        'units, row 2, column Name: A formula (=CONCAT("A","B")): paste its value instead.',
        "people: The sheet has merged cells: unmerge them, one value per cell.",
    ]
    assert database_state() == before


def test_a_csv_that_is_not_utf8_is_refused(world):
    data = "key,name\nm,Müller\n".encode("cp1252")
    assert refused(data, "units.csv") == [
        "units: The file is not UTF-8 (byte 13); save it as “CSV UTF-8”."
    ]


def test_a_windows_1252_csv_after_a_byte_order_mark_imports(world):
    data = b"\xef\xbb\xbf" + "Key;Name;Kind\nm;Müller GmbH;company\n".encode("cp1252")
    report = imported(data, "Units.csv")
    assert report.ok, messages(report)
    assert Unit.objects.filter(name="Müller GmbH", kind="company").exists()


def test_a_zip_or_folder_of_csv_files_imports(world, tmp_path):
    (tmp_path / "units.csv").write_text("key,name\nz,Zed\n", encoding="utf-8")
    (tmp_path / "memberships.csv").write_text("unit,person,role\nz,member,lead\n", encoding="utf-8")
    report = import_book(read(tmp_path), acting=None)
    assert report.ok, messages(report)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("units.csv", "key,name\nz,Zed again\n")
    assert imported(stream.getvalue(), "book.zip").counts["units"] == {"changed": 1}
    assert Membership.objects.get(unit__name="Zed again").role == "lead"


def test_a_file_that_is_not_a_spreadsheet_is_refused(world):
    assert refused(b"%PDF-1.7 not a sheet", "report.pdf") == [
        "file: report.pdf is not a spreadsheet: give an .xlsx workbook, a .csv file, or a zip "
        "or folder of .csv files named after the sheets."
    ]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(world):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (400 * 1024 * 1024))
    assert len(stream.getvalue()) < 1024 * 1024
    [message] = refused(stream.getvalue())
    assert "would unpack to 400 MB" in message and "zip bomb" in message


def test_a_file_of_too_many_rows_is_refused_with_a_clear_message(world):
    data = ("key,name\n" + "".join(f"u{i},U{i}\n" for i in range(LIMITS.rows + 1))).encode()
    assert refused(data, "units.csv") == [
        f"file: More than {LIMITS.rows:,} rows: split the file and import it in parts."
    ]


def test_the_command_exits_non_zero_when_anything_is_refused(world, tmp_path, database_state):
    path = tmp_path / "units.csv"
    path.write_text("key,name,parent\na,A,a\n", encoding="utf-8")
    before = database_state()
    with pytest.raises(CommandError, match="1 problems; nothing was imported"):
        call_command(
            "import", str(path), "--as", "admin", stdout=io.StringIO(), stderr=io.StringIO()
        )
    path.write_text("key,name\na,A\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import", str(path), "--dry-run", stdout=out)
    assert "units: 1 created" in out.getvalue() and "nothing written" in out.getvalue()
    assert database_state() == before
    call_command("import", str(path), stdout=io.StringIO())
    assert Unit.objects.filter(name="A").exists()


@time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=timezone.get_current_timezone()), tick=False)
def test_an_imported_history_writes_each_months_actual_and_the_pace_of_today(world):
    from lodestar.exchange.models import ImportKey
    from lodestar.scores.pace import key_result_pace
    from lodestar.strategy.models import MeasureValue
    from lodestar.strategy.services import measure_create, strategic_objective_create

    strategic = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=world.perspective("Customer"), name="N"
    )
    measure = measure_create(acting=None, objective=strategic, name="NPS", baseline=0, target=100)
    ImportKey.objects.create(model="strategy.measure", key="nps", object_id=measure.pk)
    sheets = {
        "objectives": [["key", "cycle", "title", "owner"], ["o", "q4", "Grow", "lead"]],
        "cycles": [["key", "name", "start", "end"], ["q4", "Q4 bis", "2026-10-01", "2026-12-31"]],
        "key_results": [
            ["key", "objective", "title", "owner", "target", "linked measure"],
            ["k", "o", "NPS", "lead", 100, "nps"],
        ],
        "checkins": [
            ["key_result", "at", "value", "confidence"],
            ["k", "2026-11-10", 50, 8],
            ["k", "2026-10-05", 10, 5],
            ["k", "2026-10-25", 30, 6],
        ],
    }
    assert imported(workbook(sheets)).ok
    kr = KeyResult.objects.get(title="NPS")
    assert (kr.current, kr.latest_confidence) == (50, 8)
    # Half the way at 56 % of the cycle: on track (stale only after 14 days without one).
    assert key_result_pace(kr, kr.cycle).value == "on_track"

    def actuals() -> dict:
        return dict(MeasureValue.objects.filter(measure=measure).values_list("period", "actual"))

    assert actuals() == {date(2026, 10, 1): 30, date(2026, 11, 1): 50}
    sheets["checkins"].append(["k", "2026-10-28", 35, 6])  # later in October, older than the latest
    report = imported(workbook(sheets))
    assert report.counts["checkins"] == {"created": 1, "unchanged": 3}
    kr.refresh_from_db()
    assert kr.current == 50 and actuals() == {date(2026, 10, 1): 35, date(2026, 11, 1): 50}


def test_every_column_the_exchange_reads_or_writes_is_an_attribute_of_its_model():
    for sheet in SHEETS:
        model = apps.get_model(sheet.model)
        names = {field.name for field in model._meta.get_fields()}
        # A property read and written through the services (a scorecard's draft) counts.
        names |= {n for k in model.__mro__ for n, v in vars(k).items() if isinstance(v, property)}
        columns = {column.field for column in sheet.columns if column.field}
        assert columns <= names, f"{sheet.name}: {sorted(columns - names)}"
