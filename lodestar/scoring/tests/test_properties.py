"""Properties every input must satisfy, checked on many generated figures."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lodestar.scoring import (
    Pace,
    PaceRules,
    execution_part,
    key_result_progress,
    measure_performance,
    objective_execution,
    pace,
    warning_share,
    weighted_average,
)

# No example database: it would write a .hypothesis folder into the working tree, and
# no deadline: a busy CI machine must not turn a slow run into a failure.
quiet = settings(database=None, deadline=None)

figures = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
scores = st.floats(min_value=0, max_value=1)
# Weights are zero or a usable positive figure; subnormal weights such as 5e-324 would
# underflow to zero when scaled, which is arithmetic, not a scoring rule.
weights = st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e6))
confidences = st.one_of(st.none(), st.integers(min_value=0, max_value=10))


def apart(baseline: float, target: float) -> bool:
    """Baseline and target far enough apart for a finite progress figure."""
    return abs(target - baseline) > 1e-9


def metric(baseline: float, target: float, current: float) -> float:
    return key_result_progress("metric", baseline=baseline, target=target, current=current).score


@quiet
@given(
    kind=st.sampled_from(["metric", "milestone", "stay_above", "stay_below"]),
    baseline=figures,
    target=figures,
    current=figures,
)
def test_a_key_result_score_is_always_between_zero_and_one(
    kind: str, baseline: float, target: float, current: float
) -> None:
    assume(apart(baseline, target) and apart(0, target))
    progress = key_result_progress(kind, baseline=baseline, target=target, current=current)
    assert 0.0 <= progress.score <= 1.0
    assert progress.score == min(max(progress.raw, 0.0), 1.0)


@quiet
@given(baseline=figures, target=figures, currents=st.tuples(figures, figures))
def test_a_metric_score_moves_with_current_towards_its_target(
    baseline: float, target: float, currents: tuple[float, float]
) -> None:
    assume(apart(baseline, target))
    low, high = sorted(currents)
    if target > baseline:  # rising target: more is never worse
        assert metric(baseline, target, low) <= metric(baseline, target, high)
    else:  # falling target: more is never better
        assert metric(baseline, target, low) >= metric(baseline, target, high)


@quiet
@given(baseline=figures, target=figures, current=figures)
def test_a_metric_reads_the_same_with_every_sign_flipped(
    baseline: float, target: float, current: float
) -> None:
    assume(apart(baseline, target))
    # Churn 8 -> 5 at 6.5 is the same progress as -8 -> -5 at -6.5: a fall is a rise seen
    # in a mirror, so no direction is special.
    plain = key_result_progress("metric", baseline=baseline, target=target, current=current)
    flipped = key_result_progress("metric", baseline=-baseline, target=-target, current=-current)
    assert flipped == plain


@quiet
@given(baseline=figures, distance=figures, moved=figures)
def test_a_rise_and_its_mirrored_fall_score_alike(
    baseline: float, distance: float, moved: float
) -> None:
    assume(abs(distance) > 1e-3)
    # baseline -> baseline + distance, having moved `moved` that way, against
    # baseline -> baseline - distance, having moved `moved` the other way.
    rise = metric(baseline, baseline + distance, baseline + moved)
    fall = metric(baseline, baseline - distance, baseline - moved)
    assert rise == pytest.approx(fall, abs=1e-6)


@quiet
@given(target=figures, current=figures)
def test_stay_above_is_stay_below_in_a_mirror(target: float, current: float) -> None:
    above = key_result_progress("stay_above", baseline=0, target=target, current=current)
    below = key_result_progress("stay_below", baseline=0, target=-target, current=-current)
    assert above == below


@quiet
@given(items=st.lists(st.tuples(figures, weights), max_size=12), factor=st.floats(1e-3, 1e3))
def test_scaling_every_weight_alike_changes_no_average(
    items: list[tuple[float, float]], factor: float
) -> None:
    before = weighted_average(items)
    after = weighted_average([(score, weight * factor) for score, weight in items])
    if before is None:
        assert after is None
    else:
        assert after == pytest.approx(before, rel=1e-9, abs=1e-9)


@quiet
@given(items=st.lists(st.tuples(figures, weights), min_size=1, max_size=12))
def test_an_average_lies_between_the_lowest_and_highest_counted_score(
    items: list[tuple[float, float]],
) -> None:
    counted = [score for score, weight in items if weight > 0]
    average = weighted_average(items)
    if not counted:
        assert average is None
    else:
        assert average is not None
        assert min(counted) <= average <= max(counted)


@quiet
@given(
    items=st.lists(st.tuples(scores, weights), max_size=8),
    na_weights=st.lists(weights, min_size=1, max_size=5),
    data=st.data(),
)
def test_not_applicable_items_never_change_an_average(
    items: list[tuple[float, float]], na_weights: list[float], data: st.DataObject
) -> None:
    mixed: list[tuple[float | None, float]] = list(items)
    for weight in na_weights:
        mixed.insert(data.draw(st.integers(0, len(mixed))), (None, weight))
    assert weighted_average(mixed) == weighted_average(items)


@quiet
@given(
    direction=st.sampled_from(["higher", "lower"]),
    baseline=figures,
    target=figures,
    actual=figures,
)
def test_linear_measure_performance_is_always_between_zero_and_one(
    direction: str, baseline: float, target: float, actual: float
) -> None:
    assume(apart(baseline, target))
    performance = measure_performance(
        direction=direction, baseline=baseline, target=target, actual=actual
    )
    assert performance is not None and 0.0 <= performance <= 1.0


@quiet
@given(lower=figures, width=st.floats(0, 1e6), actual=figures)
def test_range_measure_performance_is_one_inside_the_band_and_less_outside(
    lower: float, width: float, actual: float
) -> None:
    upper = lower + width
    performance = measure_performance(
        direction="range", baseline=0, target=lower, actual=actual, upper=upper
    )
    assert performance is not None and 0.0 <= performance <= 1.0
    if lower <= actual <= upper:
        assert performance == 1.0
    else:
        distance = lower - actual if actual < lower else actual - upper
        yardstick = (upper - lower) or max(abs(lower), 1.0)
        # A miss smaller than float resolution of the band may still round to 1.0.
        assume(distance / yardstick > 1e-9)
        assert performance < 1.0


@quiet
@given(baseline=figures, target=figures, warning=st.one_of(st.none(), figures))
def test_a_warning_share_is_always_between_zero_and_one(
    baseline: float, target: float, warning: float | None
) -> None:
    assume(apart(baseline, target))
    assert 0.0 <= warning_share(baseline=baseline, target=target, warning=warning) <= 1.0


@quiet
@given(
    stale_after=st.integers(0, 365),
    extra=st.integers(1, 10_000),
    progress=figures,
    expected=st.floats(0, 1),
    confidence=confidences,
)
def test_a_key_result_silent_past_the_limit_is_always_stale(
    stale_after: int, extra: int, progress: float, expected: float, confidence: int | None
) -> None:
    rules = PaceRules(stale_after_days=stale_after)
    result = pace(
        progress=progress,
        expected=expected,
        latest_confidence=confidence,
        days_since_checkin=stale_after + extra,
        rules=rules,
    )
    assert result is Pace.STALE


@quiet
@given(
    progress=st.floats(0, 1),
    expected=st.floats(0, 1),
    days=st.integers(0, 14),
    confidence=confidences,
)
def test_a_recently_checked_key_result_is_never_stale_and_more_progress_never_hurts(
    progress: float, expected: float, days: int, confidence: int | None
) -> None:
    order = [Pace.AT_RISK, Pace.BEHIND, Pace.ON_TRACK]
    now = pace(
        progress=progress, expected=expected, latest_confidence=confidence, days_since_checkin=days
    )
    better = pace(
        progress=min(progress + 0.2, 1.0),
        expected=expected,
        latest_confidence=confidence,
        days_since_checkin=days,
    )
    assert now is not Pace.STALE
    assert order.index(better) >= order.index(now)


@quiet
@given(
    stale_after=st.integers(0, 365),
    days_since_start=st.integers(-1000, 1000),
    progress=figures,
    expected=st.floats(0, 1),
    confidence=confidences,
)
def test_a_key_result_never_checked_in_is_not_started_within_the_limit_then_stale(
    stale_after: int,
    days_since_start: int,
    progress: float,
    expected: float,
    confidence: int | None,
) -> None:
    result = pace(
        progress=progress,
        expected=expected,
        latest_confidence=confidence,
        days_since_checkin=None,
        days_since_start=days_since_start,
        rules=PaceRules(stale_after_days=stale_after),
    )
    expected_pace = Pace.NOT_STARTED if days_since_start <= stale_after else Pace.STALE
    assert result is expected_pace


@quiet
@given(
    days=st.integers(0, 1000),
    days_since_start=st.integers(-1000, 1000),
    progress=figures,
    expected=st.floats(0, 1),
    confidence=confidences,
)
def test_a_key_result_checked_in_is_never_not_started(
    days: int, days_since_start: int, progress: float, expected: float, confidence: int | None
) -> None:
    result = pace(
        progress=progress,
        expected=expected,
        latest_confidence=confidence,
        days_since_checkin=days,
        days_since_start=days_since_start,
    )
    assert result is not Pace.NOT_STARTED


@quiet
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), scores), weights, st.integers(min_value=0, max_value=2)),
        max_size=8,
    )
)
def test_the_parts_of_every_contributor_add_up_to_the_execution(okrs):
    """Each OKR objective belongs to one of three people; their parts of a strategic
    objective's execution add up to it, and one's part never exceeds it."""
    execution = objective_execution((score, weight) for score, weight, _ in okrs)
    parts = [
        execution_part((score, weight, owner == person) for score, weight, owner in okrs)
        for person in range(3)
    ]
    if execution is None:
        assert parts == [None, None, None]
        return
    assert sum(parts) == pytest.approx(execution, abs=1e-9)
    assert all(0 <= part <= execution + 1e-12 for part in parts)
