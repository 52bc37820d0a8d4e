"""Writes to the OKRs. A check-in is one entry that updates both frameworks."""

import copy
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.utils import timezone

from lodestar import scoring
from lodestar.audit.history import creation_logged
from lodestar.notify import events
from lodestar.okrs.models import (
    FORECAST_FIELDS,
    CheckIn,
    Cycle,
    KeyResult,
    Objective,
    ObjectiveKeyResult,
)
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed, changed_everything, changed_now
from lodestar.org.permissions import Action, require
from lodestar.org.services import refuse_ancestor_loop
from lodestar.scores import rollup
from lodestar.scoring.periods import period_start
from lodestar.strategy import notes
from lodestar.strategy.models import StrategicObjective
from lodestar.strategy.services import measure_actual_write
from lodestar.validation import apply_changes, scoring_errors, validated_save


def refuse_closed(cycle: Cycle, field: str = "cycle") -> None:
    if not cycle.takes_writes:
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
    require(acting, Action.CHANGE, cycle)
    check_cycle_dates(cycle)
    validated_save(cycle)
    if state == Cycle.State.PLANNING:
        changed(cycle=cycle.pk)  # empty, and not yet one the figures speak of
    else:
        changed_everything()  # a running or closed quarter is in every unit's figures
    return cycle


@service
def cycle_update(
    *, acting: Actor, cycle: Cycle, expected_version: int | None = None, **changes
) -> Cycle:
    require(acting, Action.CHANGE, cycle)
    cycle = apply_changes(
        cycle,
        changes,
        allowed=CYCLE_FIELDS,
        check=check_cycle_dates,
        expected_version=expected_version,
    )
    if {"start", "end"} & set(changes):
        forecasts_refresh(cycle.key_results.all(), cycle)  # read at another last day
    # Its dates move every pace and forecast of the cycle, in every unit; its name is in
    # what the figures say of it. The other cycles' figures stay.
    changed_everything(cycle=cycle.pk)
    return cycle


def forecasts_refresh(key_results, cycle: Cycle) -> None:
    """Store each key result's trend to the cycle's last day (scoring.trend), from one
    query for all their check-ins. Called when the cycle moves and by a check-in that
    leaves the key result where it was."""
    key_results = list(key_results)
    forecasts_set(key_results, cycle)
    KeyResult.objects.bulk_update(key_results, FORECAST_FIELDS, batch_size=1000)


def forecasts_set(key_results: list[KeyResult], cycle: Cycle) -> None:
    """Each key result's trend on the objects, from one query, for the caller to store."""
    points: dict[int, list[list[float]]] = {kr.pk: [] for kr in key_results}
    # Ties in order of writing, as a check-in appends its point.
    rows = CheckIn.objects.filter(key_result__in=list(points)).order_by("created_at", "pk")
    for key_result_id, created_at, value in rows.values_list(
        "key_result_id", "created_at", "value"
    ):
        points[key_result_id].append(forecast_point(cycle, created_at, value))
    for key_result in key_results:
        key_result.forecast_series = points[key_result.pk]
        forecast_from_series(key_result, cycle)


def forecast_point(cycle: Cycle, at: datetime, value: float) -> list[float]:
    """A check-in as a point of the trend: days from the cycle's start (by the UTC date,
    as the database hands the moment back), value."""
    return [(at.astimezone(UTC).date() - cycle.start).days, value]


def forecast_from_series(key_result: KeyResult, cycle: Cycle) -> None:
    trend = scoring.linear_forecast(key_result.forecast_series, at=(cycle.end - cycle.start).days)
    key_result.forecast_points = trend.n
    key_result.forecast_value = trend.value
    key_result.forecast_standard_error = trend.standard_error
    key_result.forecast_low = trend.low
    key_result.forecast_high = trend.high
    key_result.forecast_slope = trend.slope


