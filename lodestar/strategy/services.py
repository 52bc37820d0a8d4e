"""Writes to the Balanced Scorecard. Each write that changes a score refreshes the
scores above it (see `lodestar.scores.rollup`)."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from lodestar import scoring
from lodestar.notify import events
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed, changed_nothing, changed_now
from lodestar.org.models import Unit
from lodestar.org.permissions import Action, reader_for, require
from lodestar.org.selectors import ancestor_ids, unit_parents
from lodestar.org.services import refuse_ancestor_loop
from lodestar.scores import rollup
from lodestar.scoring import formulas
from lodestar.scoring.periods import next_period_start, period_start, period_starts
from lodestar.strategy import notes
from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    MeasurePlan,
    MeasureValue,
    NoteAsked,
    Perspective,
    Scorecard,
    StrategicObjective,
    Theme,
)
from lodestar.validation import apply_changes, scoring_errors, validated_save

# Kaplan & Norton's order, bottom band first.
DEFAULT_PERSPECTIVES = ("Learning & Growth", "Internal Process", "Customer", "Financial")


def require_each(acting: Actor, action: Action, objects) -> None:
    for obj in objects:
        require(acting, action, obj)


def check_scorecard_period(scorecard: Scorecard) -> None:
    # The database constraint alone would name no field.
    start, end = scorecard.period_start, scorecard.period_end
    if start and end and end <= start:
        raise ValidationError({"period_end": ["The period must end after it starts."]})


def check_initiative_dates(initiative: Initiative) -> None:
    # The database constraint alone would name no field, only itself.
    start, end = initiative.start, initiative.end
    if start and end and end < start:
        raise ValidationError({"end": ["An initiative cannot end before it starts."]})


@service
def scorecard_create(
    *,
    acting: Actor,
    unit: Unit,
    name: str,
    period_start: date,
    period_end: date,
    perspectives: tuple[str, ...] | list[str] = DEFAULT_PERSPECTIVES,
    draft: bool = False,
    notes_when_it_matters: bool = False,
) -> Scorecard:
    """A published scorecard, or a `draft` that only its maker and the strategy office see
    until `scorecard_publish`; `notes_when_it_matters`: see `strategy.notes`."""
    require(acting, Action.ADD, unit)
    scorecard = Scorecard(
        unit=unit,
        name=name,
        period_start=period_start,
        period_end=period_end,
        published_at=None if draft else timezone.now(),
        created_by_id=acting.pk if acting is not None else None,
        notes_when_it_matters=notes_when_it_matters,
    )
    check_scorecard_period(scorecard)
    validated_save(scorecard)
    changed(units=[unit.pk])
    for position, perspective_name in enumerate(perspectives):
        perspective_create(
            acting=acting, scorecard=scorecard, name=perspective_name, position=position
        )
    return scorecard


@service
def scorecard_publish(*, acting: Actor, scorecard: Scorecard) -> Scorecard:
    """Everyone sees a published scorecard, and it may become the company's (the one
    covering today); publishing a published one changes nothing."""
    require(acting, Action.CHANGE, scorecard)
    if scorecard.draft:
        scorecard.published_at = timezone.now()
        scorecard.save(update_fields=["published_at"])
        # The rules read it from now on: the OKRs serving it are no orphans any more.
        changed(units=[scorecard.unit_id], **leaving_with(scorecard.strategic_objectives.all()))
    else:
        changed_nothing()
    return scorecard


def leaving_with(strategic) -> dict[str, list[int]]:
    """What a change to these strategic objectives (a queryset) reaches besides their
    scorecards, for `changed`: the OKR objectives serving them (orphans or not) and the key
    results linked to their measures (pulling against them or not). Two queries."""
    served = strategic.values_list("okr_objectives", flat=True)
    linked = strategic.values_list("measures__key_results", flat=True)
    return {
        "objectives": [pk for pk in served if pk is not None],
        "key_results": [pk for pk in linked if pk is not None],
    }


@service
def scorecard_update(
    *, acting: Actor, scorecard: Scorecard, expected_version: int | None = None, **changes
) -> Scorecard:
    require(acting, Action.CHANGE, scorecard)
    before = scorecard.unit_id
    apply_changes(
        scorecard, changes, check=check_scorecard_period, expected_version=expected_version
    )
    changed(units=[before, scorecard.unit_id])
    return scorecard


@service
def perspective_create(
    *,
    acting: Actor,
    scorecard: Scorecard,
    name: str,
    position: int | None = None,
    weight: float = 1.0,
) -> Perspective:
    require(acting, Action.CHANGE, scorecard)
    if position is None:
        last = scorecard.perspectives.order_by("-position").first()
        position = last.position + 1 if last else 0
    changed(units=[scorecard.unit_id], months=True)  # its weight shares the score history's
    return validated_save(
        Perspective(scorecard=scorecard, name=name, position=position, weight=weight)
    )


@service
def perspective_update(
    *, acting: Actor, perspective: Perspective, expected_version: int | None = None, **changes
) -> Perspective:
    require(acting, Action.CHANGE, perspective)
    apply_changes(perspective, changes, expected_version=expected_version)
    rollup.perspective_refresh(perspective)
    rollup.scorecard_refresh(perspective.scorecard)
    changed(units=[perspective.scorecard.unit_id], months=True)
    return perspective


@service
def theme_create(*, acting: Actor, scorecard: Scorecard, name: str, description: str = "") -> Theme:
    require(acting, Action.CHANGE, scorecard)
    changed_nothing()  # no kept figure reads the themes
    return validated_save(Theme(scorecard=scorecard, name=name, description=description))


def check_objective_placement(
    objective: StrategicObjective, themes: list[Theme] | None = None
) -> None:
    """The perspective and the themes must be the scorecard's own; a cascade parent must
    sit in the scorecard of an ancestor unit, and never below the objective itself."""
    if objective.perspective.scorecard_id != objective.scorecard_id:
        raise ValidationError({"perspective": ["The perspective belongs to another scorecard."]})
    foreign = [theme for theme in themes or [] if theme.scorecard_id != objective.scorecard_id]
    if foreign:
        names = ", ".join(f"“{theme}”" for theme in foreign)
        raise ValidationError({"themes": [f"{names} belongs to another scorecard."]})
    parent = objective.parent
    if parent is None:
        return
    refuse_ancestor_loop(objective, parent)
    if parent.scorecard.unit_id not in ancestor_ids(objective.scorecard.unit_id, unit_parents()):
        raise ValidationError(
            {"parent": ["A cascade parent must be in the scorecard of a parent unit."]}
        )


@service
def strategic_objective_create(
    *,
    acting: Actor,
    scorecard: Scorecard,
    perspective: Perspective,
    name: str,
    code: str = "",
    description: str = "",
    owner=None,
    weight: float = 1.0,
    parent: StrategicObjective | None = None,
    themes: list[Theme] | None = None,
) -> StrategicObjective:
    require(acting, Action.CHANGE, scorecard)
    objective = StrategicObjective(
        scorecard=scorecard,
        perspective=perspective,
        name=name,
        code=code,
        description=description,
        owner=owner,
        weight=weight,
        parent=parent,
    )
    check_objective_placement(objective, themes)
    validated_save(objective)
    if themes:
        objective.themes.set(themes)
    rollup.strategy_refresh([objective.pk])
    changed(strategic=[objective.pk], months=True)
    return objective


@service
def strategic_objective_update(
    *,
    acting: Actor,
    objective: StrategicObjective,
    themes: list[Theme] | None = None,
    expected_version: int | None = None,
    **changes,
) -> StrategicObjective:
    require(acting, Action.CHANGE, objective)
    before = {"perspective": objective.perspective_id, "parent": objective.parent_id}
    changed_now(strategic=[objective.pk], months=True)  # its card and its old parent's
    apply_changes(
        objective,
        changes,
        check=lambda moved: check_objective_placement(moved, themes),
        expected_version=expected_version,
    )
    if themes is not None:
        objective.themes.set(themes)
    # The old parent and perspective lose this objective: refresh them too.
    rollup.strategy_refresh([pk for pk in (objective.pk, before["parent"]) if pk])
    if before["perspective"] != objective.perspective_id:
        old = Perspective.objects.get(pk=before["perspective"])
        rollup.perspective_refresh(old)
        rollup.scorecard_refresh(old.scorecard)
    changed(strategic=[objective.pk], months=True)
    return objective


@service
def link_create(
    *, acting: Actor, cause: StrategicObjective, effect: StrategicObjective, hypothesis: str = ""
) -> CauseEffectLink:
    require(acting, Action.CHANGE, cause)
    link = CauseEffectLink(cause=cause, effect=effect, hypothesis=hypothesis)
    check_link(link)
    changed(strategic=[cause.pk, effect.pk])  # one map: one scorecard's evidence
    return validated_save(link)


def check_link(link: CauseEffectLink) -> None:
    """In words, what the database constraints would only name."""
    if link.cause_id == link.effect_id:
        raise ValidationError({"effect": ["An objective cannot be its own cause."]})
    if link.cause.scorecard_id != link.effect.scorecard_id:
        raise ValidationError({"effect": ["A strategy-map link joins objectives of one map."]})
    duplicate = CauseEffectLink.objects.filter(cause=link.cause, effect=link.effect)
    if duplicate.exclude(pk=link.pk).exists():
        raise ValidationError({"effect": ["These objectives are already linked."]})


def check_measure(measure: Measure) -> None:
    with scoring_errors():
        scoring.measure_performance(
            direction=measure.direction,
            baseline=measure.baseline,
            target=measure.target,
            actual=measure.baseline,
            upper=measure.upper,
        )
    check_formula(measure)


def check_formula(measure: Measure) -> None:
    """A calculated measure reads existing measures of its own frequency, and no chain of
    formulas leads back to it (its value would depend on itself)."""
    if measure.values_from != Measure.ValuesFrom.FORMULA:
        if measure.formula:
            raise ValidationError({"formula": ["Only a calculated measure has a formula."]})
        return
    with scoring_errors():
        refs = formulas.check(measure.formula)
    found = {m.pk: m for m in Measure.objects.filter(pk__in=refs)}
    missing = [f"[M{pk}]" for pk in refs if pk not in found]
    if missing:
        raise ValidationError({"formula": [f"No measure {', '.join(missing)}."]})
    if measure.pk in found:
        raise ValidationError({"formula": ["A formula cannot read its own measure."]})
    other = [f"[M{m.pk}]" for m in found.values() if m.frequency != measure.frequency]
    if other:
        raise ValidationError(
            {"formula": [f"{', '.join(other)} is not {measure.frequency} like this measure."]}
        )
    if measure.pk is None:
        return  # nothing reads a new measure yet, so no cycle can pass through it
    edges: dict[int, list[int]] = {}
    through = Measure.formula_inputs.through.objects.values_list("from_measure", "to_measure")
    for output, input_ in through:
        edges.setdefault(output, []).append(input_)
    edges[measure.pk] = refs
    cycle = formulas.find_cycle(edges, measure.pk)
    if cycle:
        path = " → ".join(f"[M{pk}]" for pk in cycle)
        raise ValidationError({"formula": [f"The formulas would go round in a cycle: {path}."]})


def formula_inputs_keep(measure: Measure) -> None:
    """Keep the measure's inputs as its formula says, and recalculate all its periods."""
    if measure.values_from != Measure.ValuesFrom.FORMULA:
        measure.formula_inputs.clear()
        return
    inputs = formulas.references(measure.formula)
    measure.formula_inputs.set(inputs)
    periods = MeasureValue.objects.filter(measure_id__in=inputs).values_list("period", flat=True)
    for start in sorted(set(periods)):
        formula_value_refresh(measure, start)


