import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lodestar.insights.analysis import (
    lagged_correlation,
    pearson,
    way_to_target,
)
from lodestar.scoring.trend import linear_forecast, t_quantile_975


def test_it_refuses_to_forecast_from_fewer_than_three_check_ins():
    forecast = linear_forecast([(0, 10), (7, 12)], at=28)
    assert not forecast.available
    assert forecast.n == 2
    assert forecast.reading == "Not enough check-ins to forecast (2 of the 3 needed)."


def test_it_refuses_to_forecast_from_check_ins_all_on_one_day():
    forecast = linear_forecast([(5, 1), (5, 2), (5, 3)], at=28)
    assert not forecast.available
    assert "all on one day" in forecast.reading


def test_it_forecasts_points_on_a_line_exactly_with_no_uncertainty():
    forecast = linear_forecast([(0, 10), (7, 12), (14, 14)], at=28)
    assert forecast.value == pytest.approx(18)
    assert forecast.slope == pytest.approx(2 / 7)
    assert forecast.standard_error == pytest.approx(0)
    assert (forecast.low, forecast.high) == (pytest.approx(18), pytest.approx(18))


def test_it_states_the_uncertainty_worked_by_hand():
    # x 0,1,2,3; y 0,2,1,3: slope 0.8, intercept 0.3, residuals -0.3,0.9,-0.9,0.3 → SSE 1.8
    # s = √(1.8/2) = 0.9487; at x=4: SE = s·√(1 + 1/4 + (4-1.5)²/5) = 0.9487·√2.5 = 1.5
    forecast = linear_forecast([(0, 0), (1, 2), (2, 1), (3, 3)], at=4)
    assert forecast.value == pytest.approx(3.5)
    assert forecast.standard_error == pytest.approx(1.5)
    assert forecast.high - forecast.value == pytest.approx(4.303 * 1.5)
    assert "between" in forecast.reading


@given(
    st.lists(
        st.tuples(st.integers(0, 90), st.floats(-1e6, 1e6, allow_nan=False)),
        min_size=3,
        max_size=20,
    )
)
def test_it_always_puts_the_forecast_inside_its_interval(points):
    forecast = linear_forecast(points, at=91)
    if forecast.available:
        assert forecast.low <= forecast.value + 1e-6
        assert forecast.value <= forecast.high + 1e-6
        assert forecast.standard_error >= 0


def test_it_uses_wider_quantiles_for_fewer_points():
    assert t_quantile_975(1) > t_quantile_975(10) > t_quantile_975(100) == 1.96


def test_it_finds_changes_that_move_together_with_a_lag():
    cause = {p: v for p, v in enumerate([0, 1, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10])}
    effect = {p + 2: v * 3 for p, v in cause.items()}  # the same moves two periods later
    found = lagged_correlation(cause, effect, lag=2)
    assert found.lag == 2
    assert found.n == 11
    assert found.r == pytest.approx(1.0)
    assert "strongly move together 2 periods later" in found.reading
    assert "not proof" in found.reading


def test_it_says_too_little_data_below_six_pairs():
    cause = {p: float(p * p) for p in range(6)}
    found = lagged_correlation(cause, cause, lag=0)
    assert found.n == 5
    assert found.r is None
    assert found.reading.startswith("Too little data: 5 pairs")


def test_it_reads_no_clear_relation_for_unrelated_changes():
    cause = {p: v for p, v in enumerate([0, 1, 0, 1, 0, 1, 0, 1, 0])}
    effect = {p: v for p, v in enumerate([0, 0, 1, 1, 0, 0, 1, 1, 0])}
    found = lagged_correlation(cause, effect, lag=0)
    assert abs(found.r) < 0.3
    assert found.reading.startswith("No clear relation in the same period")


def test_it_reads_opposite_moves_and_never_claims_cause():
    cause = {p: float(v) for p, v in enumerate([0, 2, 1, 4, 2, 5, 3, 6, 2])}
    effect = {p: -v for p, v in cause.items()}
    found = lagged_correlation(cause, effect, lag=0)
    assert found.r == pytest.approx(-1.0)
    assert "in opposite directions" in found.reading
    assert "causes" not in found.reading.replace("not proof that one causes", "")


def test_it_says_when_a_series_never_changes():
    flat = {p: 5.0 for p in range(10)}
    moving = {p: float(p % 3) for p in range(10)}
    found = lagged_correlation(flat, moving, lag=1)
    assert found.r is None
    assert "did not change at all" in found.reading


def test_pearson_is_undefined_without_variation():
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert math.isclose(pearson([1, 2, 3], [2, 4, 6]), 1.0)


def test_way_to_target_works_for_decreases_and_refuses_no_distance():
    assert way_to_target(6.5, baseline=8, target=5) == pytest.approx(0.5)
    assert way_to_target(5, baseline=5, target=5) is None


series = st.dictionaries(st.integers(0, 24), st.floats(-1e3, 1e3, allow_nan=False), max_size=25)


@given(series, series, st.integers(0, 3))
def test_a_correlation_is_between_minus_one_and_one_and_always_reports_n(cause, effect, lag):
    found = lagged_correlation(cause, effect, lag)
    assert found.lag == lag
    assert found.n >= 0
    assert found.r is None or -1 <= found.r <= 1
    assert f"n = {found.n}" in found.reading or found.r is None


@pytest.mark.parametrize(
    "values",
    [(1e308, -1e308, 1e308), (1e200, 1e200, 3e200), (10, 20, math.inf), (10, math.nan, 30)],
)
def test_it_says_figures_too_large_to_forecast_instead_of_overflowing(values):
    forecast = linear_forecast(list(zip((0, 7, 14), values, strict=True)), at=28)
    assert not forecast.available
    assert forecast.reading == "No forecast: the check-ins hold figures too large to forecast."


def test_it_says_figures_too_large_to_compare_instead_of_overflowing():
    cause = {month: float(month % 3) for month in range(10)}
    effect = {month: 1e300 * (month % 2) for month in range(10)}
    correlation = lagged_correlation(cause, effect, 0)
    assert correlation.r is None
    assert correlation.reading == "The values hold figures too large to compare."
