"""The arithmetic of the insights, as plain functions over plain figures (no Django).

- `linear_forecast`: least-squares line through (day, value) points, its value at a
  later day, the standard error of that prediction and a 95 % prediction interval.
  Fewer than MIN_FORECAST_POINTS points, all on one day, or figures too large for the
  arithmetic (stored before the input bound): no forecast, and it says so.
- `lagged_correlation`: Pearson's r between the period-to-period *changes* of two
  series, the effect shifted `lag` periods later, with n (the pairs used) and a reading
  that never claims more than the data shows.
- `classify_key_result`: activity-style or outcome-style, with the rule that decided.
- `way_to_target`: where a value stands on the way from baseline to target (0 at the
  baseline, 1 at the target), the common scale for "did this measure move".

Worked example (forecast): values 10, 12, 14 on days 0, 7, 14, predicted at day 28:
slope 2/7 a day, line 10 + 2/7·28 = 18; the points sit exactly on the line, so the
standard error is 0 and the interval is 18–18.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lodestar import scoring

MIN_FORECAST_POINTS = 3
MIN_CORRELATION_PAIRS = 6

# Two-sided 95 % quantiles of Student's t by degrees of freedom (1–30); beyond 30 the
# normal 1.96 is within 2 % of the truth. Few points give wide, honest intervals.
T_975 = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
]  # fmt: skip


def t_quantile_975(degrees_of_freedom: int) -> float:
    if degrees_of_freedom < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if degrees_of_freedom <= len(T_975):
        return T_975[degrees_of_freedom - 1]
    return 1.96


@dataclass(frozen=True)
class Forecast:
    n: int  # points used
    value: float | None  # predicted value at the horizon
    standard_error: float | None  # of that prediction
    low: float | None  # 95 % prediction interval
    high: float | None
    slope: float | None  # change per day
    reading: str  # one plain sentence

    @property
    def available(self) -> bool:
        return self.value is not None


def no_forecast(n: int, reading: str) -> Forecast:
    return Forecast(n, None, None, None, None, None, reading)


def linear_forecast(points: Sequence[tuple[float, float]], at: float) -> Forecast:
    """Least squares y = a + b·x through `points` (x in days), evaluated at x = `at`.

    Standard error of a new observation at x0: s·√(1 + 1/n + (x0 − x̄)² / Sxx), with
    s² = Σ residual² / (n − 2); the interval is ± t(0.975, n − 2) of it.
    """
    n = len(points)
    if n < MIN_FORECAST_POINTS:
        return no_forecast(
            n, f"Not enough check-ins to forecast ({n} of the {MIN_FORECAST_POINTS} needed)."
        )
    xs = [float(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    if len(set(xs)) == 1:
        return no_forecast(n, "Not enough check-ins to forecast (all on one day).")
    try:
        fit = _least_squares(xs, ys, at)
    except OverflowError:
        fit = None
    # Figures stored before the input bound (1e308…) overflow the squares: say so.
    if fit is None or not all(math.isfinite(figure) for figure in fit):
        return no_forecast(n, "No forecast: the check-ins hold figures too large to forecast.")
    value, error, margin, slope = fit
    return Forecast(
        n,
        value,
        error,
        value - margin,
        value + margin,
        slope,
        f"From {n} check-ins the trend line ends near {value:.4g}; "
        f"95 % of outcomes like these fall between {value - margin:.4g} "
        f"and {value + margin:.4g}.",
    )


def _least_squares(
    xs: Sequence[float], ys: Sequence[float], at: float
) -> tuple[float, float, float, float]:
    """(value at `at`, its standard error, the 95 % margin, the slope)."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    residuals = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    s = math.sqrt(residuals / (n - 2))
    value = intercept + slope * at
    error = s * math.sqrt(1 + 1 / n + (at - mean_x) ** 2 / sxx)
    return value, error, t_quantile_975(n - 2) * error, slope


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


# Activity or outcome ------------------------------------------------------------------
ACTIVITY_VERBS = frozenset(
    [
        "conduct",
        "launch",
        "ship",
        "publish",
        "run",
        "hold",
        "host",
        "organise",
        "organize",
        "write",
        "build",
        "create",
        "deliver",
        "complete",
        "implement",
        "migrate",
        "introduce",
        "roll",
        "set",
        "release",
        "deploy",
        "design",
        "develop",
        "start",
        "finish",
        "prepare",
        "attend",
        "send",
        "train",
        "hire",
        "interview",
        "draft",
        "document",
        "map",
        "plan",
    ]
)
OUTCOME_VERBS = frozenset(
    [
        "increase",
        "raise",
        "grow",
        "reduce",
        "cut",
        "decrease",
        "lower",
        "improve",
        "halve",
        "double",
        "triple",
        "keep",
        "maintain",
        "reach",
        "achieve",
        "lift",
        "boost",
        "shorten",
        "eliminate",
        "sign",
        "win",
        "retain",
    ]
)
# Units that count pieces of work done rather than a state of the world.
WORK_UNITS = frozenset(
    [
        "interviews",
        "calls",
        "meetings",
        "pages",
        "guides",
        "reviews",
        "sessions",
        "workshops",
        "posts",
        "trainings",
        "features",
        "releases",
        "tasks",
        "articles",
        "videos",
        "events",
    ]
)


@dataclass(frozen=True)
class Classification:
    style: str  # "activity" | "outcome"
    reason: str


def classify_key_result(title: str, kind: str, unit: str = "") -> Classification:
    """Rules, first match wins:
    1. a milestone is an activity (done or not done says nothing of the effect);
    2. a title opening with a task verb ("conduct", "launch", "publish"…) is an activity;
    3. a title opening with a change verb ("raise", "cut", "keep"…) is an outcome;
    4. a unit that counts pieces of work ("interviews", "pages"…) is an activity;
    5. anything else is read as an outcome (it names a figure, not a task).
    """
    words = re.findall(r"[a-z]+", title.lower())
    first = words[0] if words else ""
    if scoring.kind_rule(kind).activity_like:
        label = scoring.kind_rule(kind).label
        return Classification(
            "activity", f"A {label.lower()} is done or not done: it counts work, not its effect."
        )
    if first in ACTIVITY_VERBS:
        return Classification(
            "activity",
            f"Opens with “{first}”, a task: it counts work done, not the change it should cause.",
        )
    if first in OUTCOME_VERBS:
        return Classification("outcome", f"Opens with “{first}”, a change in a result.")
    if unit.strip().lower() in WORK_UNITS:
        return Classification("activity", f"Counted in “{unit}”, pieces of work done.")
    return Classification("outcome", "Names a figure to reach and no task: read as an outcome.")