@service
def measure_create(*, acting: Actor, objective: StrategicObjective, name: str, **fields) -> Measure:
    require(acting, Action.CHANGE, objective)
    measure = Measure(objective=objective, name=name, **fields)
    check_measure(measure)
    validated_save(measure)
    formula_inputs_keep(measure)
    rollup.after_measure_change(measure)
    changed(measures=[measure.pk], months=True)
    return measure


@service
def measure_update(
    *, acting: Actor, measure: Measure, expected_version: int | None = None, **changes
) -> Measure:
    require(acting, Action.CHANGE, measure)
    old_objective_id = measure.objective_id
    apply_changes(measure, changes, check=check_measure, expected_version=expected_version)
    if {"values_from", "formula"} & set(changes):
        formula_inputs_keep(measure)
    rollup.after_measure_change(measure)
    if old_objective_id != measure.objective_id:
        rollup.strategy_refresh([old_objective_id])
    # Its history, under its objective before and after, and the key results linked to it
    # (whether they pull against it is an alert of their units).
    linked = measure.key_results.values_list("pk", flat=True)
    changed(measures=[measure.pk], strategic=[old_objective_id], key_results=linked, months=True)
    return measure


@service
def measure_value_record(
    *,
    acting: Actor,
    measure: Measure,
    period: date,
    actual: float,
    target: float | None = None,
    comment: str = "",
    author=None,
) -> MeasureValue:
    """A person records the actual for the period containing `period` (one value per
    period); the author is the acting person unless given. A target given with it is
    that period's plan. The returned value's `replaced` says what it replaced, if anything."""
    require(acting, Action.ADD, measure)
    author = author or acting
    refuse_other_path(measure, Via.PERSON)
    start = period_start(measure.frequency, period)
    refuse_locked_period(acting, measure, start, comment)
    if target is not None:
        plan_write(measure, start, target)  # a target typed with a value plans its period
    value, created = measure_value_write(
        measure=measure,
        period=period,
        actual=actual,
        comment=comment,
        author=author,
    )
    rollup.after_measure_change(measure)
    events.measure_value_recorded(value, measure, created)
    return value


