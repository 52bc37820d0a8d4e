"""Initiative earned value and cost variance, worked by hand."""

from decimal import Decimal

import pytest

from lodestar.scoring import ScoringError, cost_variance, earned_value


def test_earned_value_is_the_budget_share_of_the_work_done() -> None:
    # Budget 200 000 at 30 %: 200 000 x 30 / 100 = 60 000
    assert earned_value(budget=200_000, percent_complete=30) == pytest.approx(60_000)
    assert earned_value(budget=200_000, percent_complete=0) == 0.0
    assert earned_value(budget=200_000, percent_complete=100) == pytest.approx(200_000)


def test_cost_variance_is_negative_when_over_budget_for_the_work_done() -> None:
    # 60 000 earned, 75 000 spent: 60 000 - 75 000 = -15 000
    assert cost_variance(budget=200_000, percent_complete=30, spent=75_000) == pytest.approx(
        -15_000
    )
    # 60 000 earned, 50 000 spent: +10 000, under budget
    assert cost_variance(budget=200_000, percent_complete=30, spent=50_000) == pytest.approx(10_000)


def test_it_accepts_money_stored_as_decimals() -> None:
    # 1 234.50 at 40 %: 493.80 earned; spent 500.00: -6.20
    result = cost_variance(budget=Decimal("1234.50"), percent_complete=40, spent=Decimal("500.00"))
    assert result == pytest.approx(-6.2)


@pytest.mark.parametrize("percent", [-1, 100.5, 101, float("nan")])
def test_it_refuses_a_percent_complete_outside_0_to_100(percent: float) -> None:
    with pytest.raises(ScoringError) as caught:
        earned_value(budget=1000, percent_complete=percent)
    assert caught.value.field == "percent_complete"


@pytest.mark.parametrize(("field", "figures"), [("budget", (-1, 0)), ("spent", (1000, -1))])
def test_it_refuses_negative_money(field: str, figures: tuple[float, float]) -> None:
    budget, spent = figures
    with pytest.raises(ScoringError) as caught:
        cost_variance(budget=budget, percent_complete=50, spent=spent)
    assert (caught.value.field, caught.value.message) == (field, "must be zero or more")
