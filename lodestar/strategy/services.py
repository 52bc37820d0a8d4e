"""Writes to the Balanced Scorecard. Each write that changes a score refreshes the
scores above it (see `lodestar.scores.rollup`)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q

from lodestar import scoring
from lodestar.notify import events
from lodestar.org.acting import Actor, service
from lodestar.org.models import Unit
from lodestar.org.permissions import Action, require
from lodestar.org.selectors import ancestor_ids, unit_parents
from lodestar.org.services import refuse_ancestor_loop
from lodestar.scores import rollup
from lodestar.scoring.periods import period_start
from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    MeasureValue,
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


@service
def scorecard_create(
    *,
    acting: Actor,
    unit: Unit,
    name: str,
    period_start: date,
    period_end: date,
    perspectives: tuple[str, ...] | list[str] = DEFAULT_PERSPECTIVES,
) -> Scorecard:
    require(acting, Action.ADD, unit)
    scorecard = Scorecard(unit=unit, name=name, period_start=period_start, period_end=period_end)
    check_scorecard_period(scorecard)
    validated_save(scorecard)
    for position, perspective_name in enumerate(perspectives):
        perspective_create(
            acting=acting, scorecard=scorecard, name=perspective_name, position=position
        )
    return scorecard


@service
def scorecard_update(
    *, acting: Actor, scorecard: Scorecard, expected_version: int | None = None, **changes
) -> Scorecard:
    require(acting, Action.CHANGE, scorecard)
    return apply_changes(
        scorecard, changes, check=check_scorecard_period, expected_version=expected_version
    )


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
    return perspective


@service
def theme_create(*, acting: Actor, scorecard: Scorecard, name: str, description: str = "") -> Theme:
    require(acting, Action.CHANGE, scorecard)
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
    return objective


@service
def link_create(
    *, acting: Actor, cause: StrategicObjective, effect: StrategicObjective, hypothesis: str = ""
) -> CauseEffectLink:
    require(acting, Action.CHANGE, cause)
    link = CauseEffectLink(cause=cause, effect=effect, hypothesis=hypothesis)
    check_link(link)
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


@service
def measure_create(*, acting: Actor, objective: StrategicObjective, name: str, **fields) -> Measure:
    require(acting, Action.CHANGE, objective)
    measure = Measure(objective=objective, name=name, **fields)
    check_measure(measure)
    validated_save(measure)
    rollup.after_measure_change(measure)
    return measure


@service
def measure_update(
    *, acting: Actor, measure: Measure, expected_version: int | None = None, **changes
) -> Measure:
    require(acting, Action.CHANGE, measure)
    old_objective_id = measure.objective_id
    apply_changes(measure, changes, check=check_measure, expected_version=expected_version)
    rollup.after_measure_change(measure)
    if old_objective_id != measure.objective_id:
        rollup.strategy_refresh([old_objective_id])
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
    """Record the actual for the period containing `period` (one value per period); the
    author is the acting person unless given."""
    require(acting, Action.ADD, measure)
    author = author or acting
    value, created = measure_value_write(
        measure=measure,
        period=period,
        actual=actual,
        target=target,
        comment=comment,
        author=author,
    )
    rollup.after_measure_change(measure)
    events.measure_value_recorded(value, measure, created)
    return value


def measure_value_write(
    *, measure: Measure, period: date, actual: float, target: float | None, comment: str, author
) -> tuple[MeasureValue, bool]:
    """The write alone, and whether it created the period's value; the caller refreshes
    the scores (a check-in does it in one pass) and then announces the value."""
    start = period_start(measure.frequency, period)
    value = MeasureValue.objects.filter(measure=measure, period=start).first()
    return value_write(
        value or MeasureValue(measure=measure, period=start), actual, target, comment, author
    )


def value_write(
    value: MeasureValue, actual: float, target: float | None, comment: str, author
) -> tuple[MeasureValue, bool]:
    """`value` is the period's stored value, or a new one when the caller found none."""
    measure = value.measure
    if target is not None:
        with scoring_errors():
            scoring.measure_performance(
                direction=measure.direction,
                baseline=measure.baseline,
                target=target,
                actual=actual,
                upper=measure.upper,
            )
    created = value.pk is None
    value.actual, value.target, value.comment, value.author = actual, target, comment, author
    # The caller's lookup is the one-value-per-period check (the database constraint still
    # guards a concurrent insert); the measure and the author are the caller's objects.
    return validated_save(value, loaded=("measure", "author"), constraints=False), created