Via = MeasureValue.EnteredVia
From = Measure.ValuesFrom
# The paths each kind of measure accepts a value by; any other is refused.
ACCEPTED_PATHS = {
    From.PEOPLE: {Via.PERSON, Via.KEY_RESULT},
    From.KEY_RESULT: {Via.KEY_RESULT, Via.PERSON},
    From.SOURCE: {Via.SOURCE},
    From.FORMULA: {Via.FORMULA},
}


# The paths nobody types: a value turning its measure red is kept and owes its note.
AUTOMATIC = {Via.SOURCE, Via.FORMULA}


def refuse_other_path(measure: Measure, via: str) -> None:
    if via in ACCEPTED_PATHS[measure.values_from]:
        return
    if measure.values_from == From.SOURCE:
        source = getattr(measure, "data_source", None)
        name = f"“{source.name}”" if source else "(none set yet)"
        why = f"“{measure}” takes its values from its data source {name}"
    elif measure.values_from == From.FORMULA:
        why = f"“{measure}” is calculated by its formula {measure.formula}"
    else:
        why = f"“{measure}” takes its values from {From(measure.values_from).label.lower()}"
    by = {
        Via.PERSON: "nobody types them in",
        Via.KEY_RESULT: "a check-in of a linked key result cannot write them",
        Via.SOURCE: "a data source cannot write them",
        Via.FORMULA: "a formula cannot write them",
    }[via]
    raise ValidationError({"actual": [f"{why}; {by}."]}, code="values_from")


