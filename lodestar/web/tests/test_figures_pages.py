"""Figures on the pages are written by their unit, the one way (scoring.numbers.figure):
thousands separators, counts whole, one set of decimals per measure, units in the
measure's values table, and "N/A" said once."""

import re
from datetime import date

import pytest
from django.urls import reverse

from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.strategy.services import (
    measure_create,
    measure_value_record,
    strategic_objective_create,
)


def text(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&nbsp;", " ")


@pytest.fixture
def objective(world):
    return strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Win users",
    )


@pytest.fixture
def users(objective):
    """Monthly active users 10,000 -> 25,000, at 12,206 in May."""
    measure = measure_create(
        acting=None,
        objective=objective,
        name="Monthly active users",
        unit_of_measure="users",
        baseline=10000,
        target=25000,
    )
    measure_value_record(acting=None, measure=measure, period=date(2026, 4, 1), actual=11000.4)
    measure_value_record(acting=None, measure=measure, period=date(2026, 5, 1), actual=12206)
    return measure


@pytest.fixture
def time_to_value(objective):
    """Time to value 14 -> 7 days, at 10.5 then 7.08."""
    measure = measure_create(
        acting=None,
        objective=objective,
        name="Time to value",
        unit_of_measure="days",
        direction="lower",
        baseline=14,
        target=7,
    )
    measure_value_record(acting=None, measure=measure, period=date(2026, 4, 1), actual=10.5)
    measure_value_record(acting=None, measure=measure, period=date(2026, 5, 1), actual=7.08)
    return measure


def test_the_scorecard_writes_counts_with_separators_and_the_unit(
    world, users, time_to_value, signed_in
):
    page = text(signed_in(world.viewer).get(reverse("scorecard", args=[world.scorecard.pk])))
    assert "Monthly active users 12,206 users 25,000 users" in page
    assert "Time to value 7.08 days 7.00 days" in page  # one measure, one set of decimals


def test_the_measure_values_table_shows_units_and_whole_counts(world, users, signed_in):
    page = text(signed_in(world.viewer).get(reverse("measure", args=[users.pk])))
    assert "baseline 10,000 users · target 25,000 users" in page
    assert "May 2026 12,206 users 25,000 users" in page
    assert "Apr 2026 11,000 users" in page  # a count is whole: not 11000.4


def test_the_strategic_objective_page_writes_figures_by_the_measure(
    world, objective, time_to_value, signed_in
):
    page = text(signed_in(world.viewer).get(reverse("strategic-objective", args=[objective.pk])))
    assert "Latest 7.08 days (May 2026) · baseline 14.00 days · target 7.00 days" in page


def test_a_key_result_counting_things_shows_whole_numbers(world, signed_in):
    objective = objective_create(acting=None, cycle=world.cycle, title="Hear", unit=world.sales)
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Hold customer reviews",
        owner=world.member,
        baseline=0,
        target=12,
        unit_label="reviews",
    )
    checkin_create(acting=None, key_result=key_result, value=7.03, confidence=6)
    page = text(signed_in(world.member).get(reverse("key-result", args=[key_result.pk])))
    assert "Current 7 reviews" in page
    assert "7.03 reviews" not in page and "7 reviews" in page.split("Check-ins")[-1]


def test_a_scorecard_without_figures_says_n_a_once(world, signed_in):
    page = text(signed_in(world.viewer).get(reverse("scorecard", args=[world.scorecard.pk])))
    assert "Performance N/A Execution N/A" in page
    assert "N/A N/A" not in page
