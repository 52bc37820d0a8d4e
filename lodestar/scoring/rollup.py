"""Roll-ups: how scores combine up the strategy.

- `weighted_average` is the one way scores combine. It takes (score, weight) pairs.
  Weights are relative: 2 counts double, and they need not sum to anything. A score of
  None is N/A (a measure with no value this period, an objective with nothing scored
  yet) and is left out entirely - never counted as zero, which would punish a team for
  a missing figure. Weight 0 also leaves an item out. When nothing is left, the result
  is None (N/A), not 0. Negative weights are refused.
- A strategic objective has two scores, shown side by side:
    performance = its measures and its cascaded child objectives, weighted together in
                  one pool ("is the strategy working?");
    execution   = the scores of the OKR objectives contributing to it in the active
                  cycle ("are we doing the work?").
  `divergence` = execution - performance: strongly positive means busy without impact,
  strongly negative means results arrive without planned work behind them.
- Perspective score = weighted objectives; scorecard score = weighted perspectives.
- Roll-up colours use their own bands (default red below 0.7, green from 0.9): BSC
  targets are commitments, unlike OKR stretch goals, so the bar is higher.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from lodestar.scoring.bands import band_colour, check_bands
from lodestar.scoring.errors import ScoringError
from lodestar.scoring.numbers import clamp, finite

Scored = tuple[float | None, float]


def weighted_average(items: Iterable[Scored]) -> float | None:
    """Weighted average of the (score, weight) pairs that count (see the module docstring)."""
    counted: list[tuple[float, float]] = []
    for score, weight in items:
        weight = finite(weight, "weight")
        if weight < 0:
            raise ScoringError("weight", "must be zero or more")
        if score is None:
            continue
        score = finite(score, "score")
        if weight > 0:
            counted.append((score, weight))
    if not counted:
        return None
    # Weights are relative, so dividing them all by the largest changes nothing in
    # arithmetic - but it keeps 1e300 weights from overflowing and 1e-320 ones from
    # underflowing to zero in the products below.
    largest = max(weight for _, weight in counted)
    shares = [(score, weight / largest) for score, weight in counted]
    total = math.fsum(share for _, share in shares)
    try:
        average = math.fsum(score * share for score, share in shares) / total
    except OverflowError as error:
        # Only scores near 1e308 get here; real scores are 0-1 and far from it.
        raise ScoringError("score", "is too large to average") from error
    # An average lies between its extremes; rounding could leave it a hair outside.
    scores = [score for score, _ in counted]
    return clamp(average, min(scores), max(scores))


def objective_performance(
    measures: Iterable[Scored], children: Iterable[Scored] = ()
) -> float | None:
    """Strategic objective performance: measures and cascaded child objectives, one pool."""
    return weighted_average(chain(measures, children))


def objective_execution(okr_scores: Iterable[Scored]) -> float | None:
    """Strategic objective execution: the contributing OKR objectives, weighted."""
    return weighted_average(okr_scores)


def execution_part(okr_scores: Iterable[tuple[float | None, float, bool]]) -> float | None:
    """The part of a strategic objective's execution that the marked OKR objectives make:
    their weighted scores over the weight of every objective that counts. The parts of
    all contributors add up to `objective_execution`; None exactly when it is None. A
    perspective's part is then `perspective_score` of its objectives' parts, with the
    objectives' weights, over those whose execution is not None."""
    return weighted_average(
        (score if mine or score is None else 0.0, weight) for score, weight, mine in okr_scores
    )


def perspective_score(objectives: Iterable[Scored]) -> float | None:
    """Perspective score: its strategic objectives, weighted."""
    return weighted_average(objectives)


def scorecard_score(perspectives: Iterable[Scored]) -> float | None:
    """Scorecard score: its perspectives, weighted."""
    return weighted_average(perspectives)


@dataclass(frozen=True)
class RollupBands:
    """Colour limits for roll-up scores (objective, perspective, scorecard)."""

    red_below: float = 0.7
    green_from: float = 0.9

    def __post_init__(self) -> None:
        check_bands(self.red_below, self.green_from)


def rollup_colour(score: float | None, bands: RollupBands = RollupBands()) -> str:
    """Colour of a roll-up score: grey for N/A, else red, yellow or green by the bands."""
    if score is None:
        return "grey"
    return band_colour(score, bands.red_below, bands.green_from)


def divergence(performance: float | None, execution: float | None) -> float | None:
    """execution - performance; None when either side is N/A."""
    if performance is None or execution is None:
        return None
    return finite(execution, "execution") - finite(performance, "performance")
