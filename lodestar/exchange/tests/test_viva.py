"""Viva Goals exports (issue 24): both shapes, each trap of the product's files, the
malformed ones refused with nothing written, and the surfaces (command, page, job)."""

import io
import json
import re
import time
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lodestar.exchange.incoming import import_incoming, preview_incoming, read_incoming
from lodestar.exchange.models import ImportKey
from lodestar.exchange.template import template_workbook
from lodestar.exchange.tests import viva_sample as sample_files
from lodestar.exchange.tests.viva_sample import CUSTOM, organisation
from lodestar.jobs.testing import run_jobs
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.okrs.services import cycle_create, objective_create
from lodestar.org.models import Person
from lodestar.org.services import person_create

SMALL = {"top": 2, "per_top": 2, "per_team": 1}


def incoming_of(data: bytes, name: str, acting, **options):
    return read_incoming(io.BytesIO(data), name, acting=acting, **options)


def imported(data: bytes, name: str, acting, **options):
    report = import_incoming(incoming_of(data, name, acting, **options), acting=acting)
    assert report.ok, [str(problem) for problem in report.problems[:5]]
    return report


def refused(data: bytes, name: str, acting, database_state) -> list[str]:
    """The file's problems, as the preview and the import say them; nothing written."""
    before = database_state()
    incoming = incoming_of(data, name, acting)
    preview = preview_incoming(incoming, acting=acting)
    report = import_incoming(incoming, acting=acting)
    assert not preview.ok and not report.ok and not report.written
    assert database_state() == before
    return [str(problem) for problem in report.problems]


def json_records(sample, **changes) -> bytes:
    entries = sample_files.json_entries(sample)
    for name, change in changes.items():
        entries[name] = change(entries[name])
    return sample_files.json_zip(sample, entries)


def objective_named(title: str) -> Objective:
    return Objective.objects.get(title=title)


def goal_titled(sample, title: str):
    return next(goal for goal in sample.goals if goal.title == title)


# Both shapes -----------------------------------------------------------------------------
@pytest.mark.parametrize("shape", ["json_zip", "explorer_csv", "explorer_xlsx"])
def test_each_shape_is_found_by_its_headers_or_entries_and_imports_the_tree(world, shape):
    sample = organisation(**SMALL)
    data = getattr(sample_files, shape)(sample)
    name = {"json_zip": "viva.zip", "explorer_csv": "viva.csv", "explorer_xlsx": "viva.xlsx"}
    incoming = incoming_of(data, name[shape], world.admin)
    assert incoming.shape == "viva"
    imported(data, name[shape], world.admin)
    wanted = {goal.title for goal in sample.goals if goal.role == "objective"}
    assert set(Objective.objects.values_list("title", flat=True)) == wanted
    for goal in sample.goals:
        if goal.role == "objective" and goal.parent is not None:
            parent = goal.parent if goal.parent.role == "objective" else goal.parent.parent
            assert objective_named(goal.title).parent.title == parent.title
        if goal.role == "key result":
            holding = ObjectiveKeyResult.objects.get(key_result__title=goal.title)
            assert holding.objective.title == goal.parent.title
            expected = goal.weight if goal.weight is not None else 1.0
            assert holding.weight == pytest.approx(expected)
    assert Cycle.objects.filter(name__in=["Q1 2025", "Q2 2025"], state="closed").count() == 2


def test_the_json_export_matches_people_by_e_mail_and_keeps_check_in_histories(world):
    sample = organisation(**SMALL)
    ana = sample.users[0]
    stored = person_create(acting=None, username="ana", email=ana[1].upper(), first_name="A")
    imported(sample_files.json_zip(sample), "viva.zip", world.admin)
    assert Person.objects.filter(email__iexact=ana[1]).count() == 1  # matched, not made again
    someone = sample.users[5]
    made = Person.objects.get(email=someone[1])
    assert made.get_full_name() == someone[0] and made.manager == stored
    for goal in sample.goals:
        if goal.role == "objective" or not goal.checkins or goal.kind == "Find a baseline":
            continue
        key_result = KeyResult.objects.get(title=goal.title)
        assert (
            key_result.owner.email.lower()
            == dict((u[0], u[1]) for u in sample.users)[goal.owner].lower()
        )
        assert CheckIn.objects.filter(key_result=key_result).count() == len(goal.checkins)


