"""The turn of a quarter: the cycle proposed after one, and carrying unfinished work into it.

A carried copy is a new objective or key result in the target cycle linked to its
original by `carried_from`. The original stays in the closed cycle untouched, with its
check-ins, grade and retrospective: the history belongs to the quarter it happened in.
A carried key result keeps the original's baseline and target and starts at the
original's current value (where the work stood at close), so its progress continues
rather than restarting at zero; the roll-up scores it from there.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.dispatch import Signal

from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.okrs.services import hold, key_result_create, objective_create
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed
from lodestar.org.permissions import Action, require

QUARTER_NAME = re.compile(r"^Q([1-4])\s+(\d{4})$")

# What a close tells the layers above, inside the close's own transaction: the quarterly
# review keeps its figures as they stand (`reports` listens), and follows the grades given
# after. `cycle_closed` sends cycle, closed_on and acting; `closed_cycle_graded` the cycle.
cycle_closed = Signal()
closed_cycle_graded = Signal()


@dataclass(frozen=True)
class CycleProposal:
    name: str
    start: date
    end: date


def quarter_of(day: date) -> tuple[int, int]:
    return (day.month - 1) // 3 + 1, day.year


def quarter_proposal(quarter: int, year: int) -> CycleProposal:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return CycleProposal(
        f"Q{quarter} {year}",
        date(year, first_month, 1),
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def next_cycle_proposal(today: date | None = None) -> CycleProposal:
    """The quarter after the latest cycle ("Q1 2027" after "Q4 2026"): named after the
    latest one when it is named like a quarter, else after the day following its end;
    without any cycle, the current quarter."""
    latest = Cycle.objects.order_by("-end").first()
    if latest is None:
        return quarter_proposal(*quarter_of(today or date.today()))
    named = QUARTER_NAME.match(latest.name.strip())
    if named:
        quarter, year = int(named[1]), int(named[2])
    else:
        quarter, year = quarter_of(latest.end)
    quarter, year = (1, year + 1) if quarter == 4 else (quarter + 1, year)
    proposal = quarter_proposal(quarter, year)
    if proposal.start <= latest.end:  # a cycle named Q3 that ran into October
        start = latest.end + timedelta(days=1)
        proposal = CycleProposal(proposal.name, start, max(proposal.end, start + timedelta(1)))
    return proposal


def finished(key_result: KeyResult) -> bool:
    return key_result.score is not None and key_result.score >= 1.0


@service
def cycle_carry_over(
    *,
    acting: Actor,
    source: Cycle,
    target: Cycle,
    objectives: list[Objective] = (),
    key_results: list[KeyResult] = (),
) -> list[Objective]:
    """Carry the chosen objectives (with their unfinished key results) and the chosen key
    results (into the carried copy of an objective holding them, carried too if needed)
    from `source` into `target`. Returns the copies of the objectives."""
    require(acting, Action.VIEW, source)
    if target.pk == source.pk:
        raise ValidationError({"target": ["Carry work into another cycle."]})
    if target.state == Cycle.State.CLOSED:
        raise ValidationError({"target": [f"The cycle {target} is closed."]})
    if target.start < source.start:
        raise ValidationError({"target": [f"{target} comes before {source}."]})
    chosen_key_results: dict[int, list[KeyResult]] = {}
    for objective in objectives:
        if objective.cycle_id != source.pk:
            raise ValidationError({"objectives": [f"“{objective}” is not in {source}."]})
        unfinished = [kr for kr in objective.key_results.all() if not finished(kr)]
        chosen_key_results.setdefault(objective.pk, []).extend(unfinished)
    for key_result in key_results:
        if key_result.cycle_id != source.pk:
            raise ValidationError({"key_results": [f"“{key_result}” is not in {source}."]})
        home = key_result.holdings.order_by("pk").first()
        if home is None:
            raise ValidationError({"key_results": [f"“{key_result}” sits in no objective."]})
        chosen_key_results.setdefault(home.objective_id, []).append(key_result)
    copies = []
    for objective in Objective.objects.filter(pk__in=chosen_key_results).order_by("pk"):
        copy = carried_objective(acting, objective, target)
        copies.append(copy)
        for key_result in dict.fromkeys(chosen_key_results[objective.pk]):
            carry_key_result(acting, key_result, copy)
    # A copy made before gains key results here without a service of its own.
    changed(objectives=[copy.pk for copy in copies], cycle=target.pk)
    return copies


# What a carried copy takes over from its original, besides where it goes.
OBJECTIVE_TAKES = ("title", "unit", "owner", "description", "kind", "visibility", "weight")
KEY_RESULT_TAKES = (
    "title",
    "owner",
    "current",
    "kind",
    "baseline",
    "target",
    "unit_label",
    "linked_measure",
)


def fields_of(original, names: tuple[str, ...]) -> dict:
    return {name: getattr(original, name) for name in names}


def carried(original, copy):
    """The copy continues the original (kept so that carrying twice adds to the same)."""
    copy.carried_from = original
    copy.save(update_fields=["carried_from"])
    return copy


def carried_objective(acting: Actor, original: Objective, target: Cycle) -> Objective:
    """The copy of `original` in `target`, made once: carrying twice adds to the same."""
    existing = target.okr_objectives.filter(carried_from=original).first()
    if existing is not None:
        require(acting, Action.ADD, existing)  # carrying more into it adds key results
        return existing
    return carried(
        original,
        objective_create(
            acting=acting,
            cycle=target,
            contributes_to=list(original.contributes_to.all()),
            **fields_of(original, OBJECTIVE_TAKES),
        ),
    )


def carry_key_result(acting: Actor, original: KeyResult, into: Objective) -> KeyResult:
    existing = KeyResult.objects.filter(cycle=into.cycle, carried_from=original).first()
    if existing is not None:
        if not existing.holdings.filter(objective=into).exists():
            hold(into, existing, 1.0)
        return existing
    weight = original.holdings.order_by("pk").values_list("weight", flat=True).first()
    return carried(
        original,
        key_result_create(
            acting=acting,
            objective=into,
            weight=1.0 if weight is None else weight,
            **fields_of(original, KEY_RESULT_TAKES),
        ),
    )
