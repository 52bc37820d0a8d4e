"""Everything the insight rules read, loaded once in a fixed number of queries.

Only what the rules speak of is read: the objectives of the open cycles (active and in
planning) the person may see, their key results, and of every cycle only the public
objectives' contributions (grade, score, weight) that the strategy-execution gap needs.
Shared figures (load per owner, units without OKRs, perspective balance, what is served,
execution) count PUBLIC objectives only, so that private data changes nothing an
outsider is told; a reader who may see a private objective gets, in addition, the alerts
about that objective itself.

The rules (gaps, quality, conflicts, pace, evidence) then work on these lists and maps
in Python, so the number of queries of a page or an API call does not grow with the
organisation.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.db.models import Q
from django.utils import timezone

from lodestar.okrs.models import Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.okrs.selectors import active_cycle, visible_objectives
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.reader import OPEN_STATES
from lodestar.org.selectors import subtree_ids
from lodestar.strategy.models import (
    CauseEffectLink,
    Measure,
    MeasureValue,
    Perspective,
    StrategicObjective,
)


class ValueRow(NamedTuple):
    """A measure value as the rules read it."""

    period: date
    actual: float


@dataclass
class Snapshot:
    now: datetime
    cycle: Cycle | None  # the active cycle
    cycles: list[Cycle]  # every cycle, newest first
    objectives: dict[int, Objective]  # of the open cycles, those the person may see
    public: set[int]  # those of them that are public
    scope: set[int] | None  # unit ids of the subtree asked for; None is the company
    contributions: dict[int, set[int]]  # OKR objective (of `objectives`) → strategic ones
    # cycle → (OKR objective, strategic objective, final grade or score, weight) of every
    # public OKR objective of the cycle that contributes to the strategy
    public_contributions: dict[int, list[tuple[int, int, float | None, float]]]
    holdings: dict[int, list[tuple[KeyResult, float]]]  # OKR objective → (key result, weight)
    key_results: dict[int, KeyResult]
    strategic: dict[int, StrategicObjective]
    perspectives: dict[int, Perspective]
    measures: dict[int, Measure]
    measures_of: dict[int, list[Measure]]  # strategic objective → its measures
    values: dict[int, list[ValueRow]]  # measure → values, oldest period first
    links: list[CauseEffectLink]
    units: dict[int, Unit]
    person_units: dict[int, set[int]]  # person → the units they belong to
    holders: dict[int, list[int]]  # key result → OKR objectives holding it
    # the people who have not left: id → (first name, last name, username)
    active_people: dict[int, tuple[str, str, str]]
    # what the rules derive from the snapshot and several of them read (the paces),
    # computed once a snapshot
    derived: dict[str, object] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def in_cycle(self, cycle: Cycle | None) -> list[Objective]:
        """The shown-or-not objectives of an open cycle the person may see."""
        if cycle is None:
            return []
        return [o for o in self.objectives.values() if o.cycle_id == cycle.pk]

    def public_in_cycle(self, cycle: Cycle | None) -> list[Objective]:
        """What shared figures count: the public objectives of an open cycle."""
        return [o for o in self.in_cycle(cycle) if o.pk in self.public]

    def held_publicly(self, key_result: KeyResult) -> bool:
        return any(o in self.public for o in self.holders.get(key_result.pk, ()))

    def objective_units(self, objective: Objective) -> set[int]:
        """A unit's objective belongs to the unit; a personal one to its owner's units."""
        if objective.unit_id:
            return {objective.unit_id}
        return self.person_units.get(objective.owner_id, set())

    def person(self, person_id: int) -> Person:
        """An active person, from the names loaded (enough to show and link them)."""
        first_name, last_name, username = self.active_people[person_id]
        return Person(pk=person_id, first_name=first_name, last_name=last_name, username=username)

    def in_scope_objective(self, objective: Objective) -> bool:
        return self.scope is None or bool(self.objective_units(objective) & self.scope)

    def in_scope_unit(self, unit_id: int | None) -> bool:
        return self.scope is None or unit_id in self.scope

    def shown(self, objective: Objective) -> bool:
        return objective.pk in self.objectives and self.in_scope_objective(objective)

    def shown_key_result(self, key_result: KeyResult) -> bool:
        """Seen through an objective that is shown (a key result has no scope of its own)."""
        return any(
            self.shown(self.objectives[o])
            for o in self.holders.get(key_result.pk, ())
            if o in self.objectives
        )


def load(
    person: Person,
    *,
    unit: Unit | None = None,
    now: datetime | None = None,
) -> Snapshot:
    """About fifteen queries, whatever the size of the organisation (forecasts are kept
    on the key results, so no check-in is read)."""
    now = now or timezone.now()
    cycles = list(Cycle.objects.all())
    active = active_cycle(among=cycles)
    open_ids = [c.pk for c in cycles if c.state in OPEN_STATES]
    units = {u.pk: u for u in Unit.objects.all()}
    parents = {pk: u.parent_id for pk, u in units.items()}
    scope = subtree_ids({unit.pk}, parents) if unit is not None else None
    shown = visible_objectives(person).filter(cycle__in=open_ids)
    objectives = {o.pk: o for o in shown.select_related("owner", "unit", "cycle")}
    public = {pk for pk, o in objectives.items() if o.visibility == Objective.Visibility.PUBLIC}
    contributions: dict[int, set[int]] = defaultdict(set)
    public_contributions: dict[int, list[tuple[int, int, float | None, float]]] = defaultdict(list)
    # A draft scorecard (and all in it) is no one's concern yet: the rules never read it,
    # so no alert, kept for many readers, names it (strategy.models.Scorecard.published_at).
    published = Q(scorecard__published_at__isnull=False)
    rows = Objective.contributes_to.through.objects.filter(
        Q(objective__visibility=Objective.Visibility.PUBLIC) | Q(objective__cycle__in=open_ids),
        strategicobjective__scorecard__published_at__isnull=False,
    ).values_list(
        "objective_id",
        "strategicobjective_id",
        "objective__cycle_id",
        "objective__visibility",
        "objective__final_grade",
        "objective__score",
        "objective__weight",
    )
    for okr_id, so_id, cycle_id, visibility, grade, score, weight in rows:
        if okr_id in objectives:
            contributions[okr_id].add(so_id)
        if visibility == Objective.Visibility.PUBLIC:
            graded = grade if grade is not None else score
            public_contributions[cycle_id].append((okr_id, so_id, graded, weight))
    holdings: dict[int, list[tuple[KeyResult, float]]] = defaultdict(list)
    holders: dict[int, list[int]] = defaultdict(list)
    # The holdings as plain rows and each key result once, as a model (the rules read its
    # figures and its kept forecast): a key result held by several shown objectives is
    # read once, and no model is built per holding.
    held = ObjectiveKeyResult.objects.filter(objective__in=shown)
    key_results = {
        kr.pk: kr for kr in KeyResult.objects.filter(pk__in=held.values("key_result_id"))
    }
    for objective_id, key_result_id, weight in held.order_by("pk").values_list(
        "objective_id", "key_result_id", "weight"
    ):
        holdings[objective_id].append((key_results[key_result_id], weight))
        holders[key_result_id].append(objective_id)
    strategic = {
        o.pk: o
        for o in StrategicObjective.objects.filter(published).select_related(
            "perspective", "scorecard__unit"
        )
    }
    measures = {
        m.pk: m for m in Measure.objects.filter(objective__scorecard__published_at__isnull=False)
    }
    measures_of: dict[int, list[Measure]] = defaultdict(list)
    for measure in measures.values():
        measures_of[measure.objective_id].append(measure)
    # Plain rows, not models: the company's every value (72,000 at 2,000 measures × 36
    # months) is the largest thing a snapshot reads, and the rules read only these two;
    # a unit's snapshot reads only those of its part of the strategy (`values_read`).
    values: dict[int, list[ValueRow]] = defaultdict(list)
    for measure_id, period, actual in (
        values_read(strategic, scope)
        .order_by("measure", "period")
        .values_list("measure_id", "period", "actual")
    ):
        if measure_id in measures:
            values[measure_id].append(ValueRow(period, actual))
    person_units: dict[int, set[int]] = defaultdict(set)
    for person_id, unit_id in Membership.objects.values_list("person_id", "unit_id"):
        person_units[person_id].add(unit_id)
    return Snapshot(
        now=now,
        cycle=active,
        cycles=cycles,
        objectives=objectives,
        public=public,
        scope=scope,
        contributions=contributions,
        public_contributions=public_contributions,
        holdings=holdings,
        holders=holders,
        key_results=key_results,
        strategic=strategic,
        perspectives={
            p.pk: p for p in Perspective.objects.filter(published).select_related("scorecard")
        },
        measures=measures,
        measures_of=measures_of,
        values=values,
        links=list(CauseEffectLink.objects.filter(cause__scorecard__published_at__isnull=False)),
        units=units,
        person_units=person_units,
        active_people={
            pk: names
            for pk, *names in Person.objects.filter(is_active=True).values_list(
                "pk", "first_name", "last_name", "username"
            )
        },
    )


def values_read(strategic: dict[int, StrategicObjective], scope: set[int] | None):
    """The measure values the rules read: for a unit, those of the strategic objectives of
    its subtree's scorecards and of the objectives linked to them (the execution gaps are
    those of its own objectives; a link's evidence, shown when either end is in scope,
    reads both ends), not the company's every value filtered afterwards."""
    if scope is None:
        return MeasureValue.objects.all()
    near = {pk for pk, so in strategic.items() if so.scorecard.unit_id in scope}
    linked = CauseEffectLink.objects.filter(Q(cause__in=near) | Q(effect__in=near))
    for cause, effect in linked.values_list("cause_id", "effect_id"):
        near |= {cause, effect}
    return MeasureValue.objects.filter(measure__objective__in=near)
