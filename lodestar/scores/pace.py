"""A key result's and an objective's word while its cycle runs (on track, behind, at risk,
stale, not started): it depends on today, so it is computed when read, never stored.
The rule is `scoring.outcomes.open_pace`: the forecast decides once there is one."""

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone

from lodestar import scoring
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.scores.parameters import okr_bands, pace_rules
from lodestar.scoring.outcomes import open_pace


def started_on(key_result: KeyResult, cycle: Cycle) -> date:
    """The day a key result's work starts: its cycle's start, or the day it was added
    if later (one made before that was kept counts from its cycle's start)."""
    if key_result.created_at is None:
        return cycle.start
    return max(cycle.start, timezone.localdate(key_result.created_at))


def forecast_score(key_result: KeyResult, value: float | None) -> float | None:
    """The score a forecast `value` would earn; None without one, or when the line ends
    too far out for the scoring rules."""
    if value is None:
        return None
    try:
        return scoring.key_result_progress(
            key_result.kind, baseline=key_result.baseline, target=key_result.target, current=value
        ).score
    except scoring.ScoringError:
        return None


def key_result_forecast_score(key_result: KeyResult) -> float | None:
    """The score its kept trend line reaches at the cycle's end; none for a milestone
    (done or not done is not a trend)."""
    if key_result.kind == KeyResult.Kind.MILESTONE:
        return None
    return forecast_score(key_result, key_result.forecast_value)


def objective_forecast_score(held: Iterable[tuple[KeyResult, float]]) -> float | None:
    """The weight-averaged forecast score of its (key result, weight) pairs, a milestone
    counting as it stands; None unless every one has one."""
    pairs = []
    for key_result, weight in held:
        is_milestone = key_result.kind == KeyResult.Kind.MILESTONE
        score = key_result.score if is_milestone else key_result_forecast_score(key_result)
        if score is None:
            return None
        pairs.append((score, weight))
    return scoring.objective_score(pairs)


def key_result_pace(
    key_result: KeyResult, cycle: Cycle, now: datetime | None = None
) -> scoring.Pace:
    now = now or timezone.now()
    days = (now - key_result.last_checkin_at).days if key_result.last_checkin_at else None
    checked = scoring.pace(
        progress=key_result.score or 0.0,
        expected=scoring.expected_progress(cycle.start, cycle.end, now.date()),
        latest_confidence=key_result.latest_confidence,
        days_since_checkin=days,
        days_since_start=(timezone.localdate(now) - started_on(key_result, cycle)).days,
        rules=pace_rules(),
    )
    bands = okr_bands()
    forecast = key_result_forecast_score(key_result)
    return open_pace(checked, forecast, success_at=bands.green_from, bands=bands)


def objective_pace(
    objective: Objective,
    held: Iterable[tuple[KeyResult, float]],
    cycle: Cycle,
    now: datetime | None = None,
) -> scoring.Pace | None:
    """An open cycle's objective: its forecast's word, else its worst key result's;
    None without key results. `held`: its (key result, weight) pairs."""
    held = list(held)
    now = now or timezone.now()
    worst = scoring.worst_pace(key_result_pace(kr, cycle, now) for kr, _ in held)
    return open_pace(
        worst,
        objective_forecast_score(held),
        success_at=scoring.success_bar(objective.kind),
        bands=okr_bands(),
    )
