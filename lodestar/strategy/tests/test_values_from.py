"""One source of truth per period, calculated measures, plans and locks."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.strategy.models import Measure, MeasurePlan, MeasureValue
from lodestar.strategy.services import (
    measure_create,
    measure_plan_line,
    measure_plan_set,
    measure_update,
    measure_value_delete,
    measure_value_record,
    strategic_objective_create,
)

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


@pytest.fixture
def goal(world):
    return strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow",
    )


def plain(goal, name, **fields):
    return measure_create(
        acting=None, objective=goal, name=name, **{"baseline": 0, "target": 100, **fields}
    )


def calculated(goal, name, formula):
    return plain(goal, name, values_from="formula", formula=formula, baseline=0, target=1000)


def record(measure, period, actual, acting=None, **fields):
    return measure_value_record(
        acting=acting, measure=measure, period=period, actual=actual, **fields
    )


def series(measure) -> dict:
    return dict(MeasureValue.objects.filter(measure=measure).values_list("period", "actual"))


@pytest.fixture
def inputs(goal):
    a, b = plain(goal, "Bookings"), plain(goal, "Refunds")
    for measure, values in ((a, (120, 150)), (b, (80, 0))):
        record(measure, JAN, values[0])
        record(measure, FEB, values[1])
    return a, b


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("[A] + [B]", {JAN: 200, FEB: 150}),  # sum
        ("[A] - [B]", {JAN: 40, FEB: 150}),  # difference
        ("[A] / [B]", {JAN: 1.5}),  # ratio; February divides by zero: N/A
        ("0.7 * [A] + 0.3 * [B]", {JAN: 108, FEB: 105}),  # weighted sum
        ("min([A], [B])", {JAN: 80, FEB: 0}),
        ("max([A], [B])", {JAN: 120, FEB: 150}),
    ],
)
def test_a_calculated_measure_matches_the_hand_worked_figures(goal, inputs, formula, expected):
    a, b = inputs
    formula = formula.replace("[A]", f"[M{a.pk}]").replace("[B]", f"[M{b.pk}]")
    result = calculated(goal, "Net", formula)
    assert series(result) == pytest.approx(expected)
    assert set(
        MeasureValue.objects.filter(measure=result).values_list("entered_via", flat=True)
    ) == {"formula"}


def test_a_calculated_measure_follows_its_inputs_in_the_same_write(goal, inputs):
    a, b = inputs
    ratio = calculated(goal, "Ratio", f"[M{a.pk}] / [M{b.pk}]")
    record(a, JAN, 100)
    assert series(ratio) == {JAN: 1.25}
    record(b, FEB, 50)  # no longer a division by zero
    assert series(ratio) == {JAN: 1.25, FEB: 3.0}
    record(b, JAN, 0)  # now January is N/A: its old value goes
    assert series(ratio) == {FEB: 3.0}
    measure_value_delete(acting=None, value=MeasureValue.objects.get(measure=b, period=FEB))
    assert series(ratio) == {}
    ratio.refresh_from_db()
    assert ratio.status == "grey"


def test_a_chain_of_formulas_follows_its_first_input(goal, inputs):
    a, b = inputs
    total = calculated(goal, "Total", f"[M{a.pk}] + [M{b.pk}]")
    doubled = calculated(goal, "Doubled", f"[M{total.pk}] * 2")
    record(a, FEB, 10)
    assert series(doubled) == {JAN: 400, FEB: 20}


def test_a_cycle_in_the_formulas_is_refused_at_save(goal, inputs):
    a, b = inputs
    total = calculated(goal, "Total", f"[M{a.pk}] + [M{b.pk}]")
    doubled = calculated(goal, "Doubled", f"[M{total.pk}] * 2")
    with pytest.raises(ValidationError) as error:
        measure_update(acting=None, measure=total, formula=f"[M{doubled.pk}] + 1")
    assert error.value.message_dict["formula"] == [
        f"The formulas would go round in a cycle: [M{total.pk}] → [M{doubled.pk}] → [M{total.pk}]."
    ]
    total.refresh_from_db()
    assert total.formula == f"[M{a.pk}] + [M{b.pk}]"


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("__import__('os')", "a formula refers to at least one measure"),
        ("[M1] ** 99999999", "the formula cannot be read"),
        ("[M999999] + 1", "No measure [M999999]."),
        ("", "a calculated measure needs a formula"),
    ],
)
def test_a_formula_that_is_not_plain_arithmetic_over_measures_is_refused(
    goal, inputs, formula, message
):
    formula = formula.replace("[M1]", f"[M{inputs[0].pk}]")
    with pytest.raises(ValidationError) as error:
        calculated(goal, "Bad", formula)
    assert message.lower() in error.value.message_dict["formula"][0].lower()


def test_nobody_types_into_a_calculated_measure(world, goal, inputs):
    total = calculated(goal, "Total", f"[M{inputs[0].pk}] + [M{inputs[1].pk}]")
    with pytest.raises(ValidationError, match="is calculated by its formula"):
        record(total, JAN, 5, acting=world.strat)


def test_a_person_over_a_check_in_is_recorded_with_a_warning_naming_what_it_replaces(world, goal):
    measure = plain(goal, "Pipeline", values_from="key_result")
    objective = objective_create(acting=None, cycle=world.cycle, title="Sell", unit=world.sales)
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Pipeline",
        owner=world.member,
        baseline=0,
        target=100,
        linked_measure=measure,
    )
    with time_machine.travel(date(2026, 11, 10)):
        checkin_create(acting=world.member, key_result=key_result, value=40, confidence=7)
        value = record(measure, date(2026, 11, 1), 45, acting=world.strat)
    assert value.replaced == "Replaces 40 (a key result check-in, 2026-11-10)."
    assert (value.actual, value.entered_via) == (45, "person")


def test_a_value_outside_the_scorecards_period_is_refused(world, goal):
    measure = plain(goal, "Revenue")
    with pytest.raises(ValidationError) as error:
        record(measure, date(2027, 1, 1), 5, acting=world.strat)
    assert error.value.message_dict["period"] == [
        "2027-01 is outside the scorecard's period (2026-01-01 to 2026-12-31)."
    ]


def test_a_locked_period_is_changed_only_by_the_strategy_office_with_a_reason(
    world, goal, settings
):
    settings.MEASURE_PERIOD_LOCK_DAYS = 10
    measure = plain(goal, "Revenue", owner=world.member)
    with time_machine.travel(date(2026, 1, 20)):
        record(measure, JAN, 5, acting=world.member)
    with time_machine.travel(date(2026, 2, 11)):  # January ended 31 days ago + 10: locked
        with pytest.raises(ValidationError) as error:
            record(measure, JAN, 6, acting=world.member)
        assert error.value.message_dict["period"] == [
            "2026-01 locked on 2026-02-11; only the strategy office or an admin may change it."
        ]
        with pytest.raises(ValidationError) as error:
            record(measure, JAN, 6, acting=world.strat)
        assert "give the reason" in error.value.message_dict["comment"][0]
        value = record(measure, JAN, 6, acting=world.strat, comment="Late invoice")
    assert (value.actual, value.comment) == (6, "Late invoice")
    with time_machine.travel(date(2026, 2, 10)):  # the day before, the owner still could
        record(measure, JAN, 7, acting=world.member)


def test_a_straight_line_plan_runs_from_the_baseline_to_the_target(world, goal):
    measure = plain(goal, "Revenue", baseline=0, target=120)
    plan = measure_plan_line(acting=world.strat, measure=measure)
    assert [(row.period.month, row.target) for row in plan] == [
        (month, 10.0 * month) for month in range(1, 13)
    ]
    value = record(measure, date(2026, 3, 15), 27)
    assert value.target == 30  # the period's plan
    measure_plan_set(acting=world.strat, measure=measure, period=date(2026, 3, 1), target=25)
    value.refresh_from_db()
    assert value.target == 25
    measure.refresh_from_db()
    assert measure.status == "green"  # 27 meets the planned 25
    assert MeasurePlan.objects.filter(measure=measure).count() == 12


def test_a_plan_outside_the_scorecards_period_is_refused(world, goal):
    measure = plain(goal, "Revenue")
    with pytest.raises(ValidationError) as error:
        measure_plan_set(acting=None, measure=measure, period=date(2027, 3, 1), target=5)
    assert "outside the scorecard's period" in error.value.message_dict["period"][0]


def test_a_calculated_measure_reads_measures_of_its_own_frequency(goal, inputs):
    yearly = plain(goal, "Yearly", frequency=Measure.Frequency.YEARLY)
    with pytest.raises(ValidationError, match="is not monthly"):
        calculated(goal, "Mixed", f"[M{inputs[0].pk}] + [M{yearly.pk}]")
