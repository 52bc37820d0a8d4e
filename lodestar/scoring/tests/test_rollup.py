"""Roll-ups up the strategy, worked by hand."""

import pytest

from lodestar.scoring import (
    RollupBands,
    ScoringError,
    divergence,
    objective_execution,
    objective_performance,
    perspective_score,
    rollup_colour,
    scorecard_score,
    weighted_average,
)

# --- weighted average -----------------------------------------------------------------


def test_it_weights_each_score_by_its_weight() -> None:
    # (0.4 x 1 + 0.5 x 1 + 1.0 x 2) / (1 + 1 + 2) = 2.9 / 4 = 0.725
    assert weighted_average([(0.4, 1), (0.5, 1), (1.0, 2)]) == pytest.approx(0.725)


def test_weights_are_relative() -> None:
    # (0.4 x 2 + 0.8 x 1) / 3 = 1.6 / 3; weights 20 and 10 say the same thing
    assert weighted_average([(0.4, 2), (0.8, 1)]) == pytest.approx(1.6 / 3)
    assert weighted_average([(0.4, 20), (0.8, 10)]) == pytest.approx(1.6 / 3)
    assert weighted_average([(0.4, 0.2), (0.8, 0.1)]) == pytest.approx(1.6 / 3)


def test_it_leaves_out_not_applicable_scores_instead_of_counting_zero() -> None:
    # 0.8 alone is 0.8; counting the N/A as zero would wrongly give (0.8 + 0) / 2 = 0.4
    assert weighted_average([(0.8, 1), (None, 1)]) == pytest.approx(0.8)


def test_a_zero_weight_leaves_its_score_out() -> None:
    assert weighted_average([(0.2, 0), (0.9, 1)]) == pytest.approx(0.9)


@pytest.mark.parametrize("items", [[], [(None, 1), (None, 3)], [(0.5, 0), (None, 2)]])
def test_nothing_to_count_is_not_applicable_not_zero(items: list) -> None:
    assert weighted_average(items) is None


def test_it_refuses_a_negative_weight_even_on_a_not_applicable_score() -> None:
    for score in (0.5, None):
        with pytest.raises(ScoringError) as caught:
            weighted_average([(0.9, 1), (score, -1)])
        assert (caught.value.field, caught.value.message) == ("weight", "must be zero or more")


def test_it_refuses_non_finite_weights_and_scores() -> None:
    with pytest.raises(ScoringError, match=r"^weight: must be a finite number$"):
        weighted_average([(0.5, float("nan"))])
    with pytest.raises(ScoringError, match=r"^score: must be a finite number$"):
        weighted_average([(float("nan"), 1)])
    with pytest.raises(ScoringError, match=r"^score: must be a finite number$"):
        weighted_average([(float("inf"), 1)])


def test_it_copes_with_enormous_and_tiny_weights() -> None:
    # 1e308 vs 1.5e308 is 2 vs 3 (their sum would overflow a float):
    # (0.2 x 2 + 0.6 x 3) / 5 = 2.2 / 5 = 0.44
    assert weighted_average([(0.2, 1e308), (0.6, 1.5e308)]) == pytest.approx(0.44)
    # 1e-323 vs 1.5e-323 is 2 vs 3 too (their products with a score would underflow)
    assert weighted_average([(0.2, 1e-323), (0.6, 1.5e-323)]) == pytest.approx(0.44)


def test_it_refuses_scores_too_large_to_add_up() -> None:
    with pytest.raises(ScoringError) as caught:
        weighted_average([(1e308, 1), (1e308, 1)])
    assert caught.value.field == "score"


def test_it_accepts_a_generator_of_rows() -> None:
    rows = ((score, 1) for score in (0.2, 0.4))
    assert weighted_average(rows) == pytest.approx(0.3)


# --- strategic objective --------------------------------------------------------------


def test_performance_pools_measures_and_child_objectives_together() -> None:
    # One pool: (0.2 + 0.4 + 0.6 + 1.0) / 4 = 0.55 - not the average of the two
    # averages, which would be (0.4 + 1.0) / 2 = 0.7
    measures = [(0.2, 1), (0.4, 1), (0.6, 1)]
    children = [(1.0, 1)]
    assert objective_performance(measures, children) == pytest.approx(0.55)


def test_performance_works_with_measures_only_or_children_only() -> None:
    assert objective_performance([(0.4, 1), (0.8, 3)]) == pytest.approx(0.7)  # 2.8 / 4
    assert objective_performance([], [(0.6, 1)]) == pytest.approx(0.6)
    assert objective_performance([(None, 1)], [(None, 1)]) is None


def test_execution_is_the_weighted_score_of_contributing_okrs() -> None:
    # OKR objectives 0.7 (weight 1) and 0.3 (weight 1): 0.5
    assert objective_execution([(0.7, 1), (0.3, 1)]) == pytest.approx(0.5)
    assert objective_execution([]) is None  # no OKR contributes this cycle


def test_divergence_is_execution_minus_performance() -> None:
    # OKRs at 0.9 while the measures sit at 0.4: busy without impact, +0.5
    assert divergence(0.4, 0.9) == pytest.approx(0.5)
    assert divergence(0.9, 0.4) == pytest.approx(-0.5)
    assert divergence(None, 0.9) is None
    assert divergence(0.4, None) is None


# --- perspective and scorecard --------------------------------------------------------


def test_perspective_score_weights_its_objectives() -> None:
    # Customer: retain (0.8, weight 2), adoption (0.5, weight 1): (1.6 + 0.5) / 3 = 0.7
    assert perspective_score([(0.8, 2), (0.5, 1)]) == pytest.approx(0.7)


def test_scorecard_score_weights_its_perspectives_and_skips_not_applicable_ones() -> None:
    # Financial 0.9 x 2, Customer 0.6 x 1, Process N/A, Learning 0.3 x 1:
    # (1.8 + 0.6 + 0.3) / 4 = 0.675
    perspectives = [(0.9, 2), (0.6, 1), (None, 1), (0.3, 1)]
    assert scorecard_score(perspectives) == pytest.approx(0.675)


# --- colour ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "colour"),
    [
        (None, "grey"),
        (0.0, "red"),
        (0.69, "red"),
        (0.7, "yellow"),  # red < 0.7 <= yellow
        (0.89, "yellow"),
        (0.9, "green"),  # yellow < 0.9 <= green
        (1.0, "green"),
    ],
)
def test_rollup_colour_holds_the_strategy_to_a_higher_bar(score: float | None, colour: str) -> None:
    assert rollup_colour(score) == colour


def test_rollup_colour_bands_are_settings() -> None:
    bands = RollupBands(red_below=0.5, green_from=0.8)
    assert [rollup_colour(s, bands) for s in (0.49, 0.5, 0.8, None)] == [
        "red",
        "yellow",
        "green",
        "grey",
    ]


def test_rollup_bands_refuse_limits_out_of_order() -> None:
    with pytest.raises(ScoringError) as caught:
        RollupBands(red_below=0.9, green_from=0.7)
    assert caught.value.field == "green_from"
