"""OKR quality checks on the objectives of the active cycle and of cycles in planning
(where fixing a badly written OKR still helps). Rules in docs/insights.md."""

from dataclasses import dataclass

from lodestar import scoring
from lodestar.insights.quality_model import classify
from lodestar.insights.quality_rules import Classification
from lodestar.insights.snapshot import Snapshot
from lodestar.okrs.models import Cycle, KeyResult, Objective

MIN_KEY_RESULTS = 2
MAX_KEY_RESULTS = 5


LABELS = {
    "too_few_key_results": "Too few key results",
    "too_many_key_results": "Too many key results",
    "objective_without_owner": "Owned by nobody",
    "key_result_incomplete": "Incomplete key result",
    "activity_key_result": "Activity, not outcome",
}


@dataclass(frozen=True)
class QualityIssue:
    kind: str
    objective: Objective
    key_result: KeyResult | None
    reason: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def checked_objectives(snapshot: Snapshot) -> list[Objective]:
    open_states = {Cycle.State.ACTIVE, Cycle.State.PLANNING}
    return [
        o
        for o in snapshot.objectives.values()
        if o.cycle.state in open_states and snapshot.shown(o)
    ]


def owned_by_nobody(snapshot: Snapshot, person_id: int | None) -> bool:
    """No owner, or one who has left (deactivated people own nothing in practice)."""
    return person_id is None or person_id not in snapshot.active_people


def key_result_gaps(snapshot: Snapshot, key_result: KeyResult) -> str | None:
    """What a key result lacks among owner, baseline and target, or None.

    The model always stores a baseline and a target, so "missing" means left at the
    form's blank defaults: a metric from 0 to 1 with no unit."""
    lacking = []
    if owned_by_nobody(snapshot, key_result.owner_id):
        lacking.append("an owner")
    untouched = (key_result.baseline, key_result.target, key_result.unit_label) == (0, 1, "")
    if untouched and scoring.kind_rule(key_result.kind).baseline_matters:
        lacking.append("a real baseline and target (still 0 → 1 with no unit)")
    return " and ".join(lacking) if lacking else None


def quality_issues(snapshot: Snapshot) -> list[QualityIssue]:
    found: list[QualityIssue] = []
    seen_key_results: set[int] = set()
    for objective in sorted(checked_objectives(snapshot), key=lambda o: o.title):
        held = [kr for kr, _ in snapshot.holdings.get(objective.pk, ())]
        count = len(held)
        if count < MIN_KEY_RESULTS:
            found.append(
                QualityIssue(
                    "too_few_key_results",
                    objective,
                    None,
                    f"{count} key result{'s' if count != 1 else ''}; "
                    f"{MIN_KEY_RESULTS} to {MAX_KEY_RESULTS} say what success means.",
                )
            )
        elif count > MAX_KEY_RESULTS:
            found.append(
                QualityIssue(
                    "too_many_key_results",
                    objective,
                    None,
                    f"{count} key results; more than {MAX_KEY_RESULTS} dilute the focus.",
                )
            )
        if owned_by_nobody(snapshot, objective.owner_id):
            found.append(
                QualityIssue("objective_without_owner", objective, None, "Nobody owns it.")
            )
        for key_result in held:
            if key_result.pk in seen_key_results:
                continue  # a shared key result is judged once
            seen_key_results.add(key_result.pk)
            lacking = key_result_gaps(snapshot, key_result)
            if lacking:
                found.append(
                    QualityIssue(
                        "key_result_incomplete", objective, key_result, f"Lacks {lacking}."
                    )
                )
            style = style_of(key_result)
            if not style.is_outcome:  # output or activity: work, not what it changes
                found.append(
                    QualityIssue("activity_key_result", objective, key_result, style.reason)
                )
    return found


def style_of(key_result: KeyResult) -> Classification:
    """Outcome, output or activity, by what the title states (its kind does not decide):
    a strong rule, else the model trained on the labelled set (docs/insights.md)."""
    return classify(key_result.title, unit=key_result.unit_label)