def turn_allowed(
    acting: Actor, cycle: Cycle, reason: str, today, *, due: date, when: str, doing: str
) -> tuple[date, str]:
    """Before a turn of the cycle (activating, closing it): the review's alone, never of
    a closed cycle. A person turning it before `due` gives a reason; the installation
    (the demo, an import) follows its own calendar. Returns today and the reason to keep
    on the cycle."""
    require(acting, Action.REVIEW, cycle)
    refuse_closed(cycle)
    today = today or timezone.localdate()
    early, reason = today < due, (reason or "").strip()
    if early and acting is not None and not reason:
        what = f"{cycle} {when} on {due:%-d %b %Y}: {doing} it early needs a reason."
        raise ValidationError({"reason": ValidationError(f"{what} Give a reason.", "early")})
    return today, reason if early else ""


@service
def cycle_activate(*, acting: Actor, cycle: Cycle, reason: str = "", today=None) -> Cycle:
    """Start a cycle; the one running before it closes, and execution scores move over.
    Before its start date a person must say why (kept on the cycle)."""
    today, cycle.early_activation_reason = turn_allowed(
        acting, cycle, reason, today, due=cycle.start, when="starts", doing="activating"
    )
    for running in Cycle.objects.filter(state=Cycle.State.ACTIVE).exclude(pk=cycle.pk):
        cycle_close(acting=acting, cycle=running, reason=reason, today=today)
    cycle.state = Cycle.State.ACTIVE
    validated_save(cycle)
    rollup.after_objectives_change(cycle.okr_objectives.all())
    events.cycle_changed(cycle)
    changed_everything()  # a turn: every figure speaks of the active cycle
    return cycle


@service
def cycle_close(*, acting: Actor, cycle: Cycle, reason: str = "", today=None) -> Cycle:
    """Close a cycle: each objective without a grade keeps its score as final grade.
    Before its end date a person must say why (kept on the cycle)."""
    today, cycle.early_close_reason = turn_allowed(
        acting, cycle, reason, today, due=cycle.end, when="ends", doing="closing"
    )
    was_active = cycle.state == Cycle.State.ACTIVE
    for objective in cycle.okr_objectives.filter(final_grade__isnull=True, score__isnull=False):
        objective.final_grade = computed_grade(objective)
        objective.save(update_fields=["final_grade"])
    cycle.state = Cycle.State.CLOSED
    validated_save(cycle)
    from lodestar.okrs.closing import cycle_closed  # closing imports this module

    cycle_closed.send(Cycle, cycle=cycle, closed_on=today, acting=acting)  # the review is kept
    if was_active:
        rollup.after_objectives_change(cycle.okr_objectives.all())
    events.cycle_changed(cycle)
    changed_everything()  # a turn: every figure speaks of the active and the closed cycles
    return cycle


def computed_grade(objective: Objective) -> float | None:
    """The grade the roll-up proposes: the score, over-achievement cut at 1."""
    return None if objective.score is None else min(objective.score, 1.0)


# What each update may change; scores, grades and check-in figures have their own paths.
CYCLE_FIELDS = {"name", "start", "end"}
OBJECTIVE_FIELDS = {"description", "kind", "visibility", "weight"}
KEY_RESULT_FIELDS = {"title", "owner", "kind", "baseline", "target", "unit_label", "linked_measure"}


def require_writes_for(acting: Actor, objective: Objective) -> None:
    """A unit's objective needs the right to write OKRs for the unit; a personal one the
    right to write for its owner."""
    if objective.unit_id is not None:
        require(acting, Action.ADD_OKR, objective.unit)
    else:
        require(acting, Action.ADD_OKR, objective.owner)


def check_objective(objective: Objective, *, acting: Actor = None) -> None:
    """The objective's rules; with `acting`, also the right to write it where it now sits
    (its unit or its owner may have changed)."""
    if acting is not None:
        require_writes_for(acting, objective)
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
    unknown = set(fields) - OBJECTIVE_FIELDS
    if unknown:
        raise ValidationError({name: ["Not set when an objective is written."] for name in unknown})
    objective = Objective(cycle=cycle, title=title, unit=unit, owner=owner, parent=parent, **fields)
    if unit is None and owner is None:
        raise ValidationError({"owner": ["An objective belongs to a unit or a person."]})
    check_objective(objective, acting=acting)
    validated_save(objective)
    if contributes_to:
        objective.contributes_to.set(contributes_to)
        rollup.after_objectives_change([objective])
    changed(objectives=[objective.pk], cycle=cycle.pk)
    return objective


