"""Key result progress, worked by hand."""

from decimal import Decimal
from enum import StrEnum

import pytest

from lodestar.scoring import KeyResultKind, Progress, ScoringError, clamp, finite
from lodestar.scoring import key_result_progress as progress


def metric(*, baseline: float, target: float, current: float) -> Progress:
    return progress(KeyResultKind.METRIC, baseline=baseline, target=target, current=current)


# --- metric -------------------------------------------------------------------------


def test_a_metric_scores_the_share_of_the_way_from_baseline_to_target() -> None:
    # Onboarding completion 60 % -> 85 %, now 70 %: (70 - 60) / (85 - 60) = 10 / 25 = 0.4
    result = metric(baseline=60, target=85, current=70)
    assert result.raw == pytest.approx(0.4)
    assert result.score == pytest.approx(0.4)
    assert not result.over_achieved


def test_a_metric_that_should_fall_needs_no_special_case() -> None:
    # Churn 8 % -> 5 %, now 6.5 %: (6.5 - 8) / (5 - 8) = -1.5 / -3 = 0.5
    assert metric(baseline=8, target=5, current=6.5).score == pytest.approx(0.5)
    # Time to value 14 -> 7 days, now 10.5: (10.5 - 14) / (7 - 14) = -3.5 / -7 = 0.5
    assert metric(baseline=14, target=7, current=10.5).score == pytest.approx(0.5)
    # ... and at 7 days it is done: (7 - 14) / (7 - 14) = 1
    assert metric(baseline=14, target=7, current=7).score == 1.0


def test_it_keeps_over_achievement_in_raw_but_caps_the_score_at_one() -> None:
    # 60 -> 85, now 90: (90 - 60) / 25 = 30 / 25 = 1.2
    result = metric(baseline=60, target=85, current=90)
    assert result.raw == pytest.approx(1.2)
    assert result.score == 1.0
    assert result.over_achieved


def test_it_keeps_going_backwards_in_raw_but_floors_the_score_at_zero() -> None:
    # 60 -> 85, now 55: (55 - 60) / 25 = -0.2
    result = metric(baseline=60, target=85, current=55)
    assert result.raw == pytest.approx(-0.2)
    assert result.score == 0.0
    # Churn 8 -> 5 that rose to 9: (9 - 8) / (5 - 8) = -1/3
    assert metric(baseline=8, target=5, current=9).raw == pytest.approx(-1 / 3)


def test_exactly_on_target_is_exactly_one_and_not_over_achieved() -> None:
    result = metric(baseline=60, target=85, current=85)
    assert (result.raw, result.score, result.over_achieved) == (1.0, 1.0, False)


def test_it_refuses_target_equal_to_baseline() -> None:
    with pytest.raises(ScoringError) as caught:
        metric(baseline=60, target=60, current=70)
    assert caught.value.field == "target"
    assert caught.value.message == "target must differ from baseline (baseline is 60)"
    assert str(caught.value) == "target: target must differ from baseline (baseline is 60)"


def test_it_shows_a_fractional_baseline_as_typed_in_the_refusal() -> None:
    with pytest.raises(ScoringError, match=r"baseline is 99\.95\)"):
        metric(baseline=99.95, target=99.95, current=99.9)


@pytest.mark.parametrize("field", ["baseline", "target", "current"])
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_it_refuses_non_finite_inputs_naming_the_field(field: str, bad: float) -> None:
    figures = {"baseline": 0.0, "target": 10.0, "current": 5.0, field: bad}
    with pytest.raises(ScoringError) as caught:
        progress("metric", **figures)
    assert (caught.value.field, caught.value.message) == (field, "must be a finite number")


def test_it_refuses_text_and_none_as_figures() -> None:
    with pytest.raises(ScoringError, match="current: must be a number"):
        progress("metric", baseline=0, target=10, current="5")
    with pytest.raises(ScoringError, match="baseline: must be a number"):
        progress("metric", baseline=None, target=10, current=5)


def test_it_refuses_a_progress_too_large_to_be_finite() -> None:
    # (1e300 - 0) / 1e-300 overflows to infinity.
    with pytest.raises(ScoringError) as caught:
        progress("metric", baseline=0, target=1e-300, current=1e300)
    assert caught.value.field == "target"


def test_it_refuses_a_target_too_far_from_the_baseline_to_subtract() -> None:
    # 1.7e308 - (-1.7e308) overflows to infinity; every progress would read 0 or NaN.
    with pytest.raises(ScoringError, match="too far from the baseline") as caught:
        metric(baseline=-1.7e308, target=1.7e308, current=0)
    assert caught.value.field == "target"


