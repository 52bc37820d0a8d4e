"""Past scores rebuilt from measure values, worked by hand."""

from datetime import date

import pytest

from lodestar.scoring.history import (
    MeasureSeries,
    ObjectiveNode,
    combined_history,
    measure_performance_at,
    objective_histories,
    trend,
)

DEC, JAN, FEB, MAR = date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
MONTHS = [DEC, JAN, FEB, MAR]


def onboarding(objective: int = 1, weight: float = 1.0) -> MeasureSeries:
    return MeasureSeries(
        objective=objective,
        weight=weight,
        direction="higher",
        baseline=60,
        target=85,
        upper=None,
        values=[(MAR, 80.0, None), (JAN, 70.0, None)],
    )


def test_a_measure_stands_at_its_latest_value_up_to_the_month():
    measure = onboarding()
    assert measure_performance_at(measure, DEC) is None
    assert measure_performance_at(measure, JAN) == pytest.approx(0.4)  # (70 - 60) / 25
    assert measure_performance_at(measure, FEB) == pytest.approx(0.4)
    assert measure_performance_at(measure, MAR) == pytest.approx(0.8)


def test_a_value_is_judged_against_its_own_period_target():
    measure = MeasureSeries(1, 1.0, "higher", 0, 100, None, [(JAN, 50.0, 50.0)])
    assert measure_performance_at(measure, JAN) == 1.0


def test_an_objective_weighs_its_measures_and_its_cascaded_children():
    flat = MeasureSeries(2, 1.0, "higher", 0, 10, None, [(DEC, 10.0, None)])
    child = MeasureSeries(3, 1.0, "lower", 10, 0, None, [(FEB, 5.0, None)])
    objectives = [ObjectiveNode(1, 1, None), ObjectiveNode(2, 1, 1), ObjectiveNode(3, 3, 1)]
    histories = objective_histories(MONTHS, objectives, [onboarding(), flat, child])
    assert histories[2] == [1.0, 1.0, 1.0, 1.0]
    assert histories[3] == [None, None, 0.5, 0.5]
    # December: only child 2 is known (1.0). March: (0.8 + 1.0 x 1 + 0.5 x 3) / 5 = 0.66
    assert histories[1][0] == 1.0
    assert histories[1][3] == pytest.approx(0.66)


def test_an_objective_with_nothing_known_is_na_never_zero():
    histories = objective_histories(MONTHS, [ObjectiveNode(9, 1, None)], [])
    assert histories[9] == [None, None, None, None]


def test_a_cascade_loop_does_not_hang():
    loop = [ObjectiveNode(1, 1, 2), ObjectiveNode(2, 1, 1)]
    histories = objective_histories(MONTHS, loop, [onboarding(objective=2)])
    assert histories[2][3] == pytest.approx(0.8)


def test_combined_history_leaves_na_out_month_by_month():
    parts = [([None, 0.5], 1.0), ([0.9, 1.0], 4.0)]
    assert combined_history(parts, 2) == [0.9, pytest.approx(0.9)]  # (0.5 + 4) / 5


def test_trend_reads_the_last_two_known_months():
    assert trend([0.5, None, 0.6, None]) == "up"
    assert trend([0.7, 0.6]) == "down"
    assert trend([0.6, 0.603]) == "steady"
    assert trend([None, 0.6]) is None
