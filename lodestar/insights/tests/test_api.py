"""The insight endpoints on the demo: shapes, visibility, unit scope, fixed query counts."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.conftest import token_client
from lodestar.insights.tests.test_alerts import DEMO_ALERTS, PRIVATE
from lodestar.okrs.models import KeyResult
from lodestar.org.models import Person, Unit

API = "/api/v1"


@pytest.fixture
def demo(demo_org, db):
    with time_machine.travel(datetime(2026, 11, 22, 12, 0, tzinfo=UTC), tick=False):
        yield


def client(username: str):
    return token_client(Person.objects.get(username=username))


def test_alerts_are_the_demos_true_alerts(demo):
    response = client("admin").get(f"{API}/insights/alerts")
    assert response.status_code == 200
    assert {(a["kind"], a["subject"]) for a in response.json()} == DEMO_ALERTS


def test_alerts_hide_private_objectives_and_narrow_to_a_unit(demo):
    seen = {a["subject"] for a in client("ae.one").get(f"{API}/insights/alerts").json()}
    assert not seen & PRIVATE
    legal = Unit.objects.get(name="Legal")
    narrowed = client("admin").get(f"{API}/insights/alerts", {"unit": legal.pk}).json()
    assert [(a["kind"], a["subject"]) for a in narrowed] == [("unit_without_okrs", "Legal")]


def test_an_unknown_unit_is_a_404_in_the_one_error_shape(demo):
    response = client("admin").get(f"{API}/insights/alerts", {"unit": 999999})
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_alignment_names_orphans_gaps_and_the_starved_perspective(demo):
    body = client("admin").get(f"{API}/insights/alignment").json()
    assert body["cycle"]["name"] == "Q4 2026"
    assert [o["name"] for o in body["orphan_objectives"]] == ["Modernise the internal wiki"]
    starved = [p for p in body["perspective_balance"] if p["verdict"] == "starved"]
    assert [(p["perspective"]["name"], p["objectives"]) for p in starved] == [("Financial", 1)]
    gaps = {
        (g["kind"], g["cycle"]["name"], g["strategic_objective"]["name"])
        for g in body["execution_gaps"]
    }
    assert ("execution_without_impact", "Q4 2026", "L3 Keep great people") in gaps
    assert ("execution_without_impact", "Q3 2026", "L3 Keep great people") in gaps  # persists


def test_quality_gives_the_reason(demo):
    issues = client("admin").get(f"{API}/insights/quality").json()
    stay = next(
        i
        for i in issues
        if i["key_result"] and i["key_result"]["name"] == "Conduct 20 stay interviews"
    )
    assert stay["kind"] == "activity_key_result"
    assert stay["reason"] == "Counts interviews produced, not what they change."


def test_conflicts_name_the_pull_the_overload_and_the_unit(demo):
    body = client("admin").get(f"{API}/insights/conflicts").json()
    assert body["limit"] == 5
    [pull] = body["opposite_pulls"]
    assert pull["measure"]["name"] == "Gross margin"
    assert [p["person"]["name"] for p in body["overloaded_owners"]] == ["Noah Fischer"]
    assert [u["name"] for u in body["units_without_okrs"]] == ["Legal"]


def test_pace_lists_every_visible_key_result_with_its_forecast(demo):
    body = client("ae.one").get(f"{API}/insights/pace").json()
    titles = {k["key_result"]["name"] for k in body["key_results"]}
    assert not titles & PRIVATE
    stale = next(
        k
        for k in body["key_results"]
        if k["key_result"]["name"] == "Raise win rate from 18% to 25%"
    )
    assert stale["pace"] == "stale"
    assert stale["forecast"]["n"] >= 3
    assert stale["forecast"]["low"] <= stale["forecast"]["value"] <= stale["forecast"]["high"]


def test_the_forecast_endpoint_states_the_uncertainty_and_hides_private_ones(demo):
    key_result = KeyResult.objects.get(title="Raise NPS from 45 to 70")
    body = client("ae.one").get(f"{API}/key-results/{key_result.pk}/forecast").json()
    assert body["n"] >= 3
    assert body["standard_error"] > 0
    assert "95 %" in body["reading"]
    private = KeyResult.objects.get(title="Run 12 quarterly business reviews")
    assert client("ae.one").get(f"{API}/key-results/{private.pk}/forecast").status_code == 404
    assert client("cs.lead").get(f"{API}/key-results/{private.pk}/forecast").status_code == 200


def test_evidence_reports_every_link_with_n_lag_and_reading(demo):
    body = client("admin").get(f"{API}/insights/evidence").json()
    assert len(body) == 11
    for link in body:
        assert [c["lag"] for c in link["correlations"]] == [0, 1, 2, 3]
        assert all(c["n"] >= 1 for c in link["correlations"])
        assert "causes" not in link["reading"].replace("not proof that one causes", "")


def test_the_digest_is_the_callers(demo):
    people = Unit.objects.get(name="People")
    body = client("people.lead").get(f"{API}/insights/digest", {"unit": people.pk}).json()
    assert body["title"] == "Weekly digest for People, week of 16 November 2026"
    assert {a["subject"] for a in body["sections"]["quality"]} == {
        "Conduct 20 stay interviews",
        "Train 15 managers in coaching conversations",
    }


@pytest.mark.parametrize(
    "path", ["alerts", "alignment", "quality", "conflicts", "pace", "evidence", "digest"]
)
def test_each_insight_endpoint_has_a_fixed_query_count(demo, path):
    api = client("ae.one")
    api.get(f"{API}/insights/{path}")  # the token's last use and the kept alerts written
    with CaptureQueriesContext(connection) as context:
        assert api.get(f"{API}/insights/{path}").status_code == 200
    assert len(context) <= 22