def check_period_in_scorecard(measure: Measure, start: date) -> None:
    scorecard = measure.objective.scorecard
    if period_start(measure.frequency, scorecard.period_start) <= start <= scorecard.period_end:
        return
    raise ValidationError(
        {
            "period": [
                f"{start:%Y-%m} is outside the scorecard's period "
                f"({scorecard.period_start:%Y-%m-%d} to {scorecard.period_end:%Y-%m-%d})."
            ]
        }
    )


def locks_on(measure: Measure, start: date) -> date:
    """The first day on which the period's value is locked."""
    end = next_period_start(measure.frequency, start) - timedelta(days=1)
    return end + timedelta(days=settings.MEASURE_PERIOD_LOCK_DAYS + 1)


def period_locked(measure: Measure, start: date) -> bool:
    return timezone.localdate() >= locks_on(measure, start)


def refuse_locked_period(acting: Actor, measure: Measure, start: date, reason: str) -> None:
    """A locked period changes only by the strategy office or an admin, with a reason
    (kept as the value's comment). The installation itself (acting=None) is not held."""
    if acting is None or not period_locked(measure, start):
        return
    access = reader_for(acting)
    locked = f"{start:%Y-%m} locked on {locks_on(measure, start):%Y-%m-%d}"
    if not (access.is_admin or access.is_strategy_office):
        raise ValidationError(
            {"period": [f"{locked}; only the strategy office or an admin may change it."]},
            code="locked",
        )
    if not reason.strip():
        raise ValidationError(
            {"comment": [f"{locked}: give the reason for the change in the comment."]}
        )


