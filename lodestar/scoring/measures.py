"""Measure (KPI) performance and status.

Performance, a 0.0-1.0 figure:
- higher / lower is better: linear normalisation between baseline and target,
  (actual - baseline) / (target - baseline), clamped to [0, 1]. The one formula serves
  both directions because a lower-is-better target sits below its baseline: time to
  value 14 -> 7 days, actual 10.5 gives (10.5 - 14) / (7 - 14) = 0.5. A target equal to
  the baseline is refused (no distance to normalise over).
- within a range: `target` is the lower and `upper` the upper bound of the acceptable
  band. Inside the band (bounds included) performance is 1.0; outside it falls in a
  straight line to 0.0 at one band width beyond the nearer bound. Band 95-105, actual
  90: 5 below, width 10, 1 - 5/10 = 0.5. A zero-width band (target == upper, "exactly
  100") uses max(|target|, 1) as the width, so "exactly 100" hits 0 at 0 and 200.
  The baseline does not enter a range's performance.
- no value for the period (actual None): None, i.e. N/A, left out of every roll-up.

Status, a colour:
- grey: no value for the period;
- green: the actual meets the target (BSC targets are commitments, so nothing less);
  for a range, inside the band;
- yellow: the actual meets the warning value - by default the point 70 % of the way from
  baseline to target; for a range, performance of at least 0.7;
- red: otherwise.

"Meets the target" follows the way from baseline to target (actual >= target when the
target is above the baseline, <= when below), the same way performance is measured. For a
consistent measure (higher is better with target above baseline, or lower is better
with target below it) this is exactly "higher: actual >= target, lower: actual <= target";
for an inconsistent one it keeps status and performance from contradicting each other.
"""

import math
from enum import StrEnum

from lodestar.scoring._choices import parse_choice
from lodestar.scoring.bands import tidy
from lodestar.scoring.errors import ScoringError
from lodestar.scoring.numbers import clamp, finite, plain

DEFAULT_WARNING_SHARE = 0.7
RANGE_WARNING_PERFORMANCE = 0.7


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    RANGE = "range"

    @property
    def label(self) -> str:
        return DIRECTION_LABELS[self]


DIRECTION_LABELS = {
    Direction.HIGHER: "Higher is better",
    Direction.LOWER: "Lower is better",
    Direction.RANGE: "Within a range",
}


def _linear_span(baseline: float, target: float) -> float:
    """target - baseline, refusing zero (shared by performance and warning share)."""
    if target == baseline:
        raise ScoringError("target", f"must differ from baseline (baseline is {plain(baseline)})")
    span = target - baseline
    if not math.isfinite(span):
        # Only with figures near 1e308 of opposite signs; an infinite span would turn
        # every performance into 0 or NaN.
        raise ScoringError("target", "is too far from the baseline to score")
    return span


def _range_upper(target: float, upper: float | None) -> float:
    if upper is None:
        raise ScoringError("upper", "a range needs an upper bound")
    upper = finite(upper, "upper")
    if upper < target:
        raise ScoringError("upper", f"must be at least the lower bound (target is {plain(target)})")
    if not math.isfinite(upper - target):
        raise ScoringError("upper", "is too far from the lower bound to score")
    return upper


def _range_performance(lower: float, upper: float, actual: float) -> float:
    if lower <= actual <= upper:
        return 1.0
    # Band width as the yardstick; a zero-width band borrows the target's size (min 1).
    width = (upper - lower) or max(abs(lower), 1.0)
    distance = lower - actual if actual < lower else actual - upper
    return clamp(1 - distance / width)


def measure_performance(
    *,
    direction: Direction | str,
    baseline: float,
    target: float,
    actual: float | None,
    upper: float | None = None,
) -> float | None:
    """Performance of a measure's actual in [0, 1], or None when there is no actual.

    The definition (direction, baseline, target, upper) is checked even when the actual
    is None, so a broken measure is refused when it is saved, not when a value arrives.
    """
    direction = parse_choice(Direction, direction, "direction")
    baseline = finite(baseline, "baseline")
    target = finite(target, "target")
    if direction is Direction.RANGE:
        upper = _range_upper(target, upper)
        if actual is None:
            return None
        return _range_performance(target, upper, finite(actual, "actual"))
    span = _linear_span(baseline, target)
    if actual is None:
        return None
    # actual - baseline may overflow to +-inf for figures near 1e308; clamp() makes it 1 or 0.
    return clamp((finite(actual, "actual") - baseline) / span)


def warning_share(*, baseline: float, target: float, warning: float | None) -> float:
    """Where the warning value sits on the way from baseline to target, as a share in
    [0, 1]; 0.7 when the measure sets no warning value.

    Onboarding 60 -> 85 %, warning 75: (75 - 60) / (85 - 60) = 0.6. A warning beyond
    the target gives 1 (no yellow band: short of target is red); one behind the baseline
    gives 0 (never red). Clamping changes no status, only keeps the share readable.
    """
    baseline = finite(baseline, "baseline")
    target = finite(target, "target")
    if warning is None:
        return DEFAULT_WARNING_SHARE
    span = _linear_span(baseline, target)
    return clamp((finite(warning, "warning") - baseline) / span)


def period_target(planned: float | None, final: float) -> float:
    """The target a period's value is judged against: the period's plan when there is
    one, else the measure's final target. *Churn 8 % → 5 % by Oct 2028, planned 7.17 % for
    Oct 2026: October's 6.81 % is judged against 7.17 %; an unplanned month against 5 %.*"""
    return final if planned is None else planned


def measure_status(
    *,
    direction: Direction | str,
    baseline: float,
    target: float,
    actual: float | None,
    warning: float | None = None,
    upper: float | None = None,
) -> str:
    """Colour of a measure's actual: grey, green, yellow or red (module docstring)."""
    # Validate the whole definition (and warning) first: a broken measure never reads grey.
    performance = measure_performance(
        direction=direction, baseline=baseline, target=target, actual=actual, upper=upper
    )
    direction = parse_choice(Direction, direction, "direction")
    baseline, target = finite(baseline, "baseline"), finite(target, "target")
    if direction is Direction.RANGE:
        yellow_from = RANGE_WARNING_PERFORMANCE  # a range has no baseline-to-target way
    else:
        yellow_from = warning_share(baseline=baseline, target=target, warning=warning)
    if performance is None:
        return "grey"
    value = finite(actual, "actual")
    # Meeting the target is checked on the actual itself, not on the performance
    # figure, so a value exactly on target (or just outside a band) is never blurred by
    # rounding. The way to go is from baseline towards target.
    if direction is Direction.RANGE:
        met = target <= value <= _range_upper(target, upper)
    else:
        met = value >= target if target > baseline else value <= target
    if met:
        return "green"
    return "yellow" if tidy(performance - yellow_from) >= 0 else "red"
