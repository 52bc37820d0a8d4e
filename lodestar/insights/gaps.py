"""Alignment gaps: OKR objectives with no path to the strategy, strategic objectives
nobody serves, and the balance of OKR effort across perspectives (rules in
docs/insights.md)."""

from dataclasses import dataclass

from lodestar import tree
from lodestar.insights.snapshot import Snapshot
from lodestar.okrs.models import Cycle, Objective
from lodestar.strategy.models import StrategicObjective


def serves_strategy(snapshot: Snapshot, objective: Objective) -> bool:
    """True when the objective, or an OKR objective above it, contributes to a strategic
    objective."""
    parent_of = tree.parent_within(snapshot.objectives, lambda o: o.parent_id)
    above = tree.ancestors(objective.pk, parent_of) if objective.pk in snapshot.objectives else []
    return any(snapshot.contributions.get(pk) for pk in (objective.pk, *above))


def orphan_objectives(snapshot: Snapshot) -> list[Objective]:
    """Active-cycle OKR objectives with no path to any strategic objective."""
    return [
        o
        for o in snapshot.in_cycle(snapshot.cycle)
        if snapshot.shown(o) and not serves_strategy(snapshot, o)
    ]


def served_ids(snapshot: Snapshot, cycle: Cycle | None) -> set[int]:
    """Strategic objectives a public OKR of the cycle contributes to, directly or by
    serving a cascaded child objective below them."""
    if cycle is None:
        return set()
    direct = {so_id for _, so_id, _, _ in snapshot.public_contributions.get(cycle.pk, ())}
    parent_of = tree.parent_within(snapshot.strategic, lambda so: so.parent_id)
    served: set[int] = set()
    for so_id in direct & snapshot.strategic.keys():
        served |= {so_id, *tree.ancestors(so_id, parent_of)}
    return served


def unserved_objectives(snapshot: Snapshot) -> list[StrategicObjective]:
    """Strategic objectives that no OKR of the active cycle serves (none without a cycle)."""
    if snapshot.cycle is None:
        return []
    served = served_ids(snapshot, snapshot.cycle)
    return [
        so
        for so in snapshot.strategic.values()
        if so.pk not in served and snapshot.in_scope_unit(so.scorecard.unit_id)
    ]


@dataclass(frozen=True)
class PerspectiveEffort:
    perspective_id: int
    name: str
    scorecard: str
    objectives: int  # active OKR objectives serving it
    weight: float  # their summed weights
    share: float  # of all the scorecard's OKR effort, by count
    verdict: str  # "starved" | "over-served" | "balanced" | "too few OKRs to judge"


# A perspective is starved below half its fair share of OKRs, over-served above double
# it; below MIN_OKRS_TO_JUDGE contributions a share says nothing and is not judged.
STARVED_BELOW = 0.5
OVER_SERVED_ABOVE = 2.0
MIN_OKRS_TO_JUDGE = 4


def perspective_balance(snapshot: Snapshot) -> list[PerspectiveEffort]:
    """Public OKR effort per perspective of each scorecard in scope, by count and weight."""
    counts: dict[int, set[int]] = {p: set() for p in snapshot.perspectives}
    weights: dict[int, float] = {}
    cycle_id = snapshot.cycle.pk if snapshot.cycle else None
    for okr_id, so_id, _, weight in snapshot.public_contributions.get(cycle_id, ()):
        counts[snapshot.strategic[so_id].perspective_id].add(okr_id)
        weights[okr_id] = weight
    totals: dict[int, int] = {}
    for perspective_id, okrs in counts.items():
        scorecard_id = snapshot.perspectives[perspective_id].scorecard_id
        totals[scorecard_id] = totals.get(scorecard_id, 0) + len(okrs)
    bands: dict[int, int] = {}
    for perspective in snapshot.perspectives.values():
        bands[perspective.scorecard_id] = bands.get(perspective.scorecard_id, 0) + 1
    found = []
    for perspective in sorted(
        snapshot.perspectives.values(), key=lambda p: (p.scorecard_id, p.position)
    ):
        if not snapshot.in_scope_unit(perspective.scorecard.unit_id):
            continue
        okrs = counts[perspective.pk]
        total = totals[perspective.scorecard_id]
        share = len(okrs) / total if total else 0.0
        fair = 1 / bands[perspective.scorecard_id]
        if total < MIN_OKRS_TO_JUDGE:
            verdict = "too few OKRs to judge"
        elif share < fair * STARVED_BELOW:
            verdict = "starved"
        elif share > fair * OVER_SERVED_ABOVE:
            verdict = "over-served"
        else:
            verdict = "balanced"
        found.append(
            PerspectiveEffort(
                perspective_id=perspective.pk,
                name=perspective.name,
                scorecard=perspective.scorecard.name,
                objectives=len(okrs),
                weight=sum(weights[o] for o in okrs),
                share=round(share, 3),
                verdict=verdict,
            )
        )
    return found