def replaced_words(value: MeasureValue) -> str:
    via = Via(value.entered_via).label.lower()
    return f"Replaces {value.actual:g} ({via}, {timezone.localtime(value.recorded_at):%Y-%m-%d})."


def planned_target(measure: Measure, start: date) -> float | None:
    """The target a value of the period starting `start` is judged against, the one rule
    for every path that writes a value (docs/scoring.md, "A period's target"): the plan's
    for that period when a plan exists, else none, which means the measure's final target
    (kept as none so that a changed final target carries to the unplanned periods)."""
    return (
        MeasurePlan.objects.filter(measure=measure, period=start)
        .values_list("target", flat=True)
        .first()
    )


def check_value(measure: Measure, start: date, actual: float, target, via: str) -> None:
    """The rules of a period's value written by `via`, judged against the period's
    `target` (`planned_target`'s): also asked alone by the bulk import, before it writes."""
    refuse_other_path(measure, via)
    check_period_in_scorecard(measure, start)
    if target is not None:
        with scoring_errors():
            scoring.measure_performance(
                direction=measure.direction,
                baseline=measure.baseline,
                target=target,
                actual=actual,
                upper=measure.upper,
            )


def measure_value_write(
    *,
    measure: Measure,
    period: date,
    actual: float,
    comment: str,
    author,
    via: str = Via.PERSON,
    source=None,
    checkin_note: str | None = None,
    imported: bool = False,
) -> tuple[MeasureValue, bool]:
    """The write alone, and whether it created the period's value; the caller refreshes
    the scores (a check-in does it in one pass) and then announces the value. Every path
    comes through here: the measure's `values_from` decides which are accepted, the
    period's target is `planned_target`'s, a value turning the measure red asks for its
    note (`notes`; a key result's check-in answers with its own note, `checkin_note`, kept
    after the comment; an `imported` history owes it), and the calculated measures reading
    this one follow in the same transaction."""
    start = period_start(measure.frequency, period)
    target = planned_target(measure, start)
    check_value(measure, start, actual, target, via)
    value = MeasureValue.objects.filter(measure=measure, period=start).first()
    note_asked = notes.measure_note_asked(
        measure,
        start,
        actual,
        target,
        # a source's or formula's comment is the machine's, never a note
        ("" if via in AUTOMATIC else comment) if checkin_note is None else checkin_note,
        automatic=imported or via in AUTOMATIC,
        field="comment" if checkin_note is None else "note",
        replaced=value,
    )
    if checkin_note and note_asked == NoteAsked.GIVEN:
        comment = f"{comment}: {checkin_note.strip()}"
    replaced = ""
    if value is not None and via == Via.PERSON and value.actual != actual:
        replaced = replaced_words(value)
    value = value or MeasureValue(measure=measure, period=start)
    created = value.pk is None
    value.actual, value.target, value.comment, value.author = actual, target, comment, author
    value.entered_via, value.source, value.note_asked = via, source, note_asked
    # The measure and the source are saved objects, and the period's row was looked up
    # just above (the database constraint still holds): no queries to check them again.
    validated_save(value, exclude=["measure", "source"])
    value.replaced = replaced
    for output in measure.formula_outputs.all():
        formula_value_refresh(output, start)
    return value, created


