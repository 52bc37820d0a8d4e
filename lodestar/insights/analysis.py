"""The arithmetic of the insights, as plain functions over plain figures (no Django).

- `linear_forecast` (kept in `lodestar.scoring.trend`, since a check-in stores its key
  result's forecast): least-squares line through (day, value) points, its value at a
  later day, the standard error of that prediction and a 95 % prediction interval.
- `lagged_correlation`: Pearson's r between the period-to-period *changes* of two
  series, the effect shifted `lag` periods later, with n (the pairs used) and a reading
  that never claims more than the data shows.
- `way_to_target`: where a value stands on the way from baseline to target (0 at the
  baseline, 1 at the target), the common scale for "did this measure move".

"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MIN_CORRELATION_PAIRS = 6


@dataclass(frozen=True)
class Correlation:
    lag: int  # periods the effect is shifted after the cause
    n: int  # pairs of changes compared
    r: float | None
    reading: str


def changes(series: Mapping[int, float]) -> dict[int, float]:
    """Period-to-period changes, keyed by the later period; gaps break the chain."""
    return {p: series[p] - series[p - 1] for p in series if p - 1 in series}


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """None when either side does not vary (r is undefined, not zero). OverflowError
    when the figures are too large for the sums (stored before the input bound)."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    # Square roots taken apart: the product of two tiny sums can underflow to zero.
    spread = math.sqrt(sxx) * math.sqrt(syy)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    if not (math.isfinite(spread) and math.isfinite(sxy)):
        raise OverflowError("figures too large to correlate")
    if spread == 0:
        return None
    return max(-1.0, min(1.0, sxy / spread))


def lagged_correlation(
    cause: Mapping[int, float], effect: Mapping[int, float], lag: int
) -> Correlation:
    """Compare the cause's change in period p with the effect's change in period p + lag.

    Changes, not levels: two series that both trend upwards correlate in levels whether
    or not one drives the other, so levels would show a link in almost every pair.
    """
    cause_changes, effect_changes = changes(cause), changes(effect)
    pairs = [
        (c, effect_changes[p + lag]) for p, c in cause_changes.items() if p + lag in effect_changes
    ]
    n = len(pairs)
    if n < MIN_CORRELATION_PAIRS:
        return Correlation(
            lag, n, None, f"Too little data: {n} pairs of changes, {MIN_CORRELATION_PAIRS} needed."
        )
    try:
        r = pearson([c for c, _ in pairs], [e for _, e in pairs])
    except OverflowError:
        return Correlation(lag, n, None, "The values hold figures too large to compare.")
    return Correlation(lag, n, r, correlation_reading(r, n, lag))


def correlation_reading(r: float | None, n: int, lag: int) -> str:
    when = "in the same period" if lag == 0 else f"{lag} period{'s' if lag > 1 else ''} later"
    if r is None:
        return f"One of the two did not change at all over {n} periods: nothing to compare."
    strength = abs(r)
    if strength < 0.3:
        return f"No clear relation {when} (r = {r:.2f}, n = {n})."
    together = "together" if r > 0 else "in opposite directions"
    size = "strongly" if strength >= 0.7 else "somewhat"
    return (
        f"The two {size} move {together} {when} (r = {r:.2f}, n = {n}); "
        "a correlation, not proof that one causes the other."
    )


def way_to_target(value: float, baseline: float, target: float) -> float | None:
    """0 at the baseline, 1 at the target, unclamped; None when they are equal (a
    within-range measure, which has no single way to go)."""
    if target == baseline:
        return None
    return (value - baseline) / (target - baseline)
