"""Every kind of key result, through everything that treats kinds differently: progress,
the model's choices and constraint, the forecast, OKR quality, conflicts and the demo.
Adding a kind means adding its rule in `lodestar.scoring.key_results` and its example here."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lodestar import scoring
from lodestar.demo.build import DemoBuilder
from lodestar.insights.conflicts import push
from lodestar.insights.forecast import key_result_forecast
from lodestar.insights.quality_rules import classify_key_result
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.strategy.models import Measure

# A figure that fully achieves each kind: (baseline, target, current).
DONE = {
    scoring.KeyResultKind.METRIC: (8.0, 5.0, 5.0),  # churn 8 % -> 5 %, now 5 %
    scoring.KeyResultKind.MILESTONE: (0.0, 1.0, 1.0),  # done
    scoring.KeyResultKind.STAY_ABOVE: (0.0, 99.5, 99.9),  # uptime above 99.5 %
    scoring.KeyResultKind.STAY_BELOW: (0.0, 200.0, 150.0),  # p95 latency below 200 ms
}
KINDS = list(scoring.KeyResultKind)


def test_every_kind_has_its_rule_and_its_example_here():
    assert set(scoring.key_results.KIND_RULES) == set(KINDS) == set(DONE)


def test_the_model_choices_are_the_scoring_enums():
    assert KeyResult.Kind.choices == [(k.value, k.label) for k in scoring.KeyResultKind]
    assert Objective.Kind.choices == [(k.value, k.label) for k in scoring.ObjectiveKind]
    assert Measure.Direction.choices == [(d.value, d.label) for d in scoring.Direction]


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_scores_one_when_achieved(kind):
    baseline, target, current = DONE[kind]
    assert scoring.key_result_progress(
        kind, baseline=baseline, target=target, current=current
    ).score == pytest.approx(1.0)


@pytest.mark.parametrize("kind", KINDS)
def test_a_target_equal_to_the_baseline_is_refused_exactly_when_the_baseline_matters(kind, world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Ship", unit=world.sales)

    def create():
        return key_result_create(
            acting=None,
            objective=objective,
            title="Hold the line",
            owner=world.member,
            kind=kind.value,
            baseline=1,
            target=1,
        )

    if kind.rule.baseline_matters:
        with pytest.raises(ValidationError) as refused:
            create()
        assert "target" in refused.value.message_dict
    else:
        assert create().kind == kind


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_gets_a_trend_line_exactly_when_it_is_forecastable(kind, world):
    baseline, target, current = DONE[kind]
    objective = objective_create(acting=None, cycle=world.cycle, title="Ship", unit=world.sales)
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="A figure",
        owner=world.member,
        kind=kind.value,
        baseline=baseline,
        target=target,
    )
    start = timezone.make_aware(datetime.combine(world.cycle.start, datetime.min.time()))
    for week, share in enumerate((0.2, 0.5, 0.8), start=1):
        checkin_create(
            acting=None,
            key_result=key_result,
            value=baseline + share * (current - baseline),
            confidence=7,
            at=start + timedelta(days=7 * week),
        )
    checkins = list(CheckIn.objects.filter(key_result=key_result).order_by("created_at"))
    found = key_result_forecast(key_result, world.cycle, checkins)
    assert found.forecast.available is kind.rule.forecastable


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_never_decides_outcome_or_activity(kind):
    """What the key result states decides: a milestone can state a result reached."""
    assert classify_key_result("Lead time brought under two days", kind.value).is_outcome
    assert not classify_key_result("Hire 3 engineers", kind.value).is_outcome


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_pushes_its_figure_exactly_when_the_baseline_matters(kind):
    raising = KeyResult(kind=kind.value, baseline=0, target=10)
    assert (push(raising) != 0) is kind.rule.baseline_matters


@pytest.mark.parametrize("kind", KINDS)
def test_the_demo_ends_a_finished_key_result_of_every_kind_done(kind):
    baseline, target, _ = DONE[kind]
    key_result = KeyResult(kind=kind.value, baseline=baseline, target=target, unit_label="%")
    builder = DemoBuilder(date(2026, 11, 16), say=lambda *_: None)
    value = builder.checkin_value(key_result, progress=1.0, last=True, final=1.0)
    done = scoring.key_result_progress(kind, baseline=baseline, target=target, current=value)
    assert done.score == pytest.approx(1.0)
