"""Progress of one key result.

Four kinds of key result, each turned into a raw progress and a 0.0-1.0 score:

- metric: progress = (current - baseline) / (target - baseline). A decrease needs no
  special case: churn 8 % -> 5 %, now 6.5 % gives (6.5 - 8) / (5 - 8) = 0.5. The raw
  value is kept unclamped (1.2 means 20 % over-achieved, -0.1 means it went backwards);
  the score is clamped to [0, 1]. A target equal to the baseline is refused: there is
  no distance to cover, so any progress figure would be invented.
- milestone: `current` says how much is done, 0 = not done, 1 = done, 0.5 = a stated
  50 %. Progress = current / target, so a target of 1 (the usual) reads `current`
  directly and a target of 100 lets people enter percentages. A zero target is refused.
- stay above: 1 while current >= target, else 0 (a guard-rail: it holds or it does not).
- stay below: 1 while current <= target, else 0.

Baseline only matters for metrics; the other kinds ignore it (beyond checking it is a
finite number), so a stay-above key result may have baseline equal to target.

Everything that differs by kind is the kind's `KindRule` below, beside its progress
rule: its label, whether the baseline matters, whether a trend line forecasts it, and
whether it counts work rather than a result. The database choices, the insights and
the forms read them from here, so a new kind is written in one place.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from lodestar.scoring._choices import parse_choice
from lodestar.scoring.errors import ScoringError
from lodestar.scoring.numbers import clamp, finite, plain


class KeyResultKind(StrEnum):
    METRIC = "metric"
    MILESTONE = "milestone"
    STAY_ABOVE = "stay_above"
    STAY_BELOW = "stay_below"

    @property
    def label(self) -> str:
        return KIND_RULES[self].label

    @property
    def rule(self) -> "KindRule":
        return KIND_RULES[self]


@dataclass(frozen=True)
class Progress:
    """`raw` is the unclamped progress; `score` is the same clamped to [0, 1]."""

    raw: float
    score: float

    @property
    def over_achieved(self) -> bool:
        return self.raw > 1


@dataclass(frozen=True)
class KindRule:
    """What one kind of key result is.

    raw_progress      (baseline, target, current) -> unclamped progress
    baseline_matters  progress runs from the baseline to the target: the target must
                      differ from it, and target above baseline means the key result
                      pushes its figure up (metrics); the guards and milestones ignore it
    forecastable      a trend line through the check-ins says where it will end (not a
                      milestone: it counts as it stands)

    Whether a key result states an outcome is read from its words, not its kind
    (`lodestar.insights.quality_rules`): a milestone can state a result reached.
    """

    label: str
    raw_progress: Callable[[float, float, float], float]
    baseline_matters: bool
    forecastable: bool


def _metric_progress(baseline: float, target: float, current: float) -> float:
    if target == baseline:
        raise ScoringError(
            "target", f"target must differ from baseline (baseline is {plain(baseline)})"
        )
    span = target - baseline
    if not math.isfinite(span):
        # Only with figures near 1e308 of opposite signs: inf would make raw 0 or NaN.
        raise ScoringError("target", "is too far from the baseline to score")
    return (current - baseline) / span


def _milestone_progress(baseline: float, target: float, current: float) -> float:
    if target == 0:
        raise ScoringError(
            "target", "a milestone's target must not be zero (use 1 for done / not done)"
        )
    return current / target


def _stay_above_progress(baseline: float, target: float, current: float) -> float:
    return 1.0 if current >= target else 0.0


def _stay_below_progress(baseline: float, target: float, current: float) -> float:
    return 1.0 if current <= target else 0.0


KIND_RULES: dict[KeyResultKind, KindRule] = {
    KeyResultKind.METRIC: KindRule(
        "Metric", _metric_progress, baseline_matters=True, forecastable=True
    ),
    KeyResultKind.MILESTONE: KindRule(
        "Milestone",
        _milestone_progress,
        baseline_matters=False,
        forecastable=False,
    ),
    KeyResultKind.STAY_ABOVE: KindRule(
        "Stay above",
        _stay_above_progress,
        baseline_matters=False,
        forecastable=True,
    ),
    KeyResultKind.STAY_BELOW: KindRule(
        "Stay below",
        _stay_below_progress,
        baseline_matters=False,
        forecastable=True,
    ),
}


def kind_rule(kind: KeyResultKind | str) -> KindRule:
    """The rule of a kind given as a member or its stored text."""
    return KIND_RULES[parse_choice(KeyResultKind, kind, "kind")]


def key_result_progress(
    kind: KeyResultKind | str, *, baseline: float, target: float, current: float
) -> Progress:
    """Score one key result by the rule of its kind (see the module docstring)."""
    kind = parse_choice(KeyResultKind, kind, "kind")
    baseline = finite(baseline, "baseline")
    target = finite(target, "target")
    current = finite(current, "current")

    raw = KIND_RULES[kind].raw_progress(baseline, target, current)

    if not math.isfinite(raw):
        # Only reachable with a tiny divisor and a huge current (1e300 / 1e-10): an
        # infinite progress would break averages and JSON, so refuse it, naming target.
        raise ScoringError(
            "target", "is too close to the baseline (or zero) to give a finite progress"
        )
    return Progress(raw=raw, score=clamp(raw))
