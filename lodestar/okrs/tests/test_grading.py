"""Grading an objective and writing its retrospective: the cycle review's one write."""

import math
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from lodestar.okrs.models import Objective
from lodestar.okrs.services import (
    checkin_create,
    cycle_close,
    cycle_create,
    key_result_create,
    objective_create,
    objective_grade,
)


@pytest.fixture
def scored(world) -> Objective:
    """An objective of the active cycle at 0.8."""
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Delight customers",
        unit=world.sales,
        owner=world.lead,
    )
    key_result = key_result_create(
        acting=None, objective=objective, title="NPS from 0 to 10", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=key_result, value=8, confidence=7)
    objective.refresh_from_db()
    return objective


def stored(objective: Objective) -> dict:
    return Objective.objects.filter(pk=objective.pk).values().get()


def test_it_grades_an_objective_of_the_active_cycle(scored):
    objective_grade(acting=None, objective=scored, final_grade=0.65, retrospective="Slow start.")
    row = stored(scored)
    assert row["final_grade"] == 0.65 and row["retrospective"] == "Slow start."


def test_it_grades_an_objective_of_a_closed_cycle_and_changes_nothing_else(world, scored):
    cycle_close(acting=None, cycle=world.cycle)
    before = stored(scored)
    assert before["final_grade"] == pytest.approx(0.8)  # the close kept the score
    objective_grade(
        acting=None, objective=scored, final_grade=1.0, retrospective="Better than it looks."
    )
    after = stored(scored)
    assert after["final_grade"] == 1.0 and after["retrospective"] == "Better than it looks."
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"final_grade", "retrospective", "version"}  # version: counts edits


def test_it_clears_a_grade_with_none(world, scored):
    cycle_close(acting=None, cycle=world.cycle)
    objective_grade(acting=None, objective=scored, final_grade=None, retrospective="")
    assert stored(scored)["final_grade"] is None


@pytest.mark.parametrize("grade", [-0.01, 1.01, 7, math.nan, math.inf, -math.inf])
def test_it_refuses_a_grade_outside_0_to_1_or_not_finite(scored, grade):
    with pytest.raises(ValidationError) as error:
        objective_grade(acting=None, objective=scored, final_grade=grade, retrospective="x")
    assert list(error.value.message_dict) == ["final_grade"]
    row = stored(scored)
    assert row["final_grade"] is None and row["retrospective"] == ""


def test_it_refuses_to_grade_in_a_cycle_still_in_planning(world):
    planned = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    objective = objective_create(acting=None, cycle=planned, title="Later", unit=world.sales)
    with pytest.raises(ValidationError) as error:
        objective_grade(
            acting=None, objective=objective, final_grade=0.5, retrospective="Too early"
        )
    assert "planning" in error.value.message_dict["final_grade"][0]
    assert stored(objective)["final_grade"] is None
