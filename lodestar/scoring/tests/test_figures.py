"""Figures written one way: by unit, with thousands separators, counts whole, one set of
decimals for all the figures of a measure or key result, N/A for none."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lodestar.scoring.numbers import FigureStyle, figure, figure_style, is_count


def test_a_figure_carries_its_unit_and_thousands_separators() -> None:
    assert figure(1250.0, "users") == "1,250 users"
    assert figure(12206.0, "users") == "12,206 users"
    assert figure(42.5, "%") == "42.5%"
    assert figure(0.126) == "0.13"
    assert figure(-3.0, "pts") == "-3 pts"
    assert figure(2_500_000.5, "M$") == "2,500,000.5 M$"


def test_no_value_is_n_a() -> None:
    assert figure(None, "users") == "N/A"
    assert FigureStyle("days", 2).show(None) == "N/A"


@pytest.mark.parametrize("unit", ["reviews", "users", "count", "#", "tickets", "Calls"])
def test_things_counted_are_whole_numbers(unit: str) -> None:
    assert is_count(unit)
    assert figure(7.03, unit) == f"7 {unit}"
    assert figure_style(unit, [0, 15, 11.02]).decimals == 0


@pytest.mark.parametrize("unit", ["days", "pts", "%", "M$", "ms", "", "hours", "kg"])
def test_measurements_are_not_counts(unit: str) -> None:
    assert not is_count(unit)


def test_one_measure_writes_all_its_figures_with_the_same_decimals() -> None:
    # Time to value 14 -> 7 days, values 10.5 and 7.08: two decimals for each, not 7 vs 7.08.
    style = figure_style("days", [14, 7, 10.5, 7.08])
    assert [style.show(v) for v in (14, 7, 7.08)] == ["14.00 days", "7.00 days", "7.08 days"]
    assert figure_style("%", [52, 60, 55.3]).show(52) == "52.0%"
    assert figure_style("pts", [45, 70, 65]).show(62) == "62 pts"


def test_a_band_is_written_once_with_its_unit() -> None:
    style = figure_style("%", [95, 105])
    assert f"{style.bare.show(95)}–{style.show(105)}" == "95–105%"


def test_a_figure_that_rounds_to_zero_has_no_sign() -> None:
    assert figure(-0.001) == "0"


@settings(database=None, deadline=None)
@given(st.floats(-1e12, 1e12), st.sampled_from(["", "users", "%", "days"]))
def test_every_finite_figure_within_the_bounds_is_written(value: float, unit: str) -> None:
    shown = figure_style(unit, [value]).show(value)
    assert shown and "e" not in shown.split()[0] and "nan" not in shown
