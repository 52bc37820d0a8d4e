"""After the import: each objective's score beside the export's own `Progress %` and
`Score`, how many agree, and why the rest differ (said in the import's report)."""

from collections import Counter
from dataclasses import dataclass

from lodestar.exchange.layout import BY_NAME
from lodestar.exchange.models import ImportKey
from lodestar.exchange.viva.export import KEY_RESULT, OBJECTIVE
from lodestar.exchange.viva.tree import Placed
from lodestar.okrs.models import Objective

PROGRESS_WITHIN = 0.005  # half a point of percentage: Viva rounds its progress
SCORE_WITHIN = 0.05  # Viva's Score is given to a tenth

ROLLS_UP_OBJECTIVES = (
    "roll objectives aligned to them into Viva's progress (Lodestar scores an objective "
    "by its key results)"
)
OVER_TARGET = "have a key result over its target (above 100 % in Viva, 1 in Lodestar)"
BASELINE = "have a key result finding its baseline (0 % in Viva, no score in Lodestar)"
UNEXPLAINED = "differ for another reason"


@dataclass(frozen=True)
class Expected:
    progress: float | None  # percent
    score: float | None
    reason: str  # why Lodestar's score may differ, or ""


def expectations(placed: list[Placed], measured: dict[str, bool]) -> dict[str, Expected]:
    """{objective's key: what the file says of it}; `measured`: goal id → whether the key
    result is one that finds its baseline."""
    children: dict[str, list[Placed]] = {}
    for item in placed:
        parent = item.goal.aligned_to[0].id if item.goal.aligned_to else None
        children.setdefault(parent, []).append(item)
    expected = {}
    for item in placed:
        if item.role != OBJECTIVE:
            continue
        under = children.get(item.goal.id, [])
        key_results = [child for child in under if child.role == KEY_RESULT]
        reason = ""
        if any(child.role == OBJECTIVE for child in under):
            reason = ROLLS_UP_OBJECTIVES
        elif any(measured.get(child.goal.id) for child in key_results):
            reason = BASELINE
        elif any((child.goal.progress or 0) > 100 for child in key_results):
            reason = OVER_TARGET
        expected[f"viva-{item.goal.id}"] = Expected(item.goal.progress, item.goal.score, reason)
    return expected


def compared(expected: dict[str, Expected]) -> list[str]:
    """The report's lines on the imported objectives' scores."""
    ids = dict(
        ImportKey.objects.filter(model=BY_NAME["objectives"].model, key__in=expected).values_list(
            "key", "object_id"
        )
    )
    scores = dict(Objective.objects.filter(pk__in=ids.values()).values_list("pk", "score"))
    as_progress = as_score = with_progress = with_score = 0
    differ = Counter()
    for key, wanted in expected.items():
        ours = scores.get(ids.get(key))
        if wanted.progress is not None:
            with_progress += 1
            same = ours is not None and abs(ours - wanted.progress / 100) <= PROGRESS_WITHIN
            as_progress += same
            if not same:
                differ[wanted.reason or UNEXPLAINED] += 1
        if wanted.score is not None:
            with_score += 1
            as_score += ours is not None and abs(ours - wanted.score) <= SCORE_WITHIN
    if not (with_progress or with_score):
        return []
    line = (
        f"Scores against the file: {as_progress} of {with_progress} objectives score as its "
        f"Progress % (within half a point), {as_score} of {with_score} as its Score (within "
        "0.05, a grade its owner gave)."
    )
    if differ:
        line += " The others: " + "; ".join(f"{n} {why}" for why, n in differ.items()) + "."
    return [line]
