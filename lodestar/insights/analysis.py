"""The arithmetic of the insights, as plain functions over plain figures (no Django).

- `linear_forecast` (kept in `lodestar.scoring.trend`, since a check-in stores its key
  result's forecast): least-squares line through (day, value) points, its value at a
  later day, the standard error of that prediction and a 95 % prediction interval.
- `lagged_correlation`: Pearson's r between the period-to-period *changes* of two
  series, the effect shifted `lag` periods later, with n (the pairs used) and a reading
  that never claims more than the data shows.
- `classify_key_result`: activity-style or outcome-style, with the rule that decided.
- `way_to_target`: where a value stands on the way from baseline to target (0 at the
  baseline, 1 at the target), the common scale for "did this measure move".

"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lodestar import scoring

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