@service
def objective_update(
    *,
    acting: Actor,
    objective: Objective,
    contributes_to: list[StrategicObjective] | None = None,
    expected_version: int | None = None,
    **changes,
) -> Objective:
    require(acting, Action.CHANGE, objective)
    before = set(objective.contributes_to.values_list("pk", flat=True))
    # Where it was (its unit or owner, what it served) and where it goes.
    changed_now(objectives=[objective.pk], cycle=objective.cycle_id)
    apply_changes(
        objective,
        changes,
        allowed=OBJECTIVE_FIELDS | {"unit", "owner", "parent", "title"},
        check=lambda changed: check_objective(changed, acting=acting),
        expected_version=expected_version,
    )
    if contributes_to is not None:
        objective.contributes_to.set(contributes_to)
    # Weight, cycle or links changed: the strategic objectives before and after rescore.
    rollup.strategy_refresh(before | set(objective.contributes_to.values_list("pk", flat=True)))
    changed(objectives=[objective.pk], cycle=objective.cycle_id)
    return objective


@service
def objective_grade(
    *,
    acting: Actor,
    objective: Objective,
    final_grade: float | None,
    retrospective: str,
    grade_reason: str = "",
) -> Objective:
    """Grade an objective and write its retrospective: the cycle review. Allowed while the
    cycle runs and after it closes (that is what a closed cycle is for), not in planning,
    when there is nothing to grade yet. A grade other than the computed score needs a
    reason. Allowed to those who may grade the objective and to those who run the
    cycle's review (if they see it). Only these fields are written."""
    require(acting, Action.GRADE, objective)
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
    final_grade = None if final_grade is None else float(final_grade)
    grade_reason = (grade_reason or "").strip()
    # A person says why; the installation (an import of past reviews) records as given.
    if acting is not None and grade_adjusted(objective, final_grade) and not grade_reason:
        computed = computed_grade(objective)
        proposal = "no score" if computed is None else f"{computed:.2f}"
        raise ValidationError(
            {
                "grade_reason": ValidationError(
                    f"The computed score is {proposal}: say why the grade differs.", "reason"
                )
            }
        )
    objective.final_grade = final_grade
    objective.grade_reason = grade_reason if grade_adjusted(objective, final_grade) else ""
    objective.retrospective = retrospective
    validated_save(objective, update_fields=["final_grade", "grade_reason", "retrospective"])
    changed(objectives=[objective.pk], cycle=objective.cycle_id)
    if objective.cycle.state == Cycle.State.CLOSED:  # the kept review follows its grades
        from lodestar.okrs.closing import closed_cycle_graded  # closing imports this module

        closed_cycle_graded.send(Cycle, cycle=objective.cycle)
    return objective


GRADE_TOLERANCE = 0.005  # grades are shown with two decimals


def grade_adjusted(objective: Objective, final_grade: float | None) -> bool:
    computed = computed_grade(objective)
    if final_grade is None or computed is None:
        return final_grade is not None
    return abs(final_grade - computed) > GRADE_TOLERANCE


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
    key_result = key_result_new(
        acting=acting, objective=objective, title=title, owner=owner, current=current, **fields
    )
    validated_save(key_result)
    hold(objective, key_result, weight)
    # Its owner's load is counted where the owner belongs.
    changed(key_results=[key_result.pk], members=[key_result.owner_id], cycle=key_result.cycle_id)
    return key_result


def key_result_new(
    *, acting: Actor, objective: Objective, title: str, owner, current=None, **fields
) -> KeyResult:
    """A new key result for `objective` with its rules asked, not saved yet: for
    `key_result_create`, and for the bulk import, which saves many at once."""
    require(acting, Action.ADD, objective)
    refuse_closed(objective.cycle, "objective")
    unknown = set(fields) - KEY_RESULT_FIELDS
    if unknown:
        raise ValidationError({name: ["Not set when a key result is written."] for name in unknown})
    key_result = KeyResult(cycle=objective.cycle, title=title, owner=owner, **fields)
    key_result.forecast_series = []  # no check-in yet: its trend has no point
    key_result.current = key_result.baseline if current is None else current
    require_link(acting, key_result)
    check_key_result(key_result)
    return key_result


