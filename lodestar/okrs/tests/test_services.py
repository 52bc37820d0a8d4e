from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.okrs.services import (
    HistoryEntry,
    checkin_create,
    checkin_history_add,
    cycle_activate,
    cycle_close,
    cycle_create,
    key_result_create,
    key_result_hold,
    objective_create,
    objective_update,
)
from lodestar.strategy.models import MeasureValue
from lodestar.strategy.services import (
    measure_create,
    measure_plan_set,
    measure_value_record,
    strategic_objective_create,
)

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
def onboarding(world):
    """The seed article's OKR, contributing to a strategic objective."""
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Internal Process"),
        name="Make onboarding effortless",
    )
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Dramatically improve customer onboarding experience",
        unit=world.sales,
        owner=world.lead,
        contributes_to=[strategic],
    )
    return objective, strategic


def test_it_refuses_a_key_result_whose_target_equals_its_baseline(world, onboarding):
    objective, _ = onboarding
    with pytest.raises(ValidationError) as error:
        key_result_create(
            acting=None, objective=objective, title="Flat", owner=world.member, baseline=5, target=5
        )
    assert "target" in error.value.message_dict
    assert not KeyResult.objects.exists()


def test_a_checkin_rolls_up_through_both_frameworks(world, onboarding):
    objective, strategic = onboarding
    completion = key_result_create(
        acting=None,
        objective=objective,
        title="Raise onboarding completion from 60% to 85%",
        owner=world.member,
        baseline=60,
        target=85,
        weight=3,
    )
    time_to_value = key_result_create(
        acting=None,
        objective=objective,
        title="Halve time to value from 14 to 7 days",
        owner=world.member,
        baseline=14,
        target=7,
    )
    checkin_create(
        acting=None, key_result=completion, value=75, confidence=8, author=world.member, at=NOW
    )
    checkin_create(
        acting=None, key_result=time_to_value, value=12.6, confidence=5, author=world.member, at=NOW
    )
    # completion: (75-60)/(85-60) = 0.6; time to value: (12.6-14)/(7-14) = 0.2
    # objective: (3 × 0.6 + 1 × 0.2) / 4 = 0.5
    completion.refresh_from_db()
    assert (completion.current, completion.score, completion.latest_confidence) == (75, 0.6, 8)
    objective.refresh_from_db()
    assert objective.score == pytest.approx(0.5)
    strategic.refresh_from_db()
    assert strategic.execution == pytest.approx(0.5)
    assert strategic.performance is None  # no measure yet: N/A, not zero
    world.scorecard.refresh_from_db()
    assert world.scorecard.execution == pytest.approx(0.5)


def test_a_checkin_writes_the_linked_measures_actual_for_the_period(world, onboarding):
    objective, strategic = onboarding
    measure = measure_create(
        acting=None, objective=strategic, name="Onboarding completion", baseline=60, target=85
    )
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Completion",
        owner=world.member,
        baseline=60,
        target=85,
        linked_measure=measure,
    )
    checkin_create(acting=None, key_result=key_result, value=70, confidence=7, at=NOW)
    checkin_create(acting=None, key_result=key_result, value=72.5, confidence=7, at=NOW)
    value = MeasureValue.objects.get(measure=measure)
    assert (value.period, value.actual) == (date(2026, 11, 1), 72.5)
    strategic.refresh_from_db()
    assert strategic.performance == pytest.approx(0.5)  # (72.5-60)/(85-60)


@pytest.fixture
def linked(world, onboarding):
    """A key result moving a measure whose final target (85) lies years away."""
    objective, strategic = onboarding
    measure = measure_create(
        acting=None, objective=strategic, name="Onboarding completion", baseline=60, target=85
    )
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Completion",
        owner=world.member,
        baseline=60,
        target=85,
        linked_measure=measure,
    )
    return key_result, measure


def test_a_checkin_keeps_the_periods_planned_target(linked):
    key_result, measure = linked
    measure_value_record(
        acting=None, measure=measure, period=date(2026, 11, 1), actual=64, target=66
    )
    checkin_create(acting=None, key_result=key_result, value=67, confidence=7, at=NOW)
    value = MeasureValue.objects.get(measure=measure, period=date(2026, 11, 1))
    assert (value.actual, value.target) == (67, 66)
    measure.refresh_from_db()
    assert measure.status == "green"  # 67 meets this month's plan (66), not yet 85


