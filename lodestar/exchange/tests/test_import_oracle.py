"""The import preview tells nobody about what they may not see: a row naming a record
hidden from the importer is answered exactly as a row naming a record that does not
exist, column for column (objectives, key results and check-ins alike)."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lodestar.exchange.exporter import export_rows
from lodestar.exchange.models import ImportKey
from lodestar.exchange.tests.conftest import workbook
from lodestar.jobs.testing import run_jobs
from lodestar.okrs.models import Objective
from lodestar.okrs.services import checkin_create, key_result_create, objective_create

AT = datetime(2026, 10, 15, 12, tzinfo=timezone.get_current_timezone())
MISSING = "objectives-999999"
MISSING_KR = "key-results-999999"


@pytest.fixture
def secret(world):
    """The member's private objective with a key result and a check-in, keyed by an
    admin's export (`objectives-<id>`: guessable)."""
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Secret plan",
        owner=world.member,
        visibility="private",
    )
    kr = key_result_create(
        acting=None, objective=objective, title="Hidden", owner=world.member, target=5
    )
    checkin_create(acting=None, key_result=kr, value=1, confidence=4, at=AT)
    export_rows(acting=None)
    keys = dict(ImportKey.objects.values_list("model", "key").filter(model__startswith="okrs."))
    return objective, keys["okrs.objective"], keys["okrs.keyresult"], keys["okrs.cycle"]


def answer(client, sheets: dict, hidden: str, missing: str):
    """The preview's lines and problems, the key as a neutral word."""
    response = client.post("/import/", {"file": SimpleUploadedFile("o.xlsx", workbook(sheets))})
    report = response.context["report"]
    problems = [
        str(problem).replace(hidden, "KEY").replace(missing, "KEY") for problem in report.problems
    ]
    return response.status_code, report.lines(), problems


def objective_rows(key: str, cycle: str, title: str, owner: str) -> dict:
    return {
        "objectives": [
            ["key", "cycle", "title", "owner", "visibility"],
            [key, cycle, title, owner, "private"],
        ]
    }


@pytest.mark.parametrize(
    ("title", "owner"),
    [("Secret plan", "member"), ("Another guess", "member"), ("Secret plan", "outsider")],
)
def test_a_hidden_objective_answers_as_a_missing_one(world, signed_in, secret, title, owner):
    _, key, _, cycle = secret
    client = signed_in(world.outsider)
    hidden = answer(client, objective_rows(key, cycle, title, owner), key, MISSING)
    missing = answer(client, objective_rows(MISSING, cycle, title, owner), key, MISSING)
    assert hidden == missing
    assert "unchanged" not in " ".join(hidden[1]) and "may not change" not in str(hidden[2])


@pytest.mark.parametrize("values", [(1, 4), (2, 4)])
def test_a_hidden_key_results_check_ins_answer_as_a_missing_ones(world, signed_in, secret, values):
    _, _, kr_key, _ = secret
    client = signed_in(world.outsider)

    def rows(key):
        return {
            "checkins": [
                ["key_result", "at", "value", "confidence"],
                [key, AT.isoformat(), *values],
            ]
        }

    hidden = answer(client, rows(kr_key), kr_key, MISSING_KR)
    missing = answer(client, rows(MISSING_KR), kr_key, MISSING_KR)
    assert hidden == missing
    assert "unchanged" not in " ".join(hidden[1]) and "other values" not in str(hidden[2])


def test_a_hidden_records_key_imported_makes_a_record_of_ones_own_and_leaves_it_alone(
    world, signed_in, secret
):
    objective, key, _, cycle = secret
    client = signed_in(world.outsider)
    preview = client.post(
        "/import/",
        {
            "file": SimpleUploadedFile(
                "o.xlsx", workbook(objective_rows(key, cycle, "Mine", "outsider"))
            )
        },
    )
    assert preview.context["report"].lines() == ["objectives: 1 created"]
    client.post("/import/confirm/", {"token": preview.context["token"], "filename": "o.xlsx"})
    run_jobs("imports")
    assert Objective.objects.get(title="Mine").owner == world.outsider
    objective.refresh_from_db()
    assert objective.title == "Secret plan" and objective.owner == world.member
    assert ImportKey.objects.get(model="okrs.objective", key=key).object_id == objective.pk