# The traps ---------------------------------------------------------------------------
def test_custom_terms_are_placed_by_the_tree(world):
    sample = organisation(**SMALL, terms=CUSTOM)
    report = imported(sample_files.json_zip(sample), "viva.zip", world.admin)
    outcomes = [goal for goal in sample.goals if goal.type == "Outcome"]
    as_objectives = {goal.title for goal in outcomes if goal.role == "objective"}
    as_key_results = {goal.title for goal in outcomes if goal.role == "key result"}
    assert as_objectives and as_key_results  # "Outcome" is both in one file
    assert as_objectives <= set(Objective.objects.values_list("title", flat=True))
    assert as_key_results <= set(KeyResult.objects.values_list("title", flat=True))
    big_rocks = {goal.title for goal in sample.goals if goal.type == "Big rock"}
    assert set(Objective.objects.filter(parent=None).values_list("title", flat=True)) == big_rocks
    projects = [goal for goal in sample.goals if goal.type == "Project"]
    for project in projects:  # work under a key result: a milestone that does not count
        holding = ObjectiveKeyResult.objects.get(key_result__title=project.title)
        assert holding.key_result.kind == "milestone" and holding.weight == 0
        assert holding.objective.title == project.parent.parent.title
    said = " ".join(report.decisions)
    assert "Outcome as objective" in said and "Outcome as key result" in said
    assert "Big rock as objective" in said and "initiatives serve strategic objectives" in said


def explorer(rows: list[dict]) -> bytes:
    columns = sample_files.EXPLORER_COLUMNS
    lines = [",".join(columns)]
    for row in rows:
        cells = [json.dumps(str(row.get(column, ""))) for column in columns]
        lines.append(",".join(cells))
    return ("\n".join(lines) + "\n").encode()


QUARTER = {"Period": "Q3 2025", "Start Date": "2025-07-01", "End Date": "2025-09-30"}


def objective_row(goal_id="1", title="Grow", **more) -> dict:
    return {"Id": goal_id, "Title": title, "Object Type": "Objective", **QUARTER, **more}


def kr_row(goal_id, title, parent="1", weight="", **more) -> dict:
    aligned = f"Grow(weight: {weight}%, Id: {parent})"
    row = {"Id": goal_id, "Title": title, "Object Type": "Key result", "Aligned To": aligned}
    return row | QUARTER | more


def checkin(at: str, value: str, status="On Track", note="") -> str:
    return (
        f"Checkin Date: {at}; User: Ana Lima; Note: {note}; Status: {status}; "
        f"Current Value: {value}; Activity Date: {at} UTC;"
    )


def test_kinds_values_statuses_and_weights(world):
    rows = [
        objective_row(),
        kr_row("2", "Revenue", weight="40", **{"Goal Type": "Increase from", "Start": "10",
               "Target": "50", "Unit": "€k", "Checkins": checkin("2025-08-01", "25%")}),
        kr_row("3", "Churn", weight="60", **{"Goal Type": "Decrease from", "Start": "8",
               "Target": "4", "Checkins": checkin("2025-08-02", "6", "At Risk")}),
        kr_row("4", "Uptime", **{"Goal Type": "Stay above", "Target": "99.5", "Unit": "%",
               "Checkins": checkin("2025-08-03", "99.7%", "Behind")}),
        kr_row("5", "Latency", **{"Goal Type": "Stay below", "Target": "200",
               "Checkins": checkin("2025-08-04", "180", "Postponed")}),
        kr_row("6", "Deals", **{"Goal Type": "Reach", "Target": "20",
               "Checkins": checkin("2025-08-05", "5", "Closed")}),
        kr_row("7", "NPS", **{"Goal Type": "Find a baseline",
               "Checkins": checkin("2025-08-06", "31")}),
    ]  # fmt: skip
    report = imported(explorer(rows), "explorer.csv", world.admin)
    kr = {k.title: k for k in KeyResult.objects.all()}
    revenue = CheckIn.objects.get(key_result=kr["Revenue"])
    assert (kr["Revenue"].kind, kr["Revenue"].baseline, kr["Revenue"].target) == ("metric", 10, 50)
    assert revenue.value == 20  # a quarter of the way from 10 to 50
    assert revenue.confidence == 8
    assert (kr["Churn"].baseline, kr["Churn"].target) == (8, 4)
    assert CheckIn.objects.get(key_result=kr["Churn"]).confidence == 3  # at risk: low
    assert kr["Uptime"].kind == "stay_above" and kr["Latency"].kind == "stay_below"
    assert CheckIn.objects.get(key_result=kr["Uptime"]).value == 99.7  # measured in %
    assert CheckIn.objects.get(key_result=kr["Uptime"]).confidence == 5
    assert (kr["Deals"].baseline, kr["Deals"].target) == (0, 20)
    nps = kr["NPS"]
    assert (nps.kind, nps.target) == ("milestone", 1) and not nps.checkins.exists()
    weights = dict(
        ObjectiveKeyResult.objects.values_list("key_result__title", "weight")
    )  # the 40 % and 60 % given, the unweighted four share what is left: nothing
    assert weights["Revenue"] == 40 and weights["Churn"] == 60 and weights["Uptime"] == 0
    said = " ".join(report.decisions)
    assert "1 key results were to find a baseline" in said
    assert "1 check-ins of key results finding their baseline are left out" in said