def require_link(acting: Actor, key_result: KeyResult) -> None:
    """A linked measure's values are written by the key result's check-ins: linking it
    needs the right to record them."""
    if key_result.linked_measure_id is not None:
        require(acting, Action.LINK, key_result.linked_measure)


@service
def key_result_hold(
    *, acting: Actor, objective: Objective, key_result: KeyResult, weight: float = 1.0
) -> ObjectiveKeyResult:
    """Share a key result into another objective. The holder gains no right over it."""
    require(acting, Action.ADD, objective)
    require(acting, Action.HOLD, key_result)
    holding = hold(objective, key_result, weight)
    changed(key_results=[key_result.pk], cycle=key_result.cycle_id)
    return holding


def hold(objective: Objective, key_result: KeyResult, weight: float) -> ObjectiveKeyResult:
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
def holding_update(
    *, acting: Actor, holding: ObjectiveKeyResult, weight: float
) -> ObjectiveKeyResult:
    """Change the weight a key result has in one of the objectives holding it."""
    require(acting, Action.CHANGE, holding)
    refuse_closed(holding.objective.cycle, "objective")
    holding.weight = weight
    validated_save(holding, update_fields=["weight"])
    rollup.after_key_result_change(holding.key_result)
    changed(key_results=[holding.key_result_id], cycle=holding.objective.cycle_id)
    return holding


@service
def key_result_release(*, acting: Actor, holding: ObjectiveKeyResult) -> None:
    """Take a shared key result out of one objective; its last holder keeps it (delete
    the key result instead)."""
    require(acting, Action.DELETE, holding)
    refuse_closed(holding.objective.cycle, "objective")
    if (
        not ObjectiveKeyResult.objects.filter(key_result_id=holding.key_result_id)
        .exclude(pk=holding.pk)
        .exists()
    ):
        raise ValidationError(
            {"objective": ["This is the only objective holding the key result; delete it instead."]}
        )
    objective = holding.objective
    holding.delete()
    rollup.objective_refresh(objective)
    rollup.after_objectives_change([objective])
    # The objectives still holding it, and the one it left.
    changed(
        key_results=[holding.key_result_id], objectives=[objective.pk], cycle=objective.cycle_id
    )


@service  # lost in the merge of 1 Dec (6571b5a): the edit ran outside a transaction, unattributed
def key_result_update(
    *, acting: Actor, key_result: KeyResult, expected_version: int | None = None, **changes
) -> KeyResult:
    require(acting, Action.CHANGE, key_result)
    refuse_closed(key_result.cycle)
    if {"owner", "linked_measure"} & set(changes):  # the owner's units, the measure's card
        changed_now(
            key_results=[key_result.pk], members=[key_result.owner_id], cycle=key_result.cycle_id
        )

    def check(edited: KeyResult) -> None:
        if "linked_measure" in changes:
            require_link(acting, edited)
        check_key_result(edited)

    apply_changes(
        key_result,
        changes,
        allowed=KEY_RESULT_FIELDS,
        check=check,
        expected_version=expected_version,
    )
    rollup.after_key_result_change(key_result)
    changed(key_results=[key_result.pk], members=[key_result.owner_id], cycle=key_result.cycle_id)
    return key_result


def forecast_append(key_result: KeyResult, checkin: CheckIn) -> None:
    """The latest check-in's point joins the series the row keeps: the trend without a
    read of the others (which a row written in bulk, its series unknown, costs once)."""
    cycle = key_result.cycle
    if key_result.forecast_series is None:
        forecasts_set([key_result], cycle)  # the new check-in is among those read
        return
    point = forecast_point(cycle, checkin.created_at, checkin.value)
    key_result.forecast_series = [*key_result.forecast_series, point]
    forecast_from_series(key_result, cycle)


def superseded_in_period(checkin: CheckIn, frequency: str) -> bool:
    period = period_start(frequency, timezone.localdate(checkin.created_at))
    later = CheckIn.objects.filter(
        key_result_id=checkin.key_result_id, created_at__gt=checkin.created_at
    ).values_list("created_at", flat=True)
    return any(period_start(frequency, timezone.localdate(moment)) == period for moment in later)