def test_a_checkin_opening_a_period_takes_that_periods_plan_not_an_earlier_one(linked):
    """docs/scoring.md, "A period's target": the plan's for the period, else the final
    target; September's plan does not carry on into November."""
    key_result, measure = linked
    measure_value_record(
        acting=None, measure=measure, period=date(2026, 9, 1), actual=62, target=65
    )
    measure_value_record(
        acting=None, measure=measure, period=date(2026, 10, 1), actual=63
    )  # no plan
    checkin_create(acting=None, key_result=key_result, value=64, confidence=7, at=NOW)
    value = MeasureValue.objects.get(measure=measure, period=date(2026, 11, 1))
    assert (value.actual, value.target) == (64, None)  # judged against the final 85
    measure_plan_set(acting=None, measure=measure, period=date(2026, 11, 1), target=65)
    value.refresh_from_db()
    assert value.target == 65
    measure.refresh_from_db()
    # (64 - 60) / (65 - 60) = 0.8 of the plan: meets the warning value, not the target.
    assert (measure.performance, measure.status) == (pytest.approx(0.8), "yellow")


def test_a_checkin_leaves_a_period_without_target_without_one(linked):
    key_result, measure = linked
    measure_value_record(
        acting=None, measure=measure, period=date(2026, 10, 1), actual=62, target=65
    )
    measure_value_record(acting=None, measure=measure, period=date(2026, 11, 1), actual=63)
    checkin_create(acting=None, key_result=key_result, value=64, confidence=7, at=NOW)
    value = MeasureValue.objects.get(measure=measure, period=date(2026, 11, 1))
    assert (value.actual, value.target) == (64, None)  # scored against the final 85
    measure.refresh_from_db()
    assert measure.status == "red"


def test_a_checkin_without_any_plan_writes_no_target(linked):
    key_result, measure = linked
    checkin_create(acting=None, key_result=key_result, value=64, confidence=7, at=NOW)
    assert list(measure.values.values_list("period", "actual", "target")) == [
        (date(2026, 11, 1), 64, None)
    ]


def test_a_dated_history_stores_the_forecast_as_single_checkins_do(world, onboarding):
    objective, _ = onboarding
    one_by_one, at_once = (
        key_result_create(acting=None, objective=objective, title=t, owner=world.member, target=10)
        for t in ("One by one", "At once")
    )
    days = [datetime(2026, 10, day, 9, tzinfo=UTC) for day in (5, 12, 19)]
    for at, value in zip(days, (1, 2, 3.5), strict=True):
        checkin_create(acting=None, key_result=one_by_one, value=value, confidence=7, at=at)
    entries = [HistoryEntry(v, 7, at) for at, v in zip(days, (1, 2, 3.5), strict=True)]
    checkin_history_add(acting=None, key_result=at_once, entries=entries)
    one_by_one.refresh_from_db()
    at_once.refresh_from_db()
    assert at_once.forecast_points == one_by_one.forecast_points == 3
    assert at_once.forecast_value == pytest.approx(one_by_one.forecast_value)


def test_it_refuses_a_checkin_on_a_closed_cycle_and_writes_nothing(world, onboarding):
    objective, _ = onboarding
    key_result = key_result_create(
        acting=None, objective=objective, title="K", owner=world.member, baseline=0, target=10
    )
    cycle_close(acting=None, cycle=world.cycle)
    with pytest.raises(ValidationError) as error:
        checkin_create(acting=None, key_result=key_result, value=5, confidence=5)
    assert "closed" in error.value.message_dict["key_result"][0]
    assert not CheckIn.objects.exists()
    key_result.refresh_from_db()
    assert key_result.current == 0


@pytest.mark.parametrize("confidence", [-1, 11])
def test_it_refuses_a_confidence_outside_0_to_10(world, onboarding, confidence):
    objective, _ = onboarding
    key_result = key_result_create(
        acting=None, objective=objective, title="K", owner=world.member, baseline=0, target=10
    )
    with pytest.raises(ValidationError) as error:
        checkin_create(acting=None, key_result=key_result, value=5, confidence=confidence)
    assert "confidence" in error.value.message_dict
    assert not CheckIn.objects.exists()