def measure_actual_write(
    *, measure: Measure, period: date, actual: float, comment: str, author
) -> tuple[MeasureValue, bool]:
    """A check-in's write: the period's actual, leaving the plan alone. A check-in knows no
    target, and writing none would score the period against the final target instead.
    So an existing period keeps its target (none stays none), and a new one carries on
    the plan with the target of the latest earlier period that has one; with no plan at
    all it has none, i.e. the measure's final target."""
    start = period_start(measure.frequency, period)
    # One read finds both: the period's own value if there is one, else the plan's last.
    latest = (
        MeasureValue.objects.filter(measure=measure, period__lte=start)
        .filter(Q(period=start) | Q(target__isnull=False))
        .order_by("-period")
        .first()
    )
    if latest is not None and latest.period == start:
        latest.measure = measure  # the caller's object: no query for it
        return value_write(latest, actual, latest.target, comment, author)
    plan = latest.target if latest is not None else None
    value = MeasureValue(measure=measure, period=start)
    return value_write(value, actual, plan, comment, author)


@service
def initiative_create(
    *, acting: Actor, name: str, objectives: list[StrategicObjective], **fields
) -> Initiative:
    require_each(acting, Action.CHANGE, objectives)
    initiative = validated_save(Initiative(name=name, **fields))
    initiative.objectives.set(objectives)
    return initiative


@service
def initiative_update(
    *,
    acting: Actor,
    initiative: Initiative,
    objectives: list[StrategicObjective] | None = None,
    expected_version: int | None = None,
    **changes,
) -> Initiative:
    require(acting, Action.CHANGE, initiative)
    require_each(acting, Action.CHANGE, objectives or [])
    apply_changes(initiative, changes, expected_version=expected_version)
    if objectives is not None:
        initiative.objectives.set(objectives)
    return initiative


@service
def scorecard_delete(*, acting: Actor, scorecard: Scorecard) -> None:
    """A scorecard goes with everything in it. Its objectives protect its perspectives:
    they go first, with their measures."""
    require(acting, Action.DELETE, scorecard)
    scorecard.objectives.all().delete()
    scorecard.delete()


@service
def perspective_delete(*, acting: Actor, perspective: Perspective) -> None:
    """Protected (ProtectedError) while the perspective holds objectives."""
    require(acting, Action.DELETE, perspective)
    scorecard = perspective.scorecard
    perspective.delete()
    rollup.scorecard_refresh(scorecard)


@service
def theme_delete(*, acting: Actor, theme: Theme) -> None:
    require(acting, Action.DELETE, theme)
    theme.delete()


@service
def strategic_objective_delete(*, acting: Actor, objective: StrategicObjective) -> None:
    require(acting, Action.DELETE, objective)
    parent_id, perspective = objective.parent_id, objective.perspective
    objective.delete()
    rollup.strategy_refresh([parent_id] if parent_id else [])
    rollup.perspective_refresh(perspective)
    rollup.scorecard_refresh(perspective.scorecard)


@service
def link_delete(*, acting: Actor, link: CauseEffectLink) -> None:
    require(acting, Action.DELETE, link)
    link.delete()


@service
def measure_delete(*, acting: Actor, measure: Measure) -> None:
    require(acting, Action.DELETE, measure)
    objective_id = measure.objective_id
    measure.delete()
    rollup.strategy_refresh([objective_id])


@service
def measure_value_delete(*, acting: Actor, value: MeasureValue) -> None:
    require(acting, Action.DELETE, value)
    measure = value.measure
    value.delete()
    rollup.after_measure_change(measure)


@service
def initiative_delete(*, acting: Actor, initiative: Initiative) -> None:
    require(acting, Action.DELETE, initiative)
    initiative.delete()


@service
def theme_update(
    *, acting: Actor, theme: Theme, expected_version: int | None = None, **changes
) -> Theme:
    require(acting, Action.CHANGE, theme)
    return apply_changes(theme, changes, expected_version=expected_version)


@service
def link_update(
    *, acting: Actor, link: CauseEffectLink, expected_version: int | None = None, **changes
) -> CauseEffectLink:
    require(acting, Action.CHANGE, link)
    return apply_changes(link, changes, check=check_link, expected_version=expected_version)
