"""Conflicts and load: key results pulling one measure in opposite directions, key
results working against their measure's direction, overloaded owners, units without
OKRs. All on the active cycle; rules in docs/insights.md."""

from dataclasses import dataclass

from django.conf import settings

from lodestar import scoring, tree
from lodestar.insights.snapshot import Snapshot
from lodestar.okrs.models import KeyResult
from lodestar.org.models import Person, Unit
from lodestar.strategy.models import Measure


@dataclass(frozen=True)
class OppositePull:
    measure: Measure
    raising: list[KeyResult]
    lowering: list[KeyResult]


def push(key_result: KeyResult) -> int:
    """+1 when the key result moves its figure up, −1 down, 0 when it only guards a level
    (stay-above/below) or is a milestone: only a kind whose baseline matters pushes."""
    if not scoring.kind_rule(key_result.kind).baseline_matters:
        return 0
    return 1 if key_result.target > key_result.baseline else -1


def active_key_results(snapshot: Snapshot) -> list[KeyResult]:
    if snapshot.cycle is None:
        return []
    return [kr for kr in snapshot.key_results.values() if kr.cycle_id == snapshot.cycle.pk]


def opposite_pulls(snapshot: Snapshot) -> list[OppositePull]:
    """A measure pulled both ways by key results of public objectives (a shared figure)."""
    by_measure: dict[int, list[KeyResult]] = {}
    for key_result in active_key_results(snapshot):
        if (
            key_result.linked_measure_id
            and snapshot.held_publicly(key_result)
            and snapshot.shown_key_result(key_result)
        ):
            by_measure.setdefault(key_result.linked_measure_id, []).append(key_result)
    found = []
    for measure_id, key_results in sorted(by_measure.items()):
        raising = [kr for kr in key_results if push(kr) > 0]
        lowering = [kr for kr in key_results if push(kr) < 0]
        if raising and lowering:
            found.append(OppositePull(snapshot.measures[measure_id], raising, lowering))
    return found


def against_measure(snapshot: Snapshot) -> list[tuple[KeyResult, Measure]]:
    """Key results that push their linked measure the wrong way: down on a higher-is-better
    measure, up on a lower-is-better one (a range measure has no wrong way)."""
    wrong = {Measure.Direction.HIGHER: -1, Measure.Direction.LOWER: 1}
    found = []
    for key_result in active_key_results(snapshot):
        measure = snapshot.measures.get(key_result.linked_measure_id)
        if measure is None or not snapshot.shown_key_result(key_result):
            continue
        if push(key_result) != 0 and push(key_result) == wrong.get(measure.direction):
            found.append((key_result, measure))
    return found


def overloaded_owners(snapshot: Snapshot) -> list[tuple[Person, int]]:
    """People owning more active key results of public objectives than
    KEY_RESULTS_PER_OWNER_LIMIT."""
    limit = settings.KEY_RESULTS_PER_OWNER_LIMIT
    counts: dict[int, int] = {}
    for key_result in active_key_results(snapshot):
        if snapshot.held_publicly(key_result):
            counts[key_result.owner_id] = counts.get(key_result.owner_id, 0) + 1
    over = [
        (person_id, count)
        for person_id, count in sorted(counts.items())
        if count > limit
        and person_id in snapshot.active_people
        and (snapshot.scope is None or snapshot.person_units.get(person_id, set()) & snapshot.scope)
    ]
    return [(snapshot.person(person_id), count) for person_id, count in over]


def units_without_okrs(snapshot: Snapshot) -> list[Unit]:
    """Units with no public objective of the active cycle in them or in any unit below."""
    if snapshot.cycle is None:
        return []
    having: set[int] = set()
    for objective in snapshot.public_in_cycle(snapshot.cycle):
        having |= snapshot.objective_units(objective)
    parent_of = tree.parent_within(snapshot.units, lambda unit: unit.parent_id)
    covered: set[int] = set()
    for unit_id in having:  # a unit with OKRs covers every unit above it
        covered |= {unit_id, *tree.ancestors(unit_id, parent_of)}
    return [
        unit
        for unit in sorted(snapshot.units.values(), key=lambda u: u.name)
        if unit.pk not in covered and snapshot.in_scope_unit(unit.pk)
    ]
