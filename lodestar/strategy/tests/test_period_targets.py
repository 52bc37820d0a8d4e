"""One rule for a period's target (docs/scoring.md, "A period's target"): the plan's for
that period when a plan exists, else the final target, whichever path wrote the value."""

from datetime import date
from importlib import import_module

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.sources.rows import Checked
from lodestar.sources.services import data_source_create, source_rows_write
from lodestar.strategy.models import MeasurePlan, MeasureValue
from lodestar.strategy.services import (
    measure_create,
    measure_plan_delete,
    measure_plan_set,
    measure_value_record,
    strategic_objective_create,
)

OCT, NOV, DEC = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)


@pytest.fixture
def goal(world):
    return strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Keep customers",
    )


def churn(goal, name="Monthly churn", **fields):
    return measure_create(
        acting=None, objective=goal, name=name, direction="lower", baseline=8, target=5, **fields
    )


def linked_key_result(world, measure):
    objective = objective_create(acting=None, cycle=world.cycle, title="Keep", unit=world.sales)
    return key_result_create(
        acting=None,
        objective=objective,
        title="Churn down",
        owner=world.member,
        baseline=8,
        target=5,
        linked_measure=measure,
    )


def checkin(world, key_result, month: date, value: float):
    with time_machine.travel(month.replace(day=15)):
        checkin_create(acting=world.member, key_result=key_result, value=value, confidence=6)


def source_writes(source, month: date, actual: float):
    source_rows_write(acting=None, source=source, checked=Checked(accepted={month: actual}))


def targets(measure) -> dict:
    return dict(MeasureValue.objects.filter(measure=measure).values_list("period", "target"))


def plans(measure) -> dict:
    return dict(MeasurePlan.objects.filter(measure=measure).values_list("period", "target"))


def test_a_check_in_takes_its_own_periods_plan_not_the_previous_periods(world, goal):
    measure = churn(goal)
    for month, target in ((OCT, 7.5), (NOV, 7.2), (DEC, 7.0)):
        measure_plan_set(acting=None, measure=measure, period=month, target=target)
    key_result = linked_key_result(world, measure)
    checkin(world, key_result, OCT, 7.6)
    checkin(world, key_result, NOV, 7.3)
    assert targets(measure) == {OCT: 7.5, NOV: 7.2}


def test_a_check_in_on_an_unplanned_period_is_judged_against_the_final_target(world, goal):
    measure = churn(goal)
    measure_plan_set(acting=None, measure=measure, period=OCT, target=7.5)
    key_result = linked_key_result(world, measure)
    checkin(world, key_result, OCT, 7.6)
    checkin(world, key_result, NOV, 7.3)
    assert targets(measure) == {OCT: 7.5, NOV: None}  # None: the final target, 5


def test_a_source_written_value_carries_the_plan_of_its_period(world, goal):
    measure = churn(goal)
    source = data_source_create(acting=None, measure=measure, name="Billing", kind="push")
    measure_plan_set(acting=None, measure=measure, period=OCT, target=7.5)
    source_writes(source, OCT, 7.6)
    measure_plan_set(acting=None, measure=measure, period=NOV, target=7.2)
    source_writes(source, NOV, 7.3)
    assert targets(measure) == {OCT: 7.5, NOV: 7.2}
    plan = MeasurePlan.objects.get(measure=measure, period=NOV)
    measure_plan_delete(acting=None, plan=plan)
    source_writes(source, NOV, 7.1)
    assert targets(measure) == {OCT: 7.5, NOV: None}  # no plan left: the final target


def test_a_target_typed_with_a_value_plans_its_period(world, goal):
    measure = churn(goal)
    measure_value_record(acting=world.strat, measure=measure, period=OCT, actual=7.6, target=7.4)
    assert plans(measure) == {OCT: 7.4}
    assert targets(measure) == {OCT: 7.4}


PATHS = ("person", "check-in", "source", "plan", "unplan")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(PATHS),
            st.sampled_from([OCT, NOV, DEC]),
            st.sampled_from([6.0, 6.5, 7.0, 7.5]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_every_value_path_gives_the_same_period_target(world, goal, steps):
    """Whatever the order of plans and writes, and whichever path wrote a value (typed,
    a linked key result's check-in, a data source, a formula over them), each value is
    judged against its own period's plan, else the final target."""
    with transaction.atomic():
        typed = churn(goal)
        sourced = churn(goal, name="Churn from billing")
        source = data_source_create(acting=None, measure=sourced, name="Billing", kind="push")
        calculated = churn(
            goal, name="Churn, both", values_from="formula", formula=f"[M{typed.pk}]"
        )
        key_result = linked_key_result(world, typed)
        for path, month, number in steps:
            if path == "person":
                measure_value_record(acting=None, measure=typed, period=month, actual=number)
            elif path == "check-in":
                checkin(world, key_result, month, number)
            elif path == "source":
                source_writes(source, month, number)
            elif path == "plan":
                for measure in (typed, sourced, calculated):
                    measure_plan_set(acting=None, measure=measure, period=month, target=number)
            else:
                for plan in MeasurePlan.objects.filter(period=month):
                    measure_plan_delete(acting=None, plan=plan)
        for measure in (typed, sourced, calculated):
            planned = plans(measure)
            assert targets(measure) == {month: planned.get(month) for month in targets(measure)}, (
                measure.name
            )
        transaction.set_rollback(True)


def test_the_api_gives_the_period_target_beside_the_final_target(world, goal, as_):
    measure = churn(goal, owner=world.member)
    measure_plan_set(acting=None, measure=measure, period=OCT, target=7.5)
    api = as_("strat")
    body = {"measure": measure.pk, "period": "2026-10-20", "actual": 7.4}
    value = api.post("/api/v1/measure-values/", body, content_type="application/json").json()
    assert (value["target"], value["period_target"]) == (7.5, 7.5)
    shown = api.get(f"/api/v1/measures/{measure.pk}").json()
    assert (shown["target"], shown["period_target"], shown["status"]) == (5, 7.5, "green")
    body = {"measure": measure.pk, "period": "2026-11-20", "actual": 7.4}
    value = api.post("/api/v1/measure-values/", body, content_type="application/json").json()
    assert (value["target"], value["period_target"]) == (None, 5)
    listed = api.get(f"/api/v1/measures/?objective={goal.pk}").json()
    assert [(m["period_target"], m["status"]) for m in listed["items"]] == [(5, "red")]


def test_the_migration_mends_values_stored_with_another_periods_target(world, goal):
    from django.apps import apps

    mend = import_module("lodestar.strategy.migrations.0005_values_take_their_periods_target").mend
    measure = churn(goal)
    for month, actual in ((OCT, 7.6), (NOV, 7.3), (DEC, 7.1)):
        measure_value_record(acting=None, measure=measure, period=month, actual=actual)
    measure_plan_set(acting=None, measure=measure, period=NOV, target=7.2)
    # As the old check-in wrote them: November with October's target, December with
    # November's; October typed by a person with a target of its own.
    MeasureValue.objects.filter(measure=measure, period=OCT).update(target=7.6)
    MeasureValue.objects.filter(measure=measure, period=NOV).update(target=7.5)
    MeasureValue.objects.filter(measure=measure, period=DEC).update(
        target=7.2, entered_via="key_result"
    )
    mend(apps, None)
    assert targets(measure) == {OCT: 7.6, NOV: 7.2, DEC: None}
    assert plans(measure) == {OCT: 7.6, NOV: 7.2}
