"""What one person's objectives contributed to each perspective's execution, per cycle.

A perspective's execution is its strategic objectives' executions, weighted; each of
those is the weighted score of the cycle's public OKR objectives serving it
(docs/scoring.md). The person's part is the same sum with only their own objectives'
scores kept (`scoring.execution_part`), so everyone's parts add up to the execution and
the share is part / execution. Execution is a shared figure: public objectives only, for
every reader, so a private objective changes no one's contribution and no total.
The active cycle uses the objectives' scores (as the stored execution does); a closed one
their final grades, or the score where an objective was never graded."""

from collections import defaultdict
from dataclasses import dataclass

from lodestar import scoring
from lodestar.okrs.models import Cycle, Objective
from lodestar.org.models import Person
from lodestar.strategy.models import Perspective

Contribution = Objective.contributes_to.through


@dataclass
class PerspectiveContribution:
    cycle: Cycle
    perspective: str
    scorecard: str
    execution: float | None  # the perspective's, from every public objective serving it
    part: float | None  # the part of it the person's objectives make
    objectives: int  # the person's public objectives serving it in the cycle

    @property
    def share(self) -> float | None:
        if self.part is None or not self.execution:
            return None
        return self.part / self.execution


def graded_score(state: str, score: float | None, grade: float | None) -> float | None:
    """What an OKR objective adds to execution: its score while its cycle is open, its
    final grade once closed (the score where it was never graded)."""
    return grade if state == Cycle.State.CLOSED and grade is not None else score


def perspective_contributions(person: Person) -> list[PerspectiveContribution]:
    """Every (cycle, perspective) the person's public objectives serve, oldest cycle
    first, in three queries."""
    rows = Contribution.objects.filter(
        objective__visibility=Objective.Visibility.PUBLIC,
        objective__cycle__state__in=(Cycle.State.ACTIVE, Cycle.State.CLOSED),
    ).values_list(
        "objective_id",
        "objective__owner_id",
        "objective__cycle_id",
        "objective__cycle__state",
        "objective__score",
        "objective__final_grade",
        "objective__weight",
        "strategicobjective_id",
        "strategicobjective__weight",
        "strategicobjective__perspective_id",
    )
    # (cycle, perspective) → strategic objective → its weight and (score, weight, mine)
    served: dict[tuple[int, int], dict[int, tuple[float, list]]] = defaultdict(dict)
    mine: dict[tuple[int, int], set[int]] = defaultdict(set)
    for okr, owner, cycle, state, score, grade, weight, so, so_weight, perspective in rows:
        graded = graded_score(state, score, grade)
        _, okrs = served[(cycle, perspective)].setdefault(so, (so_weight, []))
        okrs.append((graded, weight, owner == person.pk))
        if owner == person.pk:
            mine[(cycle, perspective)].add(okr)
    if not mine:
        return []
    cycles = {c.pk: c for c in Cycle.objects.filter(pk__in={c for c, _ in mine})}
    perspectives = Perspective.objects.filter(pk__in={p for _, p in mine}).select_related(
        "scorecard"
    )
    named = {p.pk: p for p in perspectives}
    found = []
    for (cycle, perspective), objectives in served.items():
        if (cycle, perspective) not in mine:
            continue
        executions = [
            (scoring.objective_execution((s, w) for s, w, _ in okrs), weight)
            for weight, okrs in objectives.values()
        ]
        parts = [(scoring.execution_part(okrs), weight) for weight, okrs in objectives.values()]
        found.append(
            PerspectiveContribution(
                cycles[cycle],
                named[perspective].name,
                named[perspective].scorecard.name,
                scoring.perspective_score(executions),
                scoring.perspective_score(parts),
                len(mine[(cycle, perspective)]),
            )
        )
    return sorted(found, key=lambda c: (c.cycle.start, c.perspective))
