"""Writes to the OKRs. A check-in is one entry that updates both frameworks."""

import math
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from lodestar import scoring
from lodestar.notify import events
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.org.acting import Actor, service
from lodestar.org.services import refuse_ancestor_loop
from lodestar.scores import rollup
from lodestar.strategy.models import StrategicObjective
from lodestar.strategy.services import measure_actual_write
from lodestar.validation import apply_changes, scoring_errors, validated_save


def refuse_closed(cycle: Cycle, field: str = "cycle") -> None:
    if cycle.state == Cycle.State.CLOSED:
        raise ValidationError({field: ValidationError(f"The cycle {cycle} is closed.", "closed")})


def check_cycle_dates(cycle: Cycle) -> None:
    # The database constraint alone would name no field; the scoring rule names "end".
    with scoring_errors():
        scoring.expected_progress(cycle.start, cycle.end, cycle.start)


@service
def cycle_create(
    *, acting: Actor, name: str, start, end, state: str = Cycle.State.PLANNING
) -> Cycle:
    cycle = Cycle(name=name, start=start, end=end, state=state)
    check_cycle_dates(cycle)
    return validated_save(cycle)


@service
def cycle_update(*, acting: Actor, cycle: Cycle, **changes) -> Cycle:
    cycle = apply_changes(cycle, changes, check=check_cycle_dates)
    if {"start", "end"} & set(changes):
        forecasts_refresh(cycle.key_results.all(), cycle)  # read at another last day
    return cycle


FORECAST_FIELDS = [
    "forecast_points",
    "forecast_value",
    "forecast_standard_error",
    "forecast_low",
    "forecast_high",
    "forecast_slope",
]


def forecasts_refresh(key_results, cycle: Cycle) -> None:
    """Store each key result's trend to the cycle's last day (scoring.trend), from one
    query for all their check-ins. Called by every check-in and when the cycle moves."""
    key_results = list(key_results)
    points: dict[int, list[tuple[int, float]]] = {kr.pk: [] for kr in key_results}
    rows = CheckIn.objects.filter(key_result__in=list(points)).order_by("created_at")
    for key_result_id, created_at, value in rows.values_list(
        "key_result_id", "created_at", "value"
    ):
        points[key_result_id].append(((created_at.date() - cycle.start).days, value))
    for key_result in key_results:
        trend = scoring.linear_forecast(points[key_result.pk], at=(cycle.end - cycle.start).days)
        key_result.forecast_points = trend.n
        key_result.forecast_value = trend.value
        key_result.forecast_standard_error = trend.standard_error
        key_result.forecast_low = trend.low
        key_result.forecast_high = trend.high
        key_result.forecast_slope = trend.slope
    KeyResult.objects.bulk_update(key_results, FORECAST_FIELDS, batch_size=1000)


@service
def cycle_activate(*, acting: Actor, cycle: Cycle) -> Cycle:
    """Start a cycle; the one running before it closes, and execution scores move over."""
    refuse_closed(cycle)
    for running in Cycle.objects.filter(state=Cycle.State.ACTIVE).exclude(pk=cycle.pk):
        cycle_close(acting=acting, cycle=running)
    cycle.state = Cycle.State.ACTIVE
    validated_save(cycle)
    rollup.after_objectives_change(cycle.objectives.all())
    events.cycle_changed(cycle)
    return cycle


@service
def cycle_close(*, acting: Actor, cycle: Cycle) -> Cycle:
    """Close a cycle: each objective without a grade keeps its score as final grade."""
    was_active = cycle.state == Cycle.State.ACTIVE
    for objective in cycle.objectives.filter(final_grade__isnull=True, score__isnull=False):
        objective.final_grade = min(objective.score, 1.0)
        objective.save(update_fields=["final_grade"])
    cycle.state = Cycle.State.CLOSED
    validated_save(cycle)
    if was_active:
        rollup.after_objectives_change(cycle.objectives.all())
    events.cycle_changed(cycle)
    return cycle


def check_objective(objective: Objective) -> None:
    refuse_closed(objective.cycle)
    if objective.parent is not None:
        refuse_ancestor_loop(objective, objective.parent)


@service
def objective_create(
    *,
    acting: Actor,
    cycle: Cycle,
    title: str,
    unit=None,
    owner=None,
    parent: Objective | None = None,
    contributes_to: list[StrategicObjective] | None = None,
    **fields,
) -> Objective:
    objective = Objective(cycle=cycle, title=title, unit=unit, owner=owner, parent=parent, **fields)
    if unit is None and owner is None:
        raise ValidationError({"owner": ["An objective belongs to a unit or a person."]})
    check_objective(objective)
    validated_save(objective)
    if contributes_to:
        objective.contributes_to.set(contributes_to)
        rollup.after_objectives_change([objective])
    return objective


@service
def objective_update(
    *,
    acting: Actor,
    objective: Objective,
    contributes_to: list[StrategicObjective] | None = None,
    **changes,
) -> Objective:
    before = set(objective.contributes_to.values_list("pk", flat=True))
    apply_changes(objective, changes, check=check_objective)
    if contributes_to is not None:
        objective.contributes_to.set(contributes_to)
    # Weight, cycle or links changed: the strategic objectives before and after rescore.
    rollup.strategy_refresh(before | set(objective.contributes_to.values_list("pk", flat=True)))
    return objective


