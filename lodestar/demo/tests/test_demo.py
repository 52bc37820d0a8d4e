from collections import Counter
from datetime import date

import pytest

from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective
from lodestar.org.models import Person, Unit
from lodestar.scores.rollup import recompute_all
from lodestar.scores.tests.test_rollup import stored_scores
from lodestar.strategy.models import CauseEffectLink, Measure, MeasureValue, StrategicObjective


@pytest.fixture
def demo(demo_org, db):
    """The module-wide demo, with this test's writes rolled back."""


def test_the_demo_is_a_believable_company(demo):
    assert Unit.objects.count() == 13
    assert max(depth(u) for u in Unit.objects.all()) >= 2  # three levels below the root
    assert Person.objects.filter(is_active=True).count() == 21
    company = StrategicObjective.objects.filter(scorecard__unit__parent=None)
    assert 10 <= company.count() <= 12
    assert set(company.values_list("perspective__name", flat=True)) == {
        "Learning & Growth",
        "Internal Process",
        "Customer",
        "Financial",
    }
    assert CauseEffectLink.objects.count() >= 10
    assert StrategicObjective.objects.filter(parent__isnull=False).exists()  # cascade
    for measure in Measure.objects.filter(objective__in=company):
        assert measure.values.count() == 12


def test_the_demo_has_a_closed_and_an_active_cycle_with_history(demo):
    assert list(Cycle.objects.values_list("name", "state")) == [
        ("Q4 2026", "active"),
        ("Q3 2026", "closed"),
    ]
    assert 17 <= Objective.objects.count() <= 19
    assert 50 <= KeyResult.objects.count() <= 56
    assert CheckIn.objects.count() > 200
    closed = Objective.objects.filter(cycle__state="closed")
    assert all(o.final_grade is not None for o in closed)


def test_the_demo_carries_the_articles_examples(demo):
    titles = set(KeyResult.objects.values_list("title", flat=True))
    assert "Raise onboarding completion from 60% to 85%" in titles
    assert "Decrease monthly churn from 8% to 5%" in titles
    assert "Increase customer health score from 72 to 85" in titles
    shared = KeyResult.objects.get(title="Raise onboarding completion from 60% to 85%")
    assert shared.okr_objectives.count() == 2  # a shared key result
    october = MeasureValue.objects.get(measure=shared.linked_measure, period=date(2026, 10, 1))
    assert october.actual == shared.current  # the check-in at October's close wrote it


def test_each_demo_value_carries_the_plan_of_its_three_year_scorecard(demo):
    moved = Measure.objects.filter(key_results__cycle__state="active")
    for measure in Measure.objects.exclude(pk__in=moved):
        targets = list(measure.values.order_by("period").values_list("target", flat=True))
        assert None not in targets
        # A year into three years, the plan asks for a third of the way.
        third = measure.baseline + (measure.target - measure.baseline) / 3
        assert targets[-1] == pytest.approx(third, abs=0.01)
    for measure in moved:  # a check-in's month is judged against its own month's plan
        plans = dict(measure.plan.values_list("period", "target"))
        values = list(measure.values.order_by("period").values_list("period", "target"))
        assert None not in [target for _, target in values]
        assert [target for period, target in values if period in plans] == [
            plans[period] for period, _ in values if period in plans
        ]
        assert values[-1][1] != values[-2][1]  # not the month before's target


def test_the_demo_reads_against_its_plan_as_a_believable_mix(demo):
    statuses = Counter(Measure.objects.values_list("status", flat=True))
    # Each month judged against its own month's plan: about as many green as yellow.
    assert statuses["green"] > 0 and statuses["yellow"] > 0
    assert abs(statuses["green"] - statuses["yellow"]) <= 2
    assert 0 < statuses["red"] < statuses["green"] + statuses["yellow"]
    assert statuses["grey"] == 0
    flat = Measure.objects.filter(name__in=["Regretted attrition (annualised)", "Engagement score"])
    assert set(flat.values_list("status", flat=True)) == {"red"}  # People stand still


def test_no_demo_percentage_held_above_a_floor_passes_100(demo):
    held = CheckIn.objects.filter(key_result__kind="stay_above", key_result__unit_label="%")
    assert held.exists()
    assert max(held.values_list("value", flat=True)) <= 100  # uptime ends at 100 %


def test_the_demo_scores_agree_with_a_full_recompute(demo):
    stored = stored_scores()
    recompute_all()
    assert stored_scores() == stored
    assert StrategicObjective.objects.filter(performance__isnull=False).count() >= 12


def depth(unit: Unit) -> int:
    steps = 0
    while unit.parent_id:
        unit, steps = unit.parent, steps + 1
    return steps