def measure_actual_write(
    *,
    measure: Measure,
    period: date,
    actual: float,
    comment: str,
    author,
    note: str = "",
    imported: bool = False,
) -> tuple[MeasureValue, bool]:
    """A linked key result's check-in writes the period's actual; its target is the
    period's plan, as for every path (never an earlier period's). The check-in's `note`
    answers when the value turns the measure red (an `imported` history owes it)."""
    return measure_value_write(
        measure=measure,
        period=period,
        actual=actual,
        comment=comment,
        author=author,
        via=Via.KEY_RESULT,
        checkin_note=note,
        imported=imported,
    )


def formula_value_refresh(measure: Measure, start: date) -> None:
    """Recalculate one period of a calculated measure from its inputs' values; no value
    (N/A) when an input has none or the formula divides by zero."""
    if measure.values_from != From.FORMULA:
        return
    inputs = dict(
        MeasureValue.objects.filter(
            measure__in=measure.formula_inputs.all(), period=start
        ).values_list("measure_id", "actual")
    )
    with scoring_errors():
        result = formulas.evaluate(measure.formula, inputs)
    scorecard = measure.objective.scorecard
    inside = period_start(measure.frequency, scorecard.period_start) <= start
    if result is None or not inside or start > scorecard.period_end:
        MeasureValue.objects.filter(measure=measure, period=start).delete()
        for output in measure.formula_outputs.all():
            formula_value_refresh(output, start)
    else:
        value, created = measure_value_write(
            measure=measure,
            period=start,
            actual=result,
            comment="",
            author=None,
            via=Via.FORMULA,
        )
        events.measure_value_recorded(value, measure, created)
    rollup.after_measure_change(measure)


def check_plan_period(measure: Measure, start: date, target: float) -> None:
    check_period_in_scorecard(measure, start)
    with scoring_errors():
        scoring.measure_performance(
            direction=measure.direction,
            baseline=measure.baseline,
            target=target,
            actual=measure.baseline,
            upper=measure.upper,
        )


@service
def measure_plan_set(
    *, acting: Actor, measure: Measure, period: date, target: float
) -> MeasurePlan:
    """Plan the target of one period; a value already recorded for it takes the target."""
    require(acting, Action.CHANGE, measure)
    return plan_write(measure, period_start(measure.frequency, period), target)


def plan_write(measure: Measure, start: date, target: float) -> MeasurePlan:
    check_plan_period(measure, start, target)
    plan = MeasurePlan.objects.filter(measure=measure, period=start).first()
    plan = plan or MeasurePlan(measure=measure, period=start)
    plan.target = target
    validated_save(plan)
    changed(measures=[measure.pk], months=True)
    if MeasureValue.objects.filter(measure=measure, period=start).update(target=target):
        rollup.after_measure_change(measure)
    return plan


@service
def measure_plan_line(*, acting: Actor, measure: Measure) -> list[MeasurePlan]:
    """Plan every period of the scorecard on a straight line from the baseline (the first
    period's start) to the measure's target (reached in the last period)."""
    require(acting, Action.CHANGE, measure)
    scorecard = measure.objective.scorecard
    starts = period_starts(measure.frequency, scorecard.period_start, scorecard.period_end)
    step = (measure.target - measure.baseline) / len(starts)
    return [
        measure_plan_set(
            acting=acting,
            measure=measure,
            period=start,
            target=round(measure.baseline + step * (index + 1), 6),
        )
        for index, start in enumerate(starts)
    ]


@service
def measure_plan_delete(*, acting: Actor, plan: MeasurePlan) -> None:
    """The period goes back to the final target, and so does its value."""
    require(acting, Action.CHANGE, plan.measure)
    changed(measures=[plan.measure_id], months=True)
    plan.delete()
    if MeasureValue.objects.filter(measure=plan.measure, period=plan.period).update(target=None):
        rollup.after_measure_change(plan.measure)


@service
def initiative_create(
    *, acting: Actor, name: str, strategic_objectives: list[StrategicObjective], **fields
) -> Initiative:
    require_each(acting, Action.CHANGE, strategic_objectives)
    initiative = Initiative(name=name, **fields)
    check_initiative_dates(initiative)
    validated_save(initiative)
    initiative.strategic_objectives.set(strategic_objectives)
    changed_nothing()  # no kept figure reads the initiatives
    return initiative


