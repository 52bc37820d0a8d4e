"""Forecast of each key result and objective to the end of its cycle, from check-ins.

A key result's forecast is the least-squares line through its check-ins (value against
days since the cycle start) read at the cycle's last day, with its 95 % prediction
interval (see `scoring.trend.linear_forecast`). The forecast score is what the scoring rules
make of the forecast value. A milestone gets no line (done or not done is not a trend):
it counts as it stands.
An objective's forecast is the weight-averaged forecast score of its key results, given
only when every one of them has a forecast (otherwise it says how many lack one).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lodestar import scoring
from lodestar.insights.snapshot import Snapshot
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective
from lodestar.scores import pace
from lodestar.scoring.trend import MIN_FORECAST_POINTS, Forecast, linear_forecast


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


def milestone_forecast(key_result: KeyResult, checkins: int) -> KeyResultForecast:
    none = Forecast(
        checkins,
        None,
        None,
        None,
        None,
        None,
        "No trend line for a milestone: it counts as it stands.",
    )
    return KeyResultForecast(key_result, none, key_result.score)


def key_result_forecast(
    key_result: KeyResult, cycle: Cycle, checkins: Sequence[CheckIn]
) -> KeyResultForecast:
    rule = scoring.kind_rule(key_result.kind)
    if not rule.forecastable:
        return milestone_forecast(key_result, len(checkins))
    points = [((c.created_at.date() - cycle.start).days, c.value) for c in checkins]
    forecast = linear_forecast(points, at=(cycle.end - cycle.start).days)
    return KeyResultForecast(key_result, forecast, forecast_score(key_result, forecast))


def forecast_score(key_result: KeyResult, forecast: Forecast) -> float | None:
    """The score its line's end earns, as the word of its pace reads it."""
    return pace.forecast_score(key_result, forecast.value)


def key_result_forecast_from_db(key_result: KeyResult) -> KeyResultForecast:
    """For one key result's page or endpoint (one query for its check-ins)."""
    checkins = list(key_result.checkins.order_by("created_at"))
    return key_result_forecast(key_result, key_result.cycle, checkins)


def stored_forecast(key_result: KeyResult) -> KeyResultForecast:
    """The forecast every check-in keeps on its key result (no check-in is read)."""
    if key_result.kind == KeyResult.Kind.MILESTONE:
        return milestone_forecast(key_result, key_result.forecast_points)
    trend = scoring.forecast_of(
        key_result.forecast_points,
        key_result.forecast_value,
        key_result.forecast_standard_error,
        key_result.forecast_low,
        key_result.forecast_high,
        key_result.forecast_slope,
    )
    return KeyResultForecast(key_result, trend, forecast_score(key_result, trend))


def forecasts(snapshot: Snapshot) -> dict[int, KeyResultForecast]:
    """Every key result of the active cycle, by id."""
    if snapshot.cycle is None:
        return {}
    return {
        kr.pk: stored_forecast(kr)
        for kr in snapshot.key_results.values()
        if kr.cycle_id == snapshot.cycle.pk
    }


def key_result_forecasts(key_results: Iterable[KeyResult]) -> dict[int, KeyResultForecast]:
    """For a page of key results, by id, from what they store."""
    return {kr.pk: stored_forecast(kr) for kr in key_results}


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