def checkin_moment(cycle: Cycle, at: datetime | None) -> datetime:
    """When a check-in happened: now, or a given moment inside the cycle and not ahead."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now:
        raise ValidationError({"at": ["A check-in cannot be dated in the future."]})
    if not cycle.start <= timezone.localdate(at) <= cycle.end:
        raise ValidationError(
            {"at": [f"The date lies outside the cycle {cycle} ({cycle.start} to {cycle.end})."]}
        )
    return at


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
    period (keeping the period's planned target), and refresh every score above both.
    The author is the acting person unless given (an import of someone's history)."""
    # The row lock serialises check-ins on one key result; `of` keeps it off the joined rows.
    key_result = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("cycle", "linked_measure")
        .get(pk=key_result.pk)
    )
    require(acting, Action.CHECK_IN, key_result)
    refuse_closed(key_result.cycle, "key_result")
    with scoring_errors():
        scoring.confidence_level(confidence)
    at = checkin_moment(key_result.cycle, at)
    author = author or acting
    status_before = events.key_result_status(key_result)
    found = copy.copy(key_result)  # as the check-in found it, for the history
    moved = []
    # The history is one entry, the check-in's, carrying the key result's new current value
    # (audit.history.MOVED_BY), not auditlog's four statements for the two saves.
    with disable_auditlog():
        checkin = validated_save(
            CheckIn(
                key_result=key_result,
                value=value,
                confidence=confidence,
                note=note,
                author=author,
                created_at=at,
            ),
            # The key result was just read and the author is the caller's own person; the
            # one constraint repeats the confidence validator.
            loaded=("key_result", "author"),
            constraints=False,
        )
        # A dated check-in older than the latest (history brought in later) joins the
        # history without moving the key result: its current value is the latest check-in's.
        if key_result.last_checkin_at is None or at >= key_result.last_checkin_at:
            key_result.current = value
            key_result.latest_confidence = confidence
            key_result.last_checkin_at = at
            rollup.key_result_score(key_result)  # from the locked row's inputs, no query
            forecast_append(key_result, checkin)  # stored by the same UPDATE
            moved = ["current", "latest_confidence", "last_checkin_at", "progress", "score"]
            key_result.save(update_fields=[*moved, *FORECAST_FIELDS])
        else:
            forecasts_refresh([key_result], key_result.cycle)
    creation_logged(checkin, moved=(found, key_result, moved) if moved else None)
    measure = key_result.linked_measure
    if measure and superseded_in_period(checkin, measure.frequency):
        measure = None  # a later check-in of the same period already wrote its actual
    if measure:
        value_written, created = measure_actual_write(
            measure=measure,
            period=timezone.localdate(at),
            actual=value,
            comment=f"Check-in on key result “{key_result}”",
            author=author,
            note=note,
        )
    rollup.after_key_result_change(key_result, measure=measure, scored=True)
    checkin_note_keep(checkin, status_before)
    if measure:
        events.measure_value_recorded(value_written, measure, created)
    events.checkin_created(checkin, status_before)
    return checkin


def checkin_note_keep(checkin: CheckIn, status_before: dict[str, str], imported=False) -> None:
    """Refuse the check-in without a note when it drops its key result to at risk on a
    scorecard that asks for one (`strategy.notes`; an `imported` history owes it), and keep
    whether it was asked: the review shows the notes that were."""
    key_result = checkin.key_result
    pace_after = events.key_result_status(key_result)["pace"]
    checkin.note_asked = notes.checkin_note_asked(
        key_result, status_before["pace"], pace_after, checkin.note, automatic=imported
    )
    if checkin.note_asked:
        CheckIn.objects.filter(pk=checkin.pk).update(note_asked=checkin.note_asked)


@dataclass(frozen=True)
class HistoryEntry:
    value: float
    confidence: int
    at: datetime
    note: str = ""
    author: object = None


def checkin_entry_check(key_result: KeyResult, entry: HistoryEntry) -> datetime:
    """The rules of one dated check-in (as `checkin_create` applies them); its moment."""
    with scoring_errors():
        scoring.confidence_level(entry.confidence)
    if not (isinstance(entry.value, int | float) and math.isfinite(entry.value)):
        raise ValidationError({"value": ["Must be a finite number."]})
    return checkin_moment(key_result.cycle, entry.at)


