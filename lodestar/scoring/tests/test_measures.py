"""Measure performance and status, worked by hand."""

import pytest

from lodestar.scoring import (
    Direction,
    ScoringError,
    measure_performance,
    measure_status,
    warning_share,
)

# --- performance: higher / lower ------------------------------------------------------


def test_higher_is_better_normalises_between_baseline_and_target() -> None:
    # Onboarding completion 60 -> 85 %, actual 70: (70 - 60) / (85 - 60) = 0.4
    assert measure_performance(
        direction="higher", baseline=60, target=85, actual=70
    ) == pytest.approx(0.4)


def test_lower_is_better_uses_the_same_formula() -> None:
    # Churn 8 -> 5 %, actual 6.5: (6.5 - 8) / (5 - 8) = 0.5
    assert measure_performance(
        direction=Direction.LOWER, baseline=8, target=5, actual=6.5
    ) == pytest.approx(0.5)
    # Time to value 14 -> 7 days, actual 10.5: (10.5 - 14) / (7 - 14) = 0.5
    assert measure_performance(
        direction="lower", baseline=14, target=7, actual=10.5
    ) == pytest.approx(0.5)


def test_performance_is_clamped_to_zero_and_one() -> None:
    # Time to value got worse, 16 days: (16 - 14) / (7 - 14) = -0.29 -> 0
    assert measure_performance(direction="lower", baseline=14, target=7, actual=16) == 0.0
    # Beat it, 6 days: (6 - 14) / (7 - 14) = 1.14 -> 1
    assert measure_performance(direction="lower", baseline=14, target=7, actual=6) == 1.0


def test_a_period_without_a_value_has_no_performance() -> None:
    assert measure_performance(direction="higher", baseline=60, target=85, actual=None) is None


def test_it_refuses_a_measure_target_equal_to_its_baseline_even_without_a_value() -> None:
    with pytest.raises(ScoringError) as caught:
        measure_performance(direction="higher", baseline=60, target=60, actual=None)
    assert caught.value.field == "target"
    assert "baseline is 60" in caught.value.message


def test_it_refuses_an_unknown_direction() -> None:
    with pytest.raises(ScoringError) as caught:
        measure_performance(direction="up", baseline=0, target=1, actual=1)
    assert caught.value.field == "direction"


def test_it_refuses_a_non_finite_actual() -> None:
    with pytest.raises(ScoringError) as caught:
        measure_performance(direction="higher", baseline=0, target=1, actual=float("inf"))
    assert (caught.value.field, caught.value.message) == ("actual", "must be a finite number")


def test_it_refuses_figures_too_far_apart_to_subtract() -> None:
    # 1.7e308 - (-1.7e308) overflows to infinity.
    with pytest.raises(ScoringError) as caught:
        measure_performance(direction="higher", baseline=-1.7e308, target=1.7e308, actual=0)
    assert caught.value.field == "target"
    with pytest.raises(ScoringError) as caught:
        measure_performance(direction="range", baseline=0, target=-1.7e308, actual=0, upper=1.7e308)
    assert caught.value.field == "upper"


# --- performance: within a range ------------------------------------------------------


def in_band(actual: float | None, lower: float = 95, upper: float = 105) -> float | None:
    # Baseline equal to the lower bound: a range does not use its baseline.
    return measure_performance(
        direction="range", baseline=lower, target=lower, actual=actual, upper=upper
    )


@pytest.mark.parametrize("actual", [95, 100, 105])
def test_a_range_scores_one_anywhere_inside_the_band_bounds_included(actual: float) -> None:
    assert in_band(actual) == 1.0


@pytest.mark.parametrize(
    ("actual", "performance"),
    [
        (90, 0.5),  # 5 below a 10-wide band: 1 - 5/10
        (110, 0.5),  # 5 above: 1 - 5/10
        (93, 0.8),  # 2 below: 1 - 2/10
        (85, 0.0),  # a full band width below: 1 - 10/10
        (120, 0.0),  # 15 above: 1 - 15/10 = -0.5 -> 0
    ],
)
def test_a_range_falls_linearly_to_zero_one_band_width_outside(
    actual: float, performance: float
) -> None:
    assert in_band(actual) == pytest.approx(performance)


def test_a_zero_width_range_measures_distance_against_the_target_size() -> None:
    # "Exactly 100": width max(|100|, 1) = 100; 50 is 50 away: 1 - 50/100 = 0.5
    assert in_band(50, lower=100, upper=100) == pytest.approx(0.5)
    assert in_band(150, lower=100, upper=100) == pytest.approx(0.5)
    assert in_band(100, lower=100, upper=100) == 1.0
    # "Exactly 0": width max(0, 1) = 1; 0.25 away: 1 - 0.25 = 0.75
    assert in_band(0.25, lower=0, upper=0) == pytest.approx(0.75)


def test_a_range_without_a_value_has_no_performance() -> None:
    assert in_band(None) is None


def test_it_refuses_a_range_without_an_upper_bound() -> None:
    with pytest.raises(ScoringError) as caught:
        measure_performance(direction="range", baseline=0, target=95, actual=100)
    assert caught.value.field == "upper"


