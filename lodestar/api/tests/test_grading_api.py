"""`POST /api/v1/objectives/{id}/grade`: the cycle review through the API, by the same
service and permission rule as the page."""

from datetime import date

import pytest

from lodestar.okrs.models import Objective
from lodestar.okrs.services import cycle_close, cycle_create, objective_create


def grade(client, objective_id: int, body: dict):
    return client.post(
        f"/api/v1/objectives/{objective_id}/grade", body, content_type="application/json"
    )


@pytest.fixture
def closed_objective(world) -> Objective:
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Grow sales", unit=world.sales
    )
    cycle_close(acting=None, cycle=world.cycle)
    return objective


def test_it_grades_an_objective_of_a_closed_cycle(closed_objective, as_):
    answer = grade(
        as_("lead"),
        closed_objective.pk,
        {"final_grade": 0.7, "retrospective": "Late hires.", "grade_reason": "Hiring froze."},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["final_grade"] == 0.7 and body["retrospective"] == "Late hires."
    closed_objective.refresh_from_db()
    assert closed_objective.final_grade == 0.7


def test_it_refuses_those_who_may_not_change_the_objective(closed_objective, as_):
    for persona in ("viewer", "outsider"):
        answer = grade(as_(persona), closed_objective.pk, {"final_grade": 1, "retrospective": ""})
        assert answer.status_code == 403
    closed_objective.refresh_from_db()
    assert closed_objective.final_grade is None


@pytest.mark.parametrize("value", [1.5, -0.1, "NaN"])
def test_it_answers_422_for_a_grade_outside_0_to_1(closed_objective, as_, value):
    answer = grade(as_("lead"), closed_objective.pk, {"final_grade": value, "retrospective": ""})
    assert answer.status_code == 422
    assert "final_grade" in str(answer.json()["errors"])


def test_it_answers_400_in_planning_with_the_field_named(world, as_):
    planned = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    objective = objective_create(acting=None, cycle=planned, title="Later", unit=world.sales)
    answer = grade(as_("lead"), objective.pk, {"final_grade": 0.5, "retrospective": ""})
    assert answer.status_code == 400
    assert "final_grade" in answer.json()["errors"]


def test_a_private_objective_is_not_found_for_those_who_may_not_see_it(world, as_):
    private = objective_create(
        acting=None, cycle=world.cycle, title="Secret", owner=world.lead, visibility="private"
    )
    answer = grade(as_("outsider"), private.pk, {"final_grade": 0.5, "retrospective": ""})
    assert answer.status_code == 404
