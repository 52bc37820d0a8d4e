"""Inputs the OpenAPI document calls invalid are refused, not read some lenient way:
a number is not a date-time nor a date (pydantic would read it as seconds since 1970), a
boolean is not a weekday (pydantic would read false as 0). Found by schemathesis."""

import pytest

from lodestar.strategy.services import measure_create, strategic_objective_create


@pytest.fixture
def measure(world):
    objective = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=world.perspective("Customer"), name="N"
    )
    return measure_create(acting=None, objective=objective, name="NPS", baseline=0, target=50)


def refused(answer, field: str, words: str) -> bool:
    body = answer.json()
    return answer.status_code == 422 and any(words in m for m in body["errors"].get(field, []))


@pytest.mark.parametrize("since", ["0.5", "0", "1700000000", "true"])
def test_a_number_is_not_a_moment_to_list_check_ins_since(world, as_, since):
    answer = as_("admin").get("/api/v1/checkins/", {"since": since})
    assert refused(answer, "since", "date and time"), answer.content


@pytest.mark.parametrize("field", ["period_from", "period_to"])
@pytest.mark.parametrize("value", ["0", "86400", "0.5"])
def test_a_number_is_not_a_period_bound_of_measure_values(world, as_, field, value):
    answer = as_("admin").get("/api/v1/measure-values/", {field: value})
    assert refused(answer, field, "date"), answer.content


def test_a_number_is_not_a_period_bound_of_a_measures_plan(world, as_, measure):
    answer = as_("admin").get(f"/api/v1/measures/{measure.pk}/plan", {"period_to": "0"})
    assert refused(answer, "period_to", "date"), answer.content


@pytest.mark.parametrize("weekday", [False, True, 2.0, "2"])
def test_only_a_whole_number_is_a_weekday(world, as_, weekday):
    answer = as_("member").put(
        "/api/v1/me/notifications",
        {"channel": "email", "weekday": weekday},
        content_type="application/json",
    )
    assert refused(answer, "weekday", "integer"), answer.content


def test_the_valid_forms_still_work(world, as_, measure):
    client = as_("admin")
    assert client.get("/api/v1/checkins/", {"since": "2026-10-01T00:00:00Z"}).status_code == 200
    assert client.get("/api/v1/measure-values/", {"period_to": "2026-12-31"}).status_code == 200
    plan = client.get(f"/api/v1/measures/{measure.pk}/plan", {"period_from": "2026-01-01"})
    assert plan.status_code == 200
    answer = as_("member").put(
        "/api/v1/me/notifications", {"channel": "email", "weekday": 6}, "application/json"
    )
    assert answer.status_code == 200 and answer.json()["weekday"] == 6
