"""Everything the insight rules read, loaded once in a fixed number of queries.

The rules (gaps, quality, conflicts, pace, evidence) then work on these lists and maps
in Python, so the cost of a page or an API call does not grow with the organisation.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.okrs.selectors import active_cycle, visible_objectives
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.selectors import subtree_ids
from lodestar.strategy.models import (
    CauseEffectLink,
    Measure,
    MeasureValue,
    Perspective,
    StrategicObjective,
)


@dataclass
class Snapshot:
    now: datetime
    cycle: Cycle | None  # the active cycle
    cycles: list[Cycle]  # every cycle, newest first
    objectives: dict[int, Objective]  # OKR objectives of every cycle
    visible: set[int]  # the OKR objectives the person may see
    scope: set[int] | None  # unit ids of the subtree asked for; None is the company
    contributions: dict[int, set[int]]  # OKR objective → strategic objectives
    holdings: dict[int, list[tuple[KeyResult, float]]]  # OKR objective → (key result, weight)
    key_results: dict[int, KeyResult]
    checkins: dict[int, list[CheckIn]]  # key result → check-ins, oldest first
    strategic: dict[int, StrategicObjective]
    perspectives: dict[int, Perspective]
    measures: dict[int, Measure]
    measures_of: dict[int, list[Measure]]  # strategic objective → its measures
    values: dict[int, list[MeasureValue]]  # measure → values, oldest period first
    links: list[CauseEffectLink]
    units: dict[int, Unit]
    person_units: dict[int, set[int]]  # person → the units they belong to
    holders: dict[int, list[int]]  # key result → OKR objectives holding it
    people: dict[int, Person]

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def in_cycle(self, cycle: Cycle | None) -> list[Objective]:
        if cycle is None:
            return []
        return [o for o in self.objectives.values() if o.cycle_id == cycle.pk]

    def objective_units(self, objective: Objective) -> set[int]:
        """A unit's objective belongs to the unit; a personal one to its owner's units."""
        if objective.unit_id:
            return {objective.unit_id}
        return self.person_units.get(objective.owner_id, set())

    def in_scope_objective(self, objective: Objective) -> bool:
        return self.scope is None or bool(self.objective_units(objective) & self.scope)

    def in_scope_unit(self, unit_id: int | None) -> bool:
        return self.scope is None or unit_id in self.scope

    def shown(self, objective: Objective) -> bool:
        return objective.pk in self.visible and self.in_scope_objective(objective)

    def shown_key_result(self, key_result: KeyResult) -> bool:
        """Seen through an objective that is shown (a key result has no scope of its own)."""
        return any(
            self.shown(self.objectives[o])
            for o in self.holders.get(key_result.pk, ())
            if o in self.objectives
        )


def load(person: Person, *, unit: Unit | None = None, now: datetime | None = None) -> Snapshot:
    """About fifteen queries, whatever the size of the organisation."""
    now = now or timezone.now()
    cycles = list(Cycle.objects.all())
    active = active_cycle(among=cycles)
    units = {u.pk: u for u in Unit.objects.all()}
    parents = {pk: u.parent_id for pk, u in units.items()}
    objectives = {o.pk: o for o in Objective.objects.select_related("owner", "unit", "cycle").all()}
    visible = set(visible_objectives(person).values_list("pk", flat=True))
    contributions: dict[int, set[int]] = defaultdict(set)
    for okr_id, so_id in Objective.contributes_to.through.objects.values_list(
        "objective_id", "strategicobjective_id"
    ):
        contributions[okr_id].add(so_id)
    holdings: dict[int, list[tuple[KeyResult, float]]] = defaultdict(list)
    key_results: dict[int, KeyResult] = {}
    holders: dict[int, list[int]] = defaultdict(list)
    for holding in ObjectiveKeyResult.objects.select_related(
        "key_result__owner", "key_result__cycle", "key_result__linked_measure"
    ):
        key_result = key_results.setdefault(holding.key_result_id, holding.key_result)
        holdings[holding.objective_id].append((key_result, holding.weight))
        holders[key_result.pk].append(holding.objective_id)
    checkins: dict[int, list[CheckIn]] = defaultdict(list)
    # Forecasts need the history of the active cycle only; closed cycles keep their scores.
    for checkin in CheckIn.objects.filter(key_result__cycle__state=Cycle.State.ACTIVE).order_by(
        "key_result", "created_at"
    ):
        checkins[checkin.key_result_id].append(checkin)
    strategic = {
        o.pk: o for o in StrategicObjective.objects.select_related("perspective", "scorecard__unit")
    }
    measures = {m.pk: m for m in Measure.objects.all()}
    measures_of: dict[int, list[Measure]] = defaultdict(list)
    for measure in measures.values():
        measures_of[measure.objective_id].append(measure)
    values: dict[int, list[MeasureValue]] = defaultdict(list)
    for value in MeasureValue.objects.order_by("measure", "period"):
        values[value.measure_id].append(value)
    person_units: dict[int, set[int]] = defaultdict(set)
    for person_id, unit_id in Membership.objects.values_list("person_id", "unit_id"):
        person_units[person_id].add(unit_id)
    return Snapshot(
        now=now,
        cycle=active,
        cycles=cycles,
        objectives=objectives,
        visible=visible,
        scope=subtree_ids({unit.pk}, parents) if unit is not None else None,
        contributions=contributions,
        holdings=holdings,
        holders=holders,
        key_results=key_results,
        checkins=checkins,
        strategic=strategic,
        perspectives={p.pk: p for p in Perspective.objects.select_related("scorecard")},
        measures=measures,
        measures_of=measures_of,
        values=values,
        links=list(CauseEffectLink.objects.all()),
        units=units,
        person_units=person_units,
        people={p.pk: p for p in Person.objects.filter(is_active=True)},
    )
