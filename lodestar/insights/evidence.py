"""Cause-effect evidence: for each link of the strategy map, do the measures of the two
objectives move together, at lags of 0 to 3 periods?

Each objective becomes one monthly series: for every month with values, the mean "way
to target" of its measures (0 at the baseline, 1 at the target, so "better" points the
same way for every measure). The two series' month-to-month changes are compared with
Pearson's r, the effect shifted 0–3 months later (`analysis.lagged_correlation`).
The reading reports n, says "too little data" below six pairs and never more than
"moves together": a correlation is not a cause.
"""

from dataclasses import dataclass
from datetime import date

from lodestar.insights.analysis import Correlation, lagged_correlation, way_to_target
from lodestar.insights.snapshot import Snapshot
from lodestar.strategy.models import CauseEffectLink, Measure, StrategicObjective

LAGS = range(0, 4)


@dataclass(frozen=True)
class LinkEvidence:
    link: CauseEffectLink
    cause: StrategicObjective
    effect: StrategicObjective
    correlations: list[Correlation]  # one per lag, 0 first
    reading: str


def month_index(period: date) -> int:
    return period.year * 12 + period.month - 1


def objective_series(snapshot: Snapshot, objective: StrategicObjective) -> dict[int, float]:
    ways: dict[int, list[float]] = {}
    for measure in snapshot.measures_of.get(objective.pk, ()):
        if measure.direction == Measure.Direction.RANGE:
            continue
        for value in snapshot.values.get(measure.pk, []):
            way = way_to_target(value.actual, measure.baseline, measure.target)
            if way is not None:
                ways.setdefault(month_index(value.period), []).append(way)
    return {month: sum(found) / len(found) for month, found in ways.items()}


def summary(correlations: list[Correlation]) -> str:
    measured = [c for c in correlations if c.r is not None]
    if not measured:
        return correlations[0].reading if correlations else "No data."
    best = max(measured, key=lambda c: abs(c.r))
    if abs(best.r) < 0.3:
        return f"No clear relation at any lag from 0 to {LAGS[-1]} (n ≤ {best.n})."
    # Four lags tried means four chances to find a pattern by luck: say so.
    return (
        f"Strongest at lag {best.lag}: {best.reading} "
        "Four lags were tried, so a chance match is likelier."
    )


def link_evidence(snapshot: Snapshot) -> list[LinkEvidence]:
    series = {}
    found = []
    for link in snapshot.links:
        cause, effect = snapshot.strategic[link.cause_id], snapshot.strategic[link.effect_id]
        if not (
            snapshot.in_scope_unit(cause.scorecard.unit_id)
            or snapshot.in_scope_unit(effect.scorecard.unit_id)
        ):
            continue
        for objective in (cause, effect):
            if objective.pk not in series:
                series[objective.pk] = objective_series(snapshot, objective)
        correlations = [
            lagged_correlation(series[cause.pk], series[effect.pk], lag) for lag in LAGS
        ]
        found.append(LinkEvidence(link, cause, effect, correlations, summary(correlations)))
    return found