def test_it_accepts_decimals_and_integers() -> None:
    # Revenue 1.20 -> 2.00 M, now 1.60: 0.40 / 0.80 = 0.5
    result = metric(baseline=Decimal("1.20"), target=Decimal("2.00"), current=Decimal("1.60"))
    assert result.score == pytest.approx(0.5)
    assert isinstance(result.raw, float)


# --- milestone ------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "score"), [(0, 0.0), (0.5, 0.5), (1, 1.0)])
def test_a_milestone_is_done_not_done_or_a_stated_share(current: float, score: float) -> None:
    assert progress("milestone", baseline=0, target=1, current=current).score == score


def test_a_milestone_with_a_target_of_100_reads_percentages() -> None:
    # 30 % of 100: 30 / 100 = 0.3
    assert progress("milestone", baseline=0, target=100, current=30).score == pytest.approx(0.3)


def test_a_milestone_ignores_its_baseline() -> None:
    # baseline == target is fine for a milestone: 1 / 1 = 1
    assert progress("milestone", baseline=1, target=1, current=1).score == 1.0


def test_it_refuses_a_milestone_with_a_zero_target() -> None:
    with pytest.raises(ScoringError) as caught:
        progress("milestone", baseline=0, target=0, current=1)
    assert caught.value.field == "target"


# --- stay above / stay below ----------------------------------------------------------


def test_stay_above_scores_one_while_the_value_holds_at_or_above_target() -> None:
    # "Keep NPS at 50 or more": 50 holds, 49.9 does not. Baseline may equal target.
    assert progress("stay_above", baseline=50, target=50, current=50).score == 1.0
    assert progress("stay_above", baseline=50, target=50, current=62).score == 1.0
    assert progress("stay_above", baseline=50, target=50, current=49.9).score == 0.0


def test_stay_below_scores_one_while_the_value_holds_at_or_below_target() -> None:
    # "Keep p95 latency at 300 ms or less": 300 holds, 301 does not.
    assert progress("stay_below", baseline=250, target=300, current=300).score == 1.0
    assert progress("stay_below", baseline=250, target=300, current=120).score == 1.0
    assert progress("stay_below", baseline=250, target=300, current=301).score == 0.0


def test_a_held_condition_is_never_over_achievement() -> None:
    result = progress("stay_above", baseline=0, target=50, current=1000)
    assert (result.raw, result.over_achieved) == (1.0, False)


# --- kinds ----------------------------------------------------------------------------


def test_it_accepts_the_kind_as_enum_text_or_another_text_enum() -> None:
    class StoredKind(StrEnum):  # like a web framework's choices: other names, same values
        M = "metric"

    for kind in (KeyResultKind.METRIC, "metric", StoredKind.M):
        assert progress(kind, baseline=60, target=85, current=70).score == pytest.approx(0.4)


def test_it_refuses_an_unknown_kind() -> None:
    with pytest.raises(ScoringError) as caught:
        progress("percent", baseline=0, target=1, current=1)
    assert caught.value.field == "kind"
    assert "'percent'" in caught.value.message and "stay_below" in caught.value.message


# --- number hygiene -------------------------------------------------------------------


def test_scoring_error_is_a_value_error_with_field_and_message() -> None:
    error = ScoringError("weight", "must be zero or more")
    assert isinstance(error, ValueError)
    assert (error.field, error.message, str(error)) == (
        "weight",
        "must be zero or more",
        "weight: must be zero or more",
    )


def test_finite_returns_a_float_and_refuses_nan_and_infinity() -> None:
    assert finite(3, "x") == 3.0 and isinstance(finite(3, "x"), float)
    with pytest.raises(ScoringError, match=r"^x: must be a finite number$"):
        finite(float("nan"), "x")
    with pytest.raises(ScoringError, match=r"^y: must be a finite number$"):
        finite(float("-inf"), "y")
    with pytest.raises(ScoringError, match=r"^z: must be a number$"):
        finite(True, "z")


def test_clamp_keeps_a_value_inside_its_range() -> None:
    assert (clamp(-0.2), clamp(0.3), clamp(1.2)) == (0.0, 0.3, 1.0)
    assert clamp(15, low=10, high=12) == 12
    with pytest.raises(ValueError, match="low"):
        clamp(0.5, low=1, high=0)