@service
def initiative_update(
    *,
    acting: Actor,
    initiative: Initiative,
    strategic_objectives: list[StrategicObjective] | None = None,
    expected_version: int | None = None,
    **changes,
) -> Initiative:
    require(acting, Action.CHANGE, initiative)
    require_each(acting, Action.CHANGE, strategic_objectives or [])
    apply_changes(
        initiative, changes, check=check_initiative_dates, expected_version=expected_version
    )
    if strategic_objectives is not None:
        initiative.strategic_objectives.set(strategic_objectives)
    changed_nothing()  # no kept figure reads the initiatives
    return initiative


@service
def scorecard_delete(*, acting: Actor, scorecard: Scorecard) -> None:
    """A scorecard goes with everything in it. Its objectives protect its perspectives:
    they go first, with their measures."""
    require(acting, Action.DELETE, scorecard)
    changed(
        units=[scorecard.unit_id],
        months=True,
        **leaving_with(scorecard.strategic_objectives.all()),
    )
    scorecard.strategic_objectives.all().delete()
    scorecard.delete()


@service
def perspective_delete(*, acting: Actor, perspective: Perspective) -> None:
    """Protected (ProtectedError) while the perspective holds objectives."""
    require(acting, Action.DELETE, perspective)
    scorecard = perspective.scorecard
    changed(units=[scorecard.unit_id], months=True)
    perspective.delete()
    rollup.scorecard_refresh(scorecard)


@service
def theme_delete(*, acting: Actor, theme: Theme) -> None:
    require(acting, Action.DELETE, theme)
    changed_nothing()  # no kept figure reads the themes
    theme.delete()


@service
def strategic_objective_delete(*, acting: Actor, objective: StrategicObjective) -> None:
    require(acting, Action.DELETE, objective)
    parent_id, perspective = objective.parent_id, objective.perspective
    changed_now(strategic=[objective.pk], months=True)  # its card and its parent's
    changed(**leaving_with(StrategicObjective.objects.filter(pk=objective.pk)))
    objective.delete()
    rollup.strategy_refresh([parent_id] if parent_id else [])
    rollup.perspective_refresh(perspective)
    rollup.scorecard_refresh(perspective.scorecard)


@service
def link_delete(*, acting: Actor, link: CauseEffectLink) -> None:
    require(acting, Action.DELETE, link)
    changed(strategic=[link.cause_id, link.effect_id])
    link.delete()


@service
def measure_delete(*, acting: Actor, measure: Measure) -> None:
    require(acting, Action.DELETE, measure)
    objective_id = measure.objective_id
    linked = list(measure.key_results.values_list("pk", flat=True))
    changed(strategic=[objective_id], key_results=linked, months=True)
    measure.delete()
    rollup.strategy_refresh([objective_id])


@service
def measure_value_delete(*, acting: Actor, value: MeasureValue) -> None:
    require(acting, Action.DELETE, value)
    measure, start = value.measure, value.period
    refuse_other_path(measure, Via.PERSON)
    refuse_locked_period(acting, measure, start, "a deletion")
    this_month = timezone.localdate().replace(day=1)
    changed(measures=[measure.pk], months=start < this_month)
    value.delete()
    for output in measure.formula_outputs.all():
        formula_value_refresh(output, start)
    rollup.after_measure_change(measure)


@service
def initiative_delete(*, acting: Actor, initiative: Initiative) -> None:
    require(acting, Action.DELETE, initiative)
    changed_nothing()  # no kept figure reads the initiatives
    initiative.delete()


@service
def theme_update(
    *, acting: Actor, theme: Theme, expected_version: int | None = None, **changes
) -> Theme:
    require(acting, Action.CHANGE, theme)
    changed_nothing()  # no kept figure reads the themes
    return apply_changes(theme, changes, expected_version=expected_version)


@service
def link_update(
    *, acting: Actor, link: CauseEffectLink, expected_version: int | None = None, **changes
) -> CauseEffectLink:
    require(acting, Action.CHANGE, link)
    before = [link.cause_id, link.effect_id]
    apply_changes(link, changes, check=check_link, expected_version=expected_version)
    changed(strategic=[*before, link.cause_id, link.effect_id])
    return link