def test_people_named_by_display_name_are_matched_once_or_listed_to_map(world):
    person_create(acting=None, username="bo", first_name="Bo", last_name="Berg")
    rows = [
        objective_row(Owner="Bo Berg"),
        kr_row("2", "Revenue", Owner="Dara Novak, Bo Berg", **{"Target": "5"}),
        objective_row("3", "Other", Owner="Eli Sato"),
    ]
    incoming = incoming_of(explorer(rows), "explorer.csv", world.admin)
    said = " ".join(preview_incoming(incoming, acting=world.admin).decisions)
    assert "2 people named by display name only could not be matched" in said
    assert "Dara Novak (1×)" in said and "Eli Sato (1×)" in said
    assert "matched 1 by display name" in said
    imported(explorer(rows), "explorer.csv", world.admin, people={"Eli Sato": "member"})
    assert objective_named("Grow").owner.username == "bo"
    assert objective_named("Other").owner == world.member  # mapped by the person importing
    assert KeyResult.objects.get(title="Revenue").owner == world.admin  # unmatched: theirs


# Malformed files: a clear error, nothing written ----------------------------------------
def test_a_truncated_zip_is_refused(world, database_state):
    data = sample_files.json_zip(organisation(**SMALL))
    problems = refused(data[: len(data) // 2], "viva.zip", world.admin, database_state)
    assert "damaged or truncated zip" in problems[0]


def test_a_check_in_for_an_unknown_objective_is_refused(world, database_state):
    sample = organisation(**SMALL)
    data = json_records(sample, checkins=lambda rows: [*rows, {**rows[0], "OKR ID": "999999"}])
    problems = refused(data, "viva.zip", world.admin, database_state)
    assert any("the goal '999999', which the export does not hold" in p for p in problems)
    assert problems[0].startswith("export/checkins.json, row ")


def test_an_alignment_loop_is_refused(world, database_state):
    rows = [objective_row("1", "Grow", **{"Aligned To": "Win(weight: 50%, Id: 2)"})]
    rows.append(objective_row("2", "Win", **{"Aligned To": "Grow(weight: 50%, Id: 1)"}))
    problems = refused(explorer(rows), "explorer.csv", world.admin, database_state)
    assert (
        "The alignment makes a loop: 'Grow' (Id 1) → 'Win' (Id 2) → 'Grow' (Id 1)" in (problems[0])
    )


def test_weights_that_sum_to_nothing_are_refused(world, database_state):
    rows = [objective_row(), kr_row("2", "A", weight="0", Target="5")]
    rows.append(kr_row("3", "B", weight="0", Target="5"))
    problems = refused(explorer(rows), "explorer.csv", world.admin, database_state)
    assert problems == [
        "explorer.csv, row 2, column Aligned To: The 2 goals aligned to 'Grow' (Id 1) weigh "
        "0 % together: its progress would be nothing over nothing. Give them weights, or none "
        "(equal weights)."
    ]


def test_a_50000_row_export_is_refused_quickly(world, database_state):
    rows = [objective_row(str(n), f"Goal {n}") for n in range(50_000)]
    started = time.monotonic()
    problems = refused(explorer(rows), "explorer.csv", world.admin, database_state)
    assert time.monotonic() - started < 30
    assert "The export holds 20,001 goals; at most 20,000 import at once" in problems[0]


def test_a_problem_is_said_where_it_lies_in_the_file(world):
    rows = [objective_row(), kr_row("2", "Flat", **{"Start": "5", "Target": "5"})]
    incoming = incoming_of(explorer(rows), "explorer.csv", world.admin)
    [problem] = preview_incoming(incoming, acting=world.admin).problems
    assert (problem.sheet, problem.row, problem.column) == ("explorer.csv", 3, "Target")
    assert "as Lodestar's key results, column target" in problem.message


# The dry run, the command, the page --------------------------------------------------
def test_the_dry_run_names_every_decision(world, database_state):
    cycle_create(acting=None, name="Summer", start=date(2025, 6, 15), end=date(2025, 7, 15))
    before = database_state()
    sample = organisation(**SMALL)
    report = preview_incoming(
        incoming_of(sample_files.json_zip(sample), "viva.zip", world.admin), acting=world.admin
    )
    assert database_state() == before
    lines = report.lines()
    assert "people: 40 created" in lines and "objectives: 20 created" in lines
    said = "\n".join(lines)
    assert "Viva Goals export: 20 objectives, " in said
    assert "It overlaps the cycle Summer (2025-06-15 to 2025-07-15)." in said
    assert "20 objectives have no strategic objective: link them after import" in said


def test_the_command_imports_a_viva_file_with_its_progress(world, tmp_path):
    path = tmp_path / "viva.zip"
    sample = organisation(top=4, per_top=4, per_team=1)
    path.write_bytes(sample_files.json_zip(sample))
    out = io.StringIO()
    call_command("import", str(path), "--from", "viva", "--as", "admin", stdout=out)
    said = out.getvalue()
    assert re.search(r"\n  \d+/\d+ rows\n", said) and "Imported." in said  # its progress
    assert Objective.objects.count() == sum(goal.role == "objective" for goal in sample.goals)
    with pytest.raises(CommandError, match="write it as 'Display Name=login'"):
        call_command("import", str(path), "--person", "nobody", stdout=io.StringIO())


def test_the_page_previews_a_viva_file_and_its_job_imports_it(world, signed_in):
    client = signed_in(world.admin)
    data = sample_files.explorer_xlsx(organisation(**SMALL))
    upload = io.BytesIO(data)
    upload.name = "explorer.xlsx"
    page = client.post("/import/", {"file": upload})
    assert page.status_code == 200
    assert b"Viva Goals export: 20 objectives" in page.content
    assert b"could not be matched" in page.content
    token = page.context["token"]
    confirmed = client.post("/import/confirm/", {"token": token, "filename": "explorer.xlsx"})
    assert confirmed.status_code == 302
    run_jobs("imports")
    assert Objective.objects.count() == 20
    status = client.get(confirmed.url)
    assert b"Viva Goals export" in status.content


def test_a_member_cannot_bring_in_teams_and_people(world, signed_in, database_state):
    client = signed_in(world.member)
    client.get("/import/")  # signed in (the session is written) before the state is taken
    before = database_state()
    upload = io.BytesIO(sample_files.json_zip(organisation(**SMALL)))
    upload.name = "viva.zip"
    page = client.post("/import/", {"file": upload})
    assert b"Only an admin may change the organisation." in page.content
    assert b"Confirm the import" not in page.content
    assert database_state() == before


def test_a_damaged_viva_zip_on_the_page_is_a_400(world, signed_in):
    data = sample_files.json_zip(organisation(**SMALL))
    upload = io.BytesIO(data[:2000])
    upload.name = "viva.zip"
    page = signed_in(world.admin).post("/import/", {"file": upload})
    assert page.status_code == 400 and b"damaged or truncated zip" in page.content


def test_a_zip_that_is_not_a_viva_export_is_read_as_lodestar_layout(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("units.csv", "key,name\nweb,Web\n")
    assert incoming_of(out.getvalue(), "book.zip", world.admin).shape == "lodestar"
    # A workbook with the layout's sheets is told by their names, not read twice.
    assert incoming_of(template_workbook(), "template.xlsx", world.admin).shape == "lodestar"


def test_a_viva_id_held_by_a_private_objective_leaks_nothing(world, signed_in):
    """Someone's private objective keyed as a Viva goal: another's file with that Id
    neither names nor changes it; it makes an objective of theirs."""
    hidden = objective_create(
        acting=world.admin,
        cycle=world.cycle,
        title="Secret merger",
        owner=world.admin,
        visibility="private",
    )
    ImportKey.objects.create(model="okrs.objective", key="viva-1", object_id=hidden.pk)
    rows = [
        objective_row("1", "Own goal", Owner="member"),
        kr_row("2", "Calls", Target="10", Owner="member"),
    ]
    upload = io.BytesIO(explorer(rows))
    upload.name = "explorer.csv"
    page = signed_in(world.member).post("/import/", {"file": upload})
    assert b"Secret merger" not in page.content
    assert b"objectives: 1 created" in page.content


# Done when: the scores ------------------------------------------------------------------
def test_a_few_hundred_objectives_move_in_with_the_files_own_scores(world):
    sample = organisation(top=6, per_top=7, per_team=2)
    objectives = sum(goal.role == "objective" for goal in sample.goals)
    assert objectives > 250 and sample.checkin_count > 4000
    report = imported(sample_files.json_zip(sample), "viva.zip", world.admin)
    assert Objective.objects.filter(cycle__name__in=["Q1 2025", "Q2 2025"]).count() == objectives
    assert CheckIn.objects.count() == sum(
        len(goal.checkins) for goal in sample.goals if goal.kind != "Find a baseline"
    )
    [said] = [line for line in report.decisions if line.startswith("Scores against the file")]
    print(said)  # the figures of the report: pytest -s
    agree = int(re.search(r"(\d+) of \d+ objectives score as its Progress %", said)[1])
    assert agree > objectives / 2 and "another reason" not in said
    scores = dict(Objective.objects.values_list("title", "score"))
    for goal in sample.goals:  # the sample's own account agrees with the report's
        if goal.role == "objective" and not goal.children_differ:
            assert scores[goal.title] == pytest.approx(goal.progress / 100, abs=0.005)
