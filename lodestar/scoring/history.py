"""Past scores rebuilt from measure values: how a strategic objective, a perspective or
a scorecard stood at the end of each past month (for trends and sparklines).

The rules are the roll-up's own (`lodestar.scoring.rollup`), applied to the values known
at the time: a measure stands at its latest value with a period on or before the month
(judged against that value's own target when it has one, else the measure's), N/A
before its first value. An objective's performance weighs its measures and its cascaded
children; N/A stays out of every average and a month with nothing known is N/A.

Worked example: a measure 60 -> 85 % with values Jan 70 and Mar 80 stands at
(70 - 60) / 25 = 0.4 in January and February, 0.8 in March, and N/A in December.
"""

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lodestar import tree
from lodestar.scoring.measures import measure_performance
from lodestar.scoring.rollup import objective_performance, weighted_average


@dataclass(frozen=True)
class MeasureSeries:
    objective: int
    weight: float
    direction: str
    baseline: float
    target: float
    upper: float | None
    values: Sequence[tuple[date, float, float | None]]  # (period, actual, period target)


@dataclass(frozen=True)
class ObjectiveNode:
    key: int
    weight: float
    parent: int | None


History = list[float | None]


def measure_performance_at(measure: MeasureSeries, month: date) -> float | None:
    return measure_history(measure, [month])[0]


def measure_history(measure: MeasureSeries, months: Sequence[date]) -> History:
    """The measure's performance at each month: values sorted once, each month found by
    bisection, so a long history costs its length once, not once per month."""
    ordered = sorted(measure.values, key=lambda value: value[0])
    periods = [value[0] for value in ordered]
    found: History = []
    for month in months:
        known = bisect_right(periods, month)
        if not known:
            found.append(None)
            continue
        _, actual, period_target = ordered[known - 1]
        found.append(
            measure_performance(
                direction=measure.direction,
                baseline=measure.baseline,
                target=measure.target if period_target is None else period_target,
                actual=actual,
                upper=measure.upper,
            )
        )
    return found


def objective_histories(
    months: Sequence[date], objectives: Sequence[ObjectiveNode], measures: Sequence[MeasureSeries]
) -> dict[int, History]:
    """Performance of every objective at every month, children before parents."""
    by_objective: dict[int, list[MeasureSeries]] = {}
    for measure in measures:
        by_objective.setdefault(measure.objective, []).append(measure)
    by_key = {node.key: node for node in objectives}
    children = tree.children_of({node.key: node.parent for node in objectives})
    # Parents come before their children in a depth-first walk, so the walk backwards
    # meets every child first. Roots first, then the rest: objectives caught in a corrupt
    # cascade loop have no root, and their loop is cut where it closes.
    roots = [node.key for node in objectives if node.parent not in by_key]
    walk = tree.depth_first([*roots, *by_key], children)
    done: dict[int, History] = {}
    for key, _ in reversed(walk):
        kids = [(by_key[k], done[k]) for k in children.get(key, ()) if k in done]
        own = [(measure_history(m, months), m.weight) for m in by_objective.get(key, [])]
        done[key] = [
            objective_performance(
                [(series[i], weight) for series, weight in own],
                [(series[i], kid.weight) for kid, series in kids],
            )
            for i in range(len(months))
        ]
    return done


def combined_history(parts: Sequence[tuple[History, float]], length: int) -> History:
    """Weighted average month by month (objectives into a perspective, perspectives into
    a scorecard)."""
    return [
        weighted_average((series[i], weight) for series, weight in parts) for i in range(length)
    ]


def trend(history: History, tolerance: float = 0.005) -> str | None:
    """ "up", "down" or "steady" from the last two known months; None with fewer than two.
    Changes within `tolerance` (half a point) are steady: noise, not news."""
    known = [value for value in history if value is not None]
    if len(known) < 2:
        return None
    change = known[-1] - known[-2]
    if change > tolerance:
        return "up"
    if change < -tolerance:
        return "down"
    return "steady"
