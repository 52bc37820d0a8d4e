"""How a Viva goal is measured in Lodestar, and what its check-ins' values mean (the
rules are said in `convert`'s notes)."""

import re
from dataclasses import dataclass

from lodestar.exchange.layout import normalised
from lodestar.exchange.viva.export import DELIVERABLE, Goal

# A check-in's status as its confidence: low (0–3) is what Lodestar calls at risk.
CONFIDENCE = {
    "ontrack": 8,
    "closed": 8,
    "completed": 8,
    "behind": 5,
    "notstarted": 5,
    "postponed": 5,
    "atrisk": 3,
}


@dataclass
class Measure:
    kind: str
    baseline: float
    target: float
    unit: str
    progress_values: bool  # does "25%" mean a quarter of the way (else the value 25)?
    baseline_to_find: bool = False


def measure_of(goal: Goal, role: str) -> Measure:
    if role == DELIVERABLE:
        return Measure("milestone", 0.0, 1.0, "", True)
    kind = normalised(goal.target_type)
    if "baseline" in kind:
        return Measure("milestone", 0.0, 1.0, "", True, baseline_to_find=True)
    if "above" in kind or "below" in kind:
        target = goal.target if goal.target is not None else 0.0
        guard = "stay_above" if "above" in kind else "stay_below"
        return Measure(guard, goal.start or target, target, goal.unit, False)
    if normalised(goal.outcome_type) == "percentage" or goal.target is None:
        return Measure("metric", 0.0, 100.0, "%", False)
    in_percent = goal.unit.strip() == "%"
    start = goal.start if goal.start is not None else 0.0
    return Measure("metric", start, goal.target, goal.unit, not in_percent)


def value_of(written: str, measure: Measure) -> float | None:
    """A check-in's value as written ("25%", "40", "done")."""
    text = written.strip().replace(",", "")
    if not text:
        return None
    if text.lower() in ("done", "completed", "closed", "yes"):
        return measure.target
    found = re.fullmatch(r"(-?[\d.]+)\s*(%?)", text)
    if found is None:
        raise ValueError(f"{written!r} is not a value")
    number = float(found[1])
    if found[2] and measure.progress_values:
        return measure.baseline + number / 100 * (measure.target - measure.baseline)
    return number