def test_it_refuses_a_range_whose_upper_bound_is_below_the_lower() -> None:
    with pytest.raises(ScoringError) as caught:
        measure_performance(direction="range", baseline=0, target=95, actual=None, upper=90)
    assert caught.value.field == "upper"
    assert "target is 95" in caught.value.message


# --- warning share --------------------------------------------------------------------


def test_the_default_warning_is_seventy_percent_of_the_way() -> None:
    assert warning_share(baseline=60, target=85, warning=None) == 0.7


def test_a_warning_value_is_placed_on_the_way_from_baseline_to_target() -> None:
    # Onboarding 60 -> 85, warning 75: (75 - 60) / 25 = 0.6
    assert warning_share(baseline=60, target=85, warning=75) == pytest.approx(0.6)
    # Churn 8 -> 5, warning 6: (6 - 8) / (5 - 8) = 2/3
    assert warning_share(baseline=8, target=5, warning=6) == pytest.approx(2 / 3)


def test_a_warning_beyond_the_target_or_behind_the_baseline_is_clamped() -> None:
    assert warning_share(baseline=60, target=85, warning=90) == 1.0  # (90 - 60) / 25 = 1.2
    assert warning_share(baseline=60, target=85, warning=55) == 0.0  # (55 - 60) / 25 = -0.2


# --- status ---------------------------------------------------------------------------


def onboarding(actual: float | None, warning: float | None = None) -> str:
    return measure_status(
        direction="higher", baseline=60, target=85, actual=actual, warning=warning
    )


def churn(actual: float | None, warning: float | None = None) -> str:
    return measure_status(direction="lower", baseline=8, target=5, actual=actual, warning=warning)


def test_status_is_green_when_the_actual_meets_the_target() -> None:
    assert (onboarding(85), onboarding(90)) == ("green", "green")
    assert (churn(5), churn(4.5)) == ("green", "green")


def test_status_is_yellow_at_the_default_warning_of_seventy_percent() -> None:
    # Onboarding: 60 + 0.7 x 25 = 77.5 is yellow; 77 is (77 - 60) / 25 = 0.68, red
    assert (onboarding(77.5), onboarding(77), onboarding(70)) == ("yellow", "red", "red")
    # Churn: 8 - 0.7 x 3 = 5.9 is yellow, though (5.9 - 8) / (5 - 8) is 0.6999999999999998
    # in binary; 6.0 is 2/3 of the way, red
    assert (churn(5.9), churn(6.0)) == ("yellow", "red")


def test_status_uses_the_measures_own_warning_value() -> None:
    # Churn warning 6.5 sits at (6.5 - 8) / (5 - 8) = 0.5; 6.6 is 1.4 / 3 = 0.47
    assert (churn(6.5, warning=6.5), churn(6.6, warning=6.5)) == ("yellow", "red")
    # Onboarding warning 75 sits at 0.6: 75 yellow, 74.9 red, 60 (baseline) red
    assert [onboarding(a, warning=75) for a in (75, 74.9, 60)] == ["yellow", "red", "red"]


def test_status_is_grey_when_the_period_has_no_value() -> None:
    assert onboarding(None) == "grey"
    assert measure_status(direction="range", baseline=0, target=95, actual=None, upper=105) == (
        "grey"
    )


def test_status_refuses_a_broken_measure_even_without_a_value() -> None:
    with pytest.raises(ScoringError) as caught:
        measure_status(direction="lower", baseline=8, target=8, actual=None)
    assert caught.value.field == "target"


def test_status_of_a_range_is_green_inside_yellow_near_and_red_far() -> None:
    def status(actual: float) -> str:
        return measure_status(direction="range", baseline=0, target=95, actual=actual, upper=105)

    assert (status(95), status(105)) == ("green", "green")
    assert status(93) == "yellow"  # 1 - 2/10 = 0.8
    assert status(92) == "yellow"  # 1 - 3/10 = 0.7, the limit
    assert status(91) == "red"  # 1 - 4/10 = 0.6
    assert status(105.000001) == "yellow"  # just outside the band is not green


def test_status_follows_the_way_from_baseline_to_target_when_direction_disagrees() -> None:
    # Marked "higher is better" but set from 10 down to 5: the actual 5 has arrived
    # (performance (5 - 10) / (5 - 10) = 1), so status agrees with performance: green.
    assert measure_status(direction="higher", baseline=10, target=5, actual=5) == "green"
    assert measure_status(direction="higher", baseline=10, target=5, actual=10) == "red"


def test_green_is_decided_on_the_actual_not_on_a_rounded_performance() -> None:
    # From -1e15 up to 5, an actual of 4.99 has performance (4.99 + 1e15) / (5 + 1e15),
    # which rounds to exactly 1.0 in binary - yet 4.99 has not met 5: yellow, not green.
    assert measure_performance(direction="higher", baseline=-1e15, target=5, actual=4.99) == 1.0
    assert measure_status(direction="higher", baseline=-1e15, target=5, actual=4.99) == "yellow"
    # A band 0-1 000 000 missed by 1e-12: 1 - 1e-12 / 1e6 rounds to 1.0, still not green.
    assert measure_status(direction="range", baseline=0, target=0, actual=-1e-12, upper=1e6) == (
        "yellow"
    )