def test_it_refuses_a_nan_checkin(world, onboarding):
    objective, _ = onboarding
    key_result = key_result_create(
        acting=None, objective=objective, title="K", owner=world.member, baseline=0, target=10
    )
    with pytest.raises(ValidationError) as error:
        checkin_create(acting=None, key_result=key_result, value=float("nan"), confidence=5)
    assert "value" in error.value.message_dict
    key_result.refresh_from_db()
    assert key_result.current == 0 and not CheckIn.objects.exists()


def test_a_shared_key_result_moves_every_objective_that_holds_it(world, onboarding):
    company, _ = onboarding
    team = objective_create(
        acting=None, cycle=world.cycle, title="Team onboarding", unit=world.inside_sales
    )
    shared = key_result_create(
        acting=None,
        objective=company,
        title="Completion",
        owner=world.member,
        baseline=0,
        target=10,
    )
    key_result_hold(acting=None, objective=team, key_result=shared, weight=2)
    checkin_create(acting=None, key_result=shared, value=4, confidence=6)
    assert sorted(Objective.objects.values_list("score", flat=True)) == [0.4, 0.4]


def test_it_refuses_an_okr_objective_that_would_be_its_own_ancestor(world, onboarding):
    company, _ = onboarding
    team = objective_create(
        acting=None, cycle=world.cycle, title="Team", unit=world.sales, parent=company
    )
    with pytest.raises(ValidationError) as error:
        objective_update(acting=None, objective=company, parent=team)
    assert "parent" in error.value.message_dict


def test_execution_counts_only_the_active_cycle(world, onboarding):
    objective, strategic = onboarding
    key_result = key_result_create(
        acting=None, objective=objective, title="K", owner=world.member, baseline=0, target=10
    )
    checkin_create(acting=None, key_result=key_result, value=8, confidence=8)
    strategic.refresh_from_db()
    assert strategic.execution == pytest.approx(0.8)
    next_cycle = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    cycle_activate(acting=None, cycle=next_cycle)
    strategic.refresh_from_db()
    objective.refresh_from_db()
    assert strategic.execution is None  # nothing contributes in Q1 2027 yet
    assert objective.final_grade == pytest.approx(0.8)  # closing kept the score as grade


def test_stay_above_scores_one_while_the_condition_holds(world, onboarding):
    objective, _ = onboarding
    nps = key_result_create(
        acting=None,
        objective=objective,
        title="NPS of new customers ≥ 50",
        owner=world.member,
        kind="stay_above",
        baseline=0,
        target=50,
    )
    checkin_create(acting=None, key_result=nps, value=52, confidence=8)
    nps.refresh_from_db()
    assert nps.score == 1.0
    checkin_create(acting=None, key_result=nps, value=49, confidence=4)
    nps.refresh_from_db()
    assert nps.score == 0.0


@time_machine.travel(datetime(2026, 11, 16, 12, 0, tzinfo=UTC), tick=False)
def test_pace_is_read_with_todays_date(world, onboarding):
    from lodestar.scores.pace import key_result_pace

    objective, _ = onboarding
    key_result = key_result_create(
        acting=None, objective=objective, title="K", owner=world.member, baseline=0, target=100
    )
    # Q4: 91 days, 46 elapsed on Nov 16 → expected 46/91 = 0.505
    checkin_create(
        acting=None, key_result=key_result, value=45, confidence=8
    )  # d = -0.055: on track
    key_result.refresh_from_db()
    assert key_result_pace(key_result, world.cycle) == "on_track"
    checkin_create(acting=None, key_result=key_result, value=30, confidence=8)  # d = -0.205: behind
    key_result.refresh_from_db()
    assert key_result_pace(key_result, world.cycle) == "behind"
    checkin_create(acting=None, key_result=key_result, value=45, confidence=2)  # low confidence
    key_result.refresh_from_db()
    assert key_result_pace(key_result, world.cycle) == "at_risk"
    with time_machine.travel(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), tick=False):
        assert key_result_pace(key_result, world.cycle) == "stale"  # 15 days without a check-in
