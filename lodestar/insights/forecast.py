"""Forecast of each key result and objective to the end of its cycle, from check-ins.

A key result's forecast is the least-squares line through its check-ins (value against
days since the cycle start) read at the cycle's last day, with its 95 % prediction
interval (see `analysis.linear_forecast`). The forecast score is what the scoring rules
make of the forecast value. A milestone gets no line (done or not done is not a trend):
it counts as it stands.
An objective's forecast is the weight-averaged forecast score of its key results, given
only when every one of them has a forecast (otherwise it says how many lack one).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lodestar import scoring
from lodestar.insights.analysis import MIN_FORECAST_POINTS, Forecast, linear_forecast, no_forecast
from lodestar.insights.snapshot import Snapshot
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective


@dataclass(frozen=True)
class KeyResultForecast:
    key_result: KeyResult
    forecast: Forecast
    score: float | None  # the score the forecast value would earn

    @property
    def reading(self) -> str:
        return self.forecast.reading


@dataclass(frozen=True)
class ObjectiveForecast:
    objective: Objective
    score: float | None
    reading: str


def key_result_forecast(
    key_result: KeyResult, cycle: Cycle, checkins: Sequence[CheckIn]
) -> KeyResultForecast:
    rule = scoring.kind_rule(key_result.kind)
    if not rule.forecastable:
        none = no_forecast(
            len(checkins), f"No trend line for a {rule.label.lower()}: it counts as it stands."
        )
        return KeyResultForecast(key_result, none, key_result.score)
    points = [((c.created_at.date() - cycle.start).days, c.value) for c in checkins]
    forecast = linear_forecast(points, at=(cycle.end - cycle.start).days)
    if not forecast.available:
        return KeyResultForecast(key_result, forecast, None)
    try:
        score = scoring.key_result_progress(
            key_result.kind,
            baseline=key_result.baseline,
            target=key_result.target,
            current=forecast.value,
        ).score
    except scoring.ScoringError:
        # The line ends too far out for the scoring rules (a huge value over a tiny span).
        unscored = no_forecast(forecast.n, "No forecast: the trend ends too far out to score.")
        return KeyResultForecast(key_result, unscored, None)
    return KeyResultForecast(key_result, forecast, score)


def key_result_forecast_from_db(key_result: KeyResult) -> KeyResultForecast:
    """For one key result's page or endpoint (one query for its check-ins)."""
    checkins = list(key_result.checkins.order_by("created_at"))
    return key_result_forecast(key_result, key_result.cycle, checkins)


def forecasts(snapshot: Snapshot) -> dict[int, KeyResultForecast]:
    """Every key result of the active cycle, by id."""
    if snapshot.cycle is None:
        return {}
    return {
        kr.pk: key_result_forecast(kr, snapshot.cycle, snapshot.checkins.get(kr.pk, []))
        for kr in snapshot.key_results.values()
        if kr.cycle_id == snapshot.cycle.pk
    }


def key_result_forecasts(
    key_results: Iterable[KeyResult], cycle: Cycle
) -> dict[int, KeyResultForecast]:
    """For a page of key results of one cycle, by id (one query for all their check-ins)."""
    key_results = list(key_results)
    checkins: dict[int, list[CheckIn]] = {kr.pk: [] for kr in key_results}
    for checkin in CheckIn.objects.filter(key_result__in=list(checkins)).order_by("created_at"):
        checkins[checkin.key_result_id].append(checkin)
    return {kr.pk: key_result_forecast(kr, cycle, checkins[kr.pk]) for kr in key_results}


def objective_forecast(
    snapshot: Snapshot, objective: Objective, by_key_result: dict[int, KeyResultForecast]
) -> ObjectiveForecast:
    return held_forecast(objective, snapshot.holdings.get(objective.pk, []), by_key_result)


def held_forecast(
    objective: Objective,
    held: Sequence[tuple[KeyResult, float]],
    by_key_result: dict[int, KeyResultForecast],
) -> ObjectiveForecast:
    """`held`: the objective's (key result, weight) pairs."""
    if not held:
        return ObjectiveForecast(objective, None, "No key results to forecast.")
    missing = [
        kr
        for kr, _ in held
        if by_key_result.get(kr.pk) is None or by_key_result[kr.pk].score is None
    ]
    if missing:
        few = all(
            kr.pk not in by_key_result or by_key_result[kr.pk].forecast.n < MIN_FORECAST_POINTS
            for kr in missing
        )
        why = "have too few check-ins" if few else "have no forecast"
        return ObjectiveForecast(
            objective, None, f"No forecast: {len(missing)} of its {len(held)} key results {why}."
        )
    score = scoring.objective_score((by_key_result[kr.pk].score, w) for kr, w in held)
    return ObjectiveForecast(
        objective, score, f"Heading for a score of about {score:.2f} at the cycle end."
    )
