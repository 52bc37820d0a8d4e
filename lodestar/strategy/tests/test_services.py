from datetime import date

import pytest
from django.core.exceptions import ValidationError

from lodestar.org.services import unit_create
from lodestar.strategy.models import Measure, MeasureValue, StrategicObjective
from lodestar.strategy.services import (
    link_create,
    measure_create,
    measure_value_record,
    perspective_update,
    scorecard_create,
    strategic_objective_create,
    strategic_objective_update,
)


def objective(world, name="Make onboarding effortless", perspective="Internal Process", **kw):
    return strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective(perspective),
        name=name,
        **kw,
    )


def test_a_new_scorecard_has_the_four_perspectives_bottom_up(world):
    names = list(world.scorecard.perspectives.order_by("position").values_list("name", flat=True))
    assert names == ["Learning & Growth", "Internal Process", "Customer", "Financial"]


def test_a_scorecard_takes_configured_perspectives(world):
    scorecard = scorecard_create(
        acting=None,
        unit=world.support,
        name="Public service",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        perspectives=["Resources", "Processes", "Stakeholders", "Mission"],
    )
    assert scorecard.perspectives.get(position=3).name == "Mission"


def test_it_refuses_a_measure_whose_target_equals_its_baseline(world):
    goal = objective(world)
    with pytest.raises(ValidationError) as error:
        measure_create(acting=None, objective=goal, name="Completion", baseline=60, target=60)
    assert "target" in error.value.message_dict
    assert not Measure.objects.exists()


def test_it_refuses_a_negative_weight_naming_the_field(world):
    with pytest.raises(ValidationError) as error:
        objective(world, weight=-1)
    assert "weight" in error.value.message_dict
    assert not StrategicObjective.objects.exists()


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_it_refuses_non_finite_numbers(world, bad):
    goal = objective(world)
    with pytest.raises(ValidationError) as error:
        measure_create(acting=None, objective=goal, name="Completion", baseline=bad, target=85)
    assert error.value.message_dict["baseline"] == ["Must be a finite number."]
    measure = measure_create(acting=None, objective=goal, name="Completion", baseline=60, target=85)
    with pytest.raises(ValidationError):
        measure_value_record(acting=None, measure=measure, period=date(2026, 3, 1), actual=bad)
    assert not MeasureValue.objects.exists()


def test_measure_values_roll_up_to_objective_perspective_and_scorecard(world):
    goal = objective(world)
    completion = measure_create(
        acting=None, objective=goal, name="Onboarding completion", baseline=60, target=85, weight=2
    )
    time_to_value = measure_create(
        acting=None, objective=goal, name="Time to value", direction="lower", baseline=14, target=7
    )
    measure_value_record(acting=None, measure=completion, period=date(2026, 3, 15), actual=75)
    measure_value_record(acting=None, measure=time_to_value, period=date(2026, 3, 2), actual=10)
    # completion (75-60)/(85-60) = 0.6; time to value (10-14)/(7-14) = 4/7 = 0.5714…
    # objective = (2 × 0.6 + 1 × 0.5714) / 3 = 0.5905
    goal.refresh_from_db()
    assert goal.performance == pytest.approx((2 * 0.6 + 4 / 7) / 3)
    process = world.perspective("Internal Process")
    process.refresh_from_db()
    assert process.score == pytest.approx(goal.performance)
    world.scorecard.refresh_from_db()
    # Only one perspective has a score; the other three are N/A, never zero.
    assert world.scorecard.score == pytest.approx(goal.performance)


def test_a_value_belongs_to_its_period_and_replaces_the_earlier_one(world):
    measure = measure_create(
        acting=None, objective=objective(world), name="NPS", baseline=45, target=70
    )
    measure_value_record(acting=None, measure=measure, period=date(2026, 3, 5), actual=50)
    measure_value_record(acting=None, measure=measure, period=date(2026, 3, 28), actual=55)
    assert list(measure.values.values_list("period", "actual")) == [(date(2026, 3, 1), 55)]
    measure.refresh_from_db()
    # (55 - 45) / (70 - 45) = 0.4; warning is 70 % of the way (62.5), so red.
    assert (measure.performance, measure.status) == (pytest.approx(0.4), "red")


def test_measure_status_follows_target_and_warning(world):
    measure = measure_create(
        acting=None,
        objective=objective(world),
        name="Churn",
        direction="lower",
        baseline=8,
        target=5,
        warning=6,
    )
    measure_value_record(acting=None, measure=measure, period=date(2026, 1, 1), actual=5.5)
    measure.refresh_from_db()
    assert measure.status == "yellow"  # 5.5 meets the warning value 6, not the target 5
    measure_value_record(acting=None, measure=measure, period=date(2026, 2, 1), actual=4.9)
    measure.refresh_from_db()
    assert (measure.status, measure.performance) == ("green", 1.0)


