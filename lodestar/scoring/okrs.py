"""OKR rules: objective score, colour, success, confidence and pace.

- Objective score: the weight-averaged scores of its key results (weights relative).
- Colour: red below 0.4, yellow from 0.4, green from 0.7 - the usual 0.0-0.3 / 0.4-0.6 /
  0.7-1.0 convention; both limits are settings (`OkrBands`).
- Success: an aspirational objective succeeds at 0.7 (stretch goals are meant to be
  missed a little); a committed one only at 1.0 (a promise is kept or it is not).
- Confidence: an integer 0-10 given at each check-in; 0-3 low, 4-7 medium, 8-10 high.
- Pace, during the cycle, against the plan line: expected = elapsed share of the cycle
  (0-1) and d = progress - expected. The word shown follows the forecast once there is
  one (`outcomes.open_pace`); this pace decides it only without a forecast.
    not started  never checked in, and no more than `stale_after_days` days since the
              key result (or its cycle, whichever is later) started: new work is not
              failed work, so it is neither late nor stale yet;
    stale     no check-in for more than `stale_after_days` days (or never, once the
              days to start are over); checked first and shown above the others,
              because an unreported key result's other figures cannot be trusted;
    at risk   d < -0.25, or the latest confidence is low (its owner says so);
    behind    -0.25 <= d < -0.10;
    on track  d >= -0.10.
  All limits are settings (`PaceRules`).

Scores are compared with limits after rounding away floating-point noise (see `bands`):
progress 0.5 at expected 0.6 is d = -0.10, on track, as worked by hand.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from lodestar.scoring._choices import parse_choice
from lodestar.scoring.bands import band_colour, check_bands, tidy
from lodestar.scoring.errors import ScoringError
from lodestar.scoring.numbers import clamp, finite, plain
from lodestar.scoring.rollup import weighted_average

ASPIRATIONAL_SUCCESS = 0.7
COMMITTED_SUCCESS = 1.0


@dataclass(frozen=True)
class OkrBands:
    """Colour limits for OKR scores: red below `red_below`, green from `green_from`."""

    red_below: float = 0.4
    green_from: float = 0.7

    def __post_init__(self) -> None:
        check_bands(self.red_below, self.green_from)


def okr_colour(score: float, bands: OkrBands = OkrBands()) -> str:
    """Colour of an OKR score: "red" < 0.4 <= "yellow" < 0.7 <= "green" by default."""
    return band_colour(score, bands.red_below, bands.green_from)


def objective_score(key_results: Iterable[tuple[float, float]]) -> float | None:
    """Weighted average of (key result score, weight) pairs; None when nothing counts."""
    return weighted_average(key_results)


class ObjectiveKind(StrEnum):
    ASPIRATIONAL = "aspirational"
    COMMITTED = "committed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def success_bar(kind: ObjectiveKind | str) -> float:
    """The score an objective of this kind succeeds at: 0.7 aspirational, 1.0 committed."""
    kind = parse_choice(ObjectiveKind, kind, "kind")
    return ASPIRATIONAL_SUCCESS if kind is ObjectiveKind.ASPIRATIONAL else COMMITTED_SUCCESS


def okr_succeeded(score: float, kind: ObjectiveKind | str) -> bool:
    """Aspirational succeeds at 0.7 or more; committed only at 1.0."""
    return tidy(finite(score, "score")) >= success_bar(kind)


def confidence_level(confidence: int) -> str:
    """Level of a 0-10 confidence: low for 0-3, medium for 4-7, high for 8-10."""
    # bool is an int subclass, and 7.0 is not what a 0-10 picker sends: both refused.
    if isinstance(confidence, bool) or not isinstance(confidence, int):
        raise ScoringError("confidence", "must be a whole number from 0 to 10")
    if not 0 <= confidence <= 10:
        raise ScoringError("confidence", f"must be from 0 to 10 (got {confidence})")
    if confidence <= 3:
        return "low"
    if confidence <= 7:
        return "medium"
    return "high"


class Pace(StrEnum):
    ON_TRACK = "on_track"
    BEHIND = "behind"
    AT_RISK = "at_risk"
    STALE = "stale"
    NOT_STARTED = "not_started"


# Worst first: stale before the others (its other figures cannot be trusted), as
# `pace` checks it first; not started last, as it is late for nothing yet (an objective
# is "not started" only while all of its key results are).
PACE_ORDER = (Pace.STALE, Pace.AT_RISK, Pace.BEHIND, Pace.ON_TRACK, Pace.NOT_STARTED)


def worst_pace(paces: Iterable[Pace | str]) -> Pace | None:
    """An objective is as late as its latest key result; None when there is none."""
    found = {Pace(pace) for pace in paces}
    return next((pace for pace in PACE_ORDER if pace in found), None)


@dataclass(frozen=True)
class PaceRules:
    """Pace limits: behind when d < behind_below, at risk when d < at_risk_below, stale
    after more than `stale_after_days` days without a check-in."""

    behind_below: float = -0.10
    at_risk_below: float = -0.25
    stale_after_days: int = 14

    def __post_init__(self) -> None:
        behind = finite(self.behind_below, "behind_below")
        at_risk = finite(self.at_risk_below, "at_risk_below")
        if at_risk > behind:
            raise ScoringError("at_risk_below", f"must not be above behind_below ({plain(behind)})")
        days = self.stale_after_days
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ScoringError("stale_after_days", "must be a whole number of days, 0 or more")


def _as_date(value: date, field: str) -> date:
    # A datetime is a date too, but date - datetime raises TypeError; keep the day only.
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ScoringError(field, "must be a date")
    return value


def expected_progress(start: date, end: date, today: date) -> float:
    """Elapsed share of the cycle in whole days, (today - start) / (end - start), clamped
    to [0, 1]: 0 before and on the first day, 1 on the last day and after.

    Q4 2026 runs 1 Oct -> 31 Dec, 91 days apart; on 16 Nov, 46 days in: 46 / 91 = 0.505.
    """
    start, end, today = _as_date(start, "start"), _as_date(end, "end"), _as_date(today, "today")
    if end <= start:
        raise ScoringError("end", f"must be after start (start is {start.isoformat()})")
    return clamp((today - start).days / (end - start).days)


def on_pace(progress: float, expected: float, rules: PaceRules = PaceRules()) -> bool:
    """On pace (not behind) while d = progress - expected >= behind_below, d rounded as
    every comparison with a limit is: 0.7 done where 0.8 was expected is d = -0.10, on
    pace at the default -0.10, although 0.7 - 0.8 is -0.10000000000000009 in binary."""
    return tidy(finite(progress, "progress") - finite(expected, "expected")) >= rules.behind_below


def pace(
    *,
    progress: float,
    expected: float,
    latest_confidence: int | None,
    days_since_checkin: int | None,
    days_since_start: int | None = None,
    rules: PaceRules = PaceRules(),
) -> Pace:
    """Pace of a key result (see the module docstring for the rules and their order).
    `days_since_start` counts from the later of the key result's creation and its
    cycle's start (negative before it); None when unknown, and then a key result never
    checked in is stale."""
    progress = finite(progress, "progress")
    expected = finite(expected, "expected")
    low_confidence = latest_confidence is not None and confidence_level(latest_confidence) == "low"
    if days_since_checkin is None:
        if days_since_start is None:
            return Pace.STALE
        if isinstance(days_since_start, bool) or not isinstance(days_since_start, int):
            raise ScoringError("days_since_start", "must be a whole number of days")
        return Pace.NOT_STARTED if days_since_start <= rules.stale_after_days else Pace.STALE
    if isinstance(days_since_checkin, bool) or not isinstance(days_since_checkin, int):
        raise ScoringError("days_since_checkin", "must be a whole number of days")
    # A negative count (a check-in a moment "in the future" across a clock or time-zone
    # edge) is as fresh as it gets; it is not worth refusing a page over.
    if days_since_checkin > rules.stale_after_days:
        return Pace.STALE
    d = tidy(progress - expected)
    if d < rules.at_risk_below or low_confidence:
        return Pace.AT_RISK
    return Pace.ON_TRACK if on_pace(progress, expected, rules) else Pace.BEHIND
