"""Strategy-execution gap: does OKR work show up in the strategy's measures?

For a cycle, each strategic objective gets two figures:
- execution: the weight-averaged score of the OKR objectives of that cycle that
  contribute to it (a closed cycle uses the final grade where one was given);
- movement: how far its measures moved on the way from baseline to target over the
  cycle, the mean over its measures of (way at the latest value in the cycle − way at
  the last value before the cycle), where "way" is 0 at the baseline and 1 at the target.

Execution without impact: the contributing OKRs score well (on pace in the active cycle,
green when closed) while the measures moved less than MOVES_AT_LEAST.
Impact without execution: the measures moved at least MOVES_AT_LEAST while no OKR of the
cycle served the objective (directly or through a cascaded child objective).
"""

from dataclasses import dataclass
from datetime import date

from lodestar import scoring
from lodestar.insights.analysis import way_to_target
from lodestar.insights.gaps import served_ids
from lodestar.insights.snapshot import Snapshot
from lodestar.okrs.models import Cycle
from lodestar.scores.parameters import pace_rules
from lodestar.scores.words import okr_colour_of
from lodestar.strategy.models import Measure, StrategicObjective

MOVES_AT_LEAST = 0.05  # a twentieth of the way from baseline to target

EXECUTION_WITHOUT_IMPACT = "execution_without_impact"
IMPACT_WITHOUT_EXECUTION = "impact_without_execution"


@dataclass(frozen=True)
class ExecutionGap:
    kind: str
    cycle: Cycle
    objective: StrategicObjective
    execution: float | None
    movement: float


def measure_movement(snapshot: Snapshot, measure: Measure, start: date, end: date) -> float | None:
    """None for a range measure or when a value is missing before or inside the window."""
    values = snapshot.values.get(measure.pk, [])
    before = [v for v in values if v.period < start]
    inside = [v for v in values if start <= v.period <= end]
    if not before or not inside:
        return None
    then = way_to_target(before[-1].actual, measure.baseline, measure.target)
    now = way_to_target(inside[-1].actual, measure.baseline, measure.target)
    if then is None or now is None or measure.direction == Measure.Direction.RANGE:
        return None
    return now - then


def objective_movement(
    snapshot: Snapshot, objective: StrategicObjective, start: date, end: date
) -> float | None:
    moves = [
        move
        for m in snapshot.measures_of.get(objective.pk, ())
        if (move := measure_movement(snapshot, m, start, end)) is not None
    ]
    return sum(moves) / len(moves) if moves else None


def cycle_execution(snapshot: Snapshot, cycle: Cycle) -> dict[int, float]:
    """Strategic objective → weight-averaged score of the cycle's public OKRs contributing
    to it."""
    pairs: dict[int, list[tuple[float, float]]] = {}
    for _, so_id, score, weight in snapshot.public_contributions.get(cycle.pk, ()):
        if score is not None:
            pairs.setdefault(so_id, []).append((score, weight))
    found = {}
    for so_id, rows in pairs.items():
        execution = scoring.weighted_average(rows)
        if execution is not None:
            found[so_id] = execution
    return found


def executes_well(cycle: Cycle, execution: float, today: date) -> bool:
    """Green once the cycle closed; during it, on pace by the rule key results follow."""
    if cycle.state == Cycle.State.CLOSED:
        return okr_colour_of(execution) == "green"
    expected = scoring.expected_progress(cycle.start, cycle.end, today)
    return scoring.on_pace(execution, expected, pace_rules())


def execution_gaps(snapshot: Snapshot, cycle: Cycle) -> list[ExecutionGap]:
    if cycle.state == Cycle.State.PLANNING:
        return []
    end = min(cycle.end, snapshot.today)
    executions = cycle_execution(snapshot, cycle)
    served = served_ids(snapshot, cycle)
    found = []
    for objective in snapshot.strategic.values():
        if not snapshot.in_scope_unit(objective.scorecard.unit_id):
            continue
        movement = objective_movement(snapshot, objective, cycle.start, end)
        if movement is None:
            continue
        execution = executions.get(objective.pk)
        if (
            execution is not None
            and executes_well(cycle, execution, snapshot.today)
            and movement < MOVES_AT_LEAST
        ):
            found.append(
                ExecutionGap(EXECUTION_WITHOUT_IMPACT, cycle, objective, execution, movement)
            )
        elif objective.pk not in served and movement >= MOVES_AT_LEAST:
            found.append(ExecutionGap(IMPACT_WITHOUT_EXECUTION, cycle, objective, None, movement))
    return found


def gaps_over_cycles(snapshot: Snapshot) -> list[ExecutionGap]:
    """The active cycle first, then the closed cycles, newest first."""
    return [
        gap
        for cycle in snapshot.cycles
        if cycle.state != Cycle.State.PLANNING
        for gap in execution_gaps(snapshot, cycle)
    ]