def test_a_cascaded_objective_feeds_its_parent(world):
    parent = objective(world, name="Retain customers", perspective="Customer")
    sales_card = scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales FY2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    child = strategic_objective_create(
        acting=None,
        scorecard=sales_card,
        perspective=sales_card.perspectives.get(name="Customer"),
        name="Renew enterprise deals",
        parent=parent,
    )
    measure = measure_create(
        acting=None, objective=child, name="Renewal rate", baseline=80, target=90
    )
    measure_value_record(acting=None, measure=measure, period=date(2026, 2, 1), actual=88)
    parent.refresh_from_db()
    assert parent.performance == pytest.approx(0.8)  # (88-80)/(90-80), through the cascade


def test_a_cascade_parent_must_be_in_a_parent_units_scorecard(world):
    support_card = scorecard_create(
        acting=None,
        unit=world.support,
        name="Support FY2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    stranger = strategic_objective_create(
        acting=None,
        scorecard=support_card,
        perspective=support_card.perspectives.first(),
        name="Answer fast",
    )
    sales_card = scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales FY2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        strategic_objective_create(
            acting=None,
            scorecard=sales_card,
            perspective=sales_card.perspectives.first(),
            name="X",
            parent=stranger,
        )
    assert "parent" in error.value.message_dict


def test_it_refuses_an_objective_that_would_be_its_own_ancestor(world):
    team = unit_create(acting=None, name="Renewals", parent=world.inside_sales)
    cards = [
        scorecard_create(
            acting=None,
            unit=unit,
            name=f"{unit} card",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        for unit in (world.sales, team)
    ]
    top = objective(world)
    middle = strategic_objective_create(
        acting=None,
        scorecard=cards[0],
        perspective=cards[0].perspectives.first(),
        name="M",
        parent=top,
    )
    with pytest.raises(ValidationError) as error:
        strategic_objective_update(acting=None, objective=top, parent=middle)
    assert "ancestor" in error.value.message_dict["parent"][0]
    top.refresh_from_db()
    assert top.parent is None


def test_it_refuses_a_perspective_of_another_scorecard(world):
    other = scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        strategic_objective_create(
            acting=None, scorecard=world.scorecard, perspective=other.perspectives.first(), name="X"
        )
    assert "perspective" in error.value.message_dict


def test_links_join_two_objectives_of_one_map_once(world):
    cause, effect = objective(world), objective(world, name="Retain", perspective="Customer")
    link_create(acting=None, cause=cause, effect=effect, hypothesis="Better onboarding → retention")
    with pytest.raises(ValidationError):
        link_create(acting=None, cause=cause, effect=effect)
    with pytest.raises(ValidationError):
        link_create(acting=None, cause=cause, effect=cause)


def test_perspective_weights_are_relative(world):
    learning = objective(world, name="Skills", perspective="Learning & Growth")
    customer = objective(world, name="Retain", perspective="Customer")
    for goal, actual in ((learning, 1.0), (customer, 0.5)):
        measure = measure_create(
            acting=None, objective=goal, name=f"{goal} m", baseline=0, target=1
        )
        measure_value_record(acting=None, measure=measure, period=date(2026, 1, 1), actual=actual)
    perspective_update(acting=None, perspective=world.perspective("Customer"), weight=3)
    world.scorecard.refresh_from_db()
    assert world.scorecard.score == pytest.approx((1 * 1.0 + 3 * 0.5) / 4)


def test_it_refuses_a_period_target_equal_to_the_baseline(world):
    measure = measure_create(
        acting=None, objective=objective(world), name="NPS", baseline=45, target=70
    )
    with pytest.raises(ValidationError) as error:
        measure_value_record(
            acting=None, measure=measure, period=date(2026, 3, 1), actual=50, target=45
        )
    assert "target" in error.value.message_dict
    assert not MeasureValue.objects.exists()


def test_a_link_from_an_objective_to_itself_is_refused_in_words(world):
    from lodestar.strategy.services import link_create, link_update

    customer = world.perspective("Customer")
    one = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=customer, name="One"
    )
    two = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=customer, name="Two"
    )
    with pytest.raises(ValidationError) as refused:
        link_create(acting=None, cause=one, effect=one)
    assert refused.value.message_dict == {"effect": ["An objective cannot be its own cause."]}
    link = link_create(acting=None, cause=one, effect=two)
    with pytest.raises(ValidationError) as refused:
        link_update(acting=None, link=link, effect=one)
    assert refused.value.message_dict == {"effect": ["An objective cannot be its own cause."]}