@service
def objective_grade(
    *, acting: Actor, objective: Objective, final_grade: float | None, retrospective: str
) -> Objective:
    """Grade an objective and write its retrospective: the cycle review. Allowed while the
    cycle runs and after it closes (that is what a closed cycle is for), not in planning,
    when there is nothing to grade yet. Only these two fields are written."""
    if objective.cycle.state == Cycle.State.PLANNING:
        raise ValidationError(
            {
                "final_grade": ValidationError(
                    f"The cycle {objective.cycle} is still in planning: nothing to grade yet.",
                    "planning",
                )
            }
        )
    if final_grade is not None and not (
        isinstance(final_grade, int | float) and math.isfinite(final_grade)
    ):
        raise ValidationError({"final_grade": ["Must be a finite number."]})
    if final_grade is not None and not 0 <= final_grade <= 1:
        raise ValidationError({"final_grade": ["A grade lies between 0 and 1."]})
    objective.final_grade = None if final_grade is None else float(final_grade)
    objective.retrospective = retrospective
    return validated_save(objective, update_fields=["final_grade", "retrospective"])


def check_key_result(key_result: KeyResult) -> None:
    with scoring_errors():
        scoring.key_result_progress(
            key_result.kind,
            baseline=key_result.baseline,
            target=key_result.target,
            current=key_result.current,
        )


@service
def key_result_create(
    *,
    acting: Actor,
    objective: Objective,
    title: str,
    owner,
    weight: float = 1.0,
    current: float | None = None,
    **fields,
) -> KeyResult:
    refuse_closed(objective.cycle, "objective")
    key_result = KeyResult(cycle=objective.cycle, title=title, owner=owner, **fields)
    key_result.current = key_result.baseline if current is None else current
    check_key_result(key_result)
    validated_save(key_result)
    key_result_hold(acting=acting, objective=objective, key_result=key_result, weight=weight)
    return key_result


@service
def key_result_hold(
    *, acting: Actor, objective: Objective, key_result: KeyResult, weight: float = 1.0
) -> ObjectiveKeyResult:
    """Add a key result to an objective: the first holder, or a shared key result."""
    if objective.cycle_id != key_result.cycle_id:
        raise ValidationError({"objective": ["A key result is shared within one cycle."]})
    if ObjectiveKeyResult.objects.filter(objective=objective, key_result=key_result).exists():
        raise ValidationError({"objective": ["The objective already holds this key result."]})
    holding = validated_save(
        ObjectiveKeyResult(objective=objective, key_result=key_result, weight=weight)
    )
    rollup.after_key_result_change(key_result)
    return holding


@service
def key_result_update(*, acting: Actor, key_result: KeyResult, **changes) -> KeyResult:
    refuse_closed(key_result.cycle)
    apply_changes(key_result, changes, check=check_key_result)
    rollup.after_key_result_change(key_result)
    return key_result


@service
def checkin_create(
    *,
    acting: Actor,
    key_result: KeyResult,
    value: float,
    confidence: int,
    note: str = "",
    author=None,
    at: datetime | None = None,
) -> CheckIn:
    """Append a check-in, move the key result, write its linked measure's actual for the
    period (keeping the period's planned target), and refresh every score above both."""
    key_result = KeyResult.objects.select_for_update().select_related("cycle").get(pk=key_result.pk)
    refuse_closed(key_result.cycle, "key_result")
    with scoring_errors():
        scoring.confidence_level(confidence)
    at = at or timezone.now()
    status_before = events.key_result_status(key_result)
    checkin = validated_save(
        CheckIn(
            key_result=key_result,
            value=value,
            confidence=confidence,
            note=note,
            author=author,
            created_at=at,
        )
    )
    key_result.current = value
    key_result.latest_confidence = confidence
    key_result.last_checkin_at = at
    key_result.save(update_fields=["current", "latest_confidence", "last_checkin_at"])
    forecasts_refresh([key_result], key_result.cycle)
    measure = key_result.linked_measure
    if measure:
        value_written, created = measure_actual_write(
            measure=measure,
            period=timezone.localdate(at),
            actual=value,
            comment=f"Check-in on key result “{key_result}”",
            author=author,
        )
    rollup.after_key_result_change(key_result, measure=measure)
    if measure:
        events.measure_value_recorded(value_written, measure, created)
    events.checkin_created(checkin, status_before)
    return checkin


@service
def cycle_delete(*, acting: Actor, cycle: Cycle) -> None:
    """Protected (ProtectedError) while the cycle holds objectives."""
    cycle.delete()


@service
def objective_delete(*, acting: Actor, objective: Objective) -> None:
    """An objective goes with the key results only it held; the strategy it served rescores."""
    strategic = list(objective.contributes_to.values_list("pk", flat=True))
    only_here = KeyResult.objects.filter(holdings__objective=objective).exclude(
        holdings__objective__in=Objective.objects.exclude(pk=objective.pk)
    )
    only_here_ids = list(only_here.values_list("pk", flat=True))
    objective.delete()
    KeyResult.objects.filter(pk__in=only_here_ids).delete()
    rollup.strategy_refresh(strategic)


@service
def key_result_delete(*, acting: Actor, key_result: KeyResult) -> None:
    objectives = list(Objective.objects.filter(holdings__key_result=key_result))
    key_result.delete()
    for objective in objectives:
        rollup.objective_refresh(objective)
    rollup.after_objectives_change(objectives)