@service
def checkin_history_add(
    *, acting: Actor, key_result: KeyResult, entries: list[HistoryEntry]
) -> list[CheckIn]:
    """Append a dated history of check-ins at once (an import): the same rules as one
    check-in each, the key result moved to the latest, its linked measure's actual
    written for each period's latest, and the scores above refreshed once."""
    key_result = KeyResult.objects.select_for_update().select_related("cycle").get(pk=key_result.pk)
    require(acting, Action.CHECK_IN, key_result)
    refuse_closed(key_result.cycle, "key_result")
    if not entries:
        return []
    status_before = events.key_result_status(key_result)
    moments = [checkin_entry_check(key_result, entry) for entry in entries]
    checkins = CheckIn.objects.bulk_create(
        CheckIn(
            key_result=key_result,
            value=entry.value,
            confidence=entry.confidence,
            note=entry.note,
            author=entry.author,
            created_at=at,
        )
        for entry, at in zip(entries, moments, strict=True)
    )
    latest = max(checkins, key=lambda checkin: checkin.created_at)
    if key_result.last_checkin_at is None or latest.created_at >= key_result.last_checkin_at:
        key_result.current = latest.value
        key_result.latest_confidence = latest.confidence
        key_result.last_checkin_at = latest.created_at
        key_result.save(update_fields=["current", "latest_confidence", "last_checkin_at"])
    forecasts_refresh([key_result], key_result.cycle)
    measure, written = key_result.linked_measure, []
    if measure:
        by_period = {}
        for checkin in sorted(checkins, key=lambda checkin: checkin.created_at):
            by_period[period_start(measure.frequency, timezone.localdate(checkin.created_at))] = (
                checkin
            )
        for checkin in by_period.values():
            if not superseded_in_period(checkin, measure.frequency):
                written.append(
                    measure_actual_write(
                        measure=measure,
                        period=timezone.localdate(checkin.created_at),
                        actual=checkin.value,
                        comment=f"Check-in on key result “{key_result}”",
                        author=checkin.author,
                        note=checkin.note,
                        imported=True,
                    )
                )
    rollup.after_key_result_change(key_result, measure=measure)
    latest.key_result = key_result
    checkin_note_keep(latest, status_before, imported=True)
    for value_written, created in written:
        events.measure_value_recorded(value_written, measure, created)
    status_now = events.key_result_status(key_result)
    for checkin in checkins:
        checkin.key_result = key_result
        events.checkin_created(checkin, status_before if checkin is latest else status_now)
    return checkins


@service
def cycle_delete(*, acting: Actor, cycle: Cycle) -> None:
    """Protected (ProtectedError) while the cycle holds objectives."""
    require(acting, Action.DELETE, cycle)
    changed(cycle=cycle.pk)  # it holds no objective (or it would be protected)
    cycle.delete()


@service
def objective_delete(*, acting: Actor, objective: Objective) -> None:
    """An objective goes with the key results only it held; the strategy it served rescores."""
    require(acting, Action.DELETE, objective)
    strategic = list(objective.contributes_to.values_list("pk", flat=True))
    only_here = KeyResult.objects.filter(holdings__objective=objective).exclude(
        holdings__objective__in=Objective.objects.exclude(pk=objective.pk)
    )
    only_here_ids = list(only_here.values_list("pk", flat=True))
    # Its units, what it served, the objectives below it (orphans now, perhaps) and the
    # owners of the key results going with it, looked up while they are there.
    changed_now(
        objectives=[objective.pk],
        members=only_here.values_list("owner_id", flat=True).distinct(),
        cycle=objective.cycle_id,
    )
    objective.delete()
    KeyResult.objects.filter(pk__in=only_here_ids).delete()
    rollup.strategy_refresh(strategic)


@service
def key_result_delete(*, acting: Actor, key_result: KeyResult) -> None:
    require(acting, Action.DELETE, key_result)
    objectives = list(Objective.objects.filter(holdings__key_result=key_result))
    changed_now(
        key_results=[key_result.pk], members=[key_result.owner_id], cycle=key_result.cycle_id
    )
    key_result.delete()
    for objective in objectives:
        rollup.objective_refresh(objective)
    rollup.after_objectives_change(objectives)
