"""OKRs: cycles, objectives, key results (with pace) and check-ins."""

from datetime import date, datetime
from typing import Annotated

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import FilterLookup, FilterSchema, Router, Schema, Status
from pydantic import Field

from lodestar.api.crud import (
    ERRORS,
    Day,
    Entity,
    Id,
    Moment,
    Number,
    Text,
    Version,
    Weight,
    register,
    resolve,
)
from lodestar.api.enums import (
    Colour,
    CycleState,
    KeyResultKind,
    ObjectiveKind,
    Outcome,
    Pace,
    Visibility,
)
from lodestar.okrs import closing, services
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.okrs.selectors import (
    objective_succeeded,
    visible_checkins,
    visible_key_results,
    visible_objectives,
)
from lodestar.org.models import Person
from lodestar.scores.pace import key_result_pace, objective_pace
from lodestar.scores.parameters import okr_bands
from lodestar.scores.words import key_result_colour_of, okr_colour_of
from lodestar.scoring import outcomes

router = Router()

Confidence = Annotated[int, Field(ge=0, le=10)]


def colour_filter(status: str | None) -> Q:
    """The rows whose score has this OKR colour (the bands are settings)."""
    bands = okr_bands()
    return {
        None: Q(),
        "grey": Q(score__isnull=True),
        "red": Q(score__lt=bands.red_below),
        "yellow": Q(score__gte=bands.red_below, score__lt=bands.green_from),
        "green": Q(score__gte=bands.green_from),
    }[status]


# Cycles -------------------------------------------------------------------------------
class CycleOut(Schema):
    id: int
    version: Version
    name: str
    start: date
    end: date
    state: CycleState
    early_activation_reason: str
    early_close_reason: str


class CycleProposalOut(Schema):
    name: str
    start: date
    end: date


class CycleStepIn(Schema):
    reason: Text() = Field("", description="Required when it happens before the cycle's date.")


class CarryOverIn(Schema):
    target: Id = Field(description="The cycle the copies go into.")
    objectives: list[Id] = Field(default_factory=list, max_length=500)
    key_results: list[Id] = Field(default_factory=list, max_length=500)


class CycleIn(Schema):
    name: Text(100)
    start: Day
    end: Day


class CyclePatch(Schema):
    name: Text(100) = None
    start: Day = None
    end: Day = None


class CycleFilters(FilterSchema):
    state: CycleState | None = None


def create_cycle(person: Person, fields: dict) -> Cycle:
    # Cycles open in planning; activating and closing are their own actions below.
    return services.cycle_create(acting=person, **fields)


cycles = Entity(
    model=Cycle,
    path="cycles",
    notes={
        "create": "A cycle opens in planning; activate and close it with their own operations.",
    },
    out=CycleOut,
    filters=CycleFilters,
    visible=lambda person: Cycle.objects.all(),
    create_in=CycleIn,
    update_in=CyclePatch,
    create=create_cycle,
    update=lambda person, cycle, fields: services.cycle_update(
        acting=person, cycle=cycle, **fields
    ),
    delete=lambda person, item: services.cycle_delete(acting=person, cycle=item),
)


# Before the entity's routes: "next" is not an id.
@router.get(
    "/cycles/next",
    response={200: CycleProposalOut, **ERRORS},
    operation_id="cycle_next",
    summary="The cycle proposed after the latest one (the following quarter)",
    tags=["cycles"],
)
def next_cycle(request: HttpRequest):
    """A proposal only (nothing is created): the quarter after the latest cycle. Create it with
    POST /cycles/."""
    return closing.next_cycle_proposal()


register(router, cycles)


# Objectives ---------------------------------------------------------------------------
class ObjectiveOut(Schema):
    id: int
    version: Version
    cycle: int = Field(validation_alias="cycle_id")
    title: str
    description: str
    unit: int | None = Field(validation_alias="unit_id")
    owner: int | None = Field(validation_alias="owner_id")
    parent: int | None = Field(validation_alias="parent_id")
    contributes_to: list[int]
    kind: ObjectiveKind
    visibility: Visibility
    weight: float
    score: float | None
    colour: Colour
    outcome: Outcome
    final_grade: float | None
    grade_reason: str
    retrospective: str
    carried_from: int | None = Field(validation_alias="carried_from_id")

    @staticmethod
    def resolve_contributes_to(obj: Objective) -> list[int]:
        return [strategic.pk for strategic in obj.contributes_to.all()]

    @staticmethod
    def resolve_outcome(obj: Objective) -> str:
        """The pages' word for it (scoring.outcomes): no verdict before the cycle closes."""
        cycle = obj.cycle
        running = cycle.state == Cycle.State.ACTIVE
        held = [(h.key_result, h.weight) for h in obj.holdings.all()] if running else []
        return outcomes.objective_outcome(
            cycle_state=cycle.state,
            graded=obj.final_grade is not None,
            succeeded=objective_succeeded(obj),
            pace=objective_pace(obj, held, cycle),
        )

    @staticmethod
    def resolve_colour(obj: Objective) -> str:
        return okr_colour_of(obj.score)


class ObjectiveIn(Schema):
    cycle: Id
    title: Text(300)
    description: Text() = ""
    unit: Id | None = None
    owner: Id | None = Field(None, description="Defaults to the caller; null for none.")
    parent: Id | None = None
    contributes_to: list[Id] = Field(default_factory=list, max_length=100)
    kind: ObjectiveKind = Objective.Kind.ASPIRATIONAL
    visibility: Visibility = Objective.Visibility.PUBLIC
    weight: Weight = 1.0


class ObjectivePatch(Schema):
    title: Text(300) = None
    description: Text() = None
    parent: Id | None = None
    contributes_to: list[Id] = Field(None, max_length=100)
    kind: ObjectiveKind = None
    visibility: Visibility = None
    weight: Weight = None
    final_grade: float | None = Field(None, ge=0, le=1)
    retrospective: Text() = None


class ObjectiveFilters(FilterSchema):
    cycle: Annotated[Id | None, FilterLookup("cycle_id")] = None
    unit: Annotated[Id | None, FilterLookup("unit_id")] = None
    owner: Annotated[Id | None, FilterLookup("owner_id")] = None
    kind: ObjectiveKind | None = None
    contributes_to: Annotated[Id | None, FilterLookup("contributes_to__id")] = None
    perspective: Annotated[Id | None, FilterLookup("contributes_to__perspective_id")] = None
    status: Colour | None = Field(None, description="OKR colour of the score.")

    def filter_status(self, value: str | None) -> Q:
        return colour_filter(value)


def create_objective(person: Person, fields: dict) -> Objective:
    fields.setdefault("owner", person)  # as a key result's: the caller unless named
    return services.objective_create(acting=person, **fields)


def visible_objective_rows(person: Person) -> QuerySet[Objective]:
    return (
        visible_objectives(person)
        .select_related("cycle")
        .prefetch_related(
            "contributes_to",
            Prefetch("holdings", ObjectiveKeyResult.objects.select_related("key_result")),
        )
        .distinct()
    )


objectives = Entity(
    model=Objective,
    path="objectives",
    notes={
        "create": "`owner` defaults to the caller, as a key result's does; send null for "
        "an objective without owner. `contributes_to` names the strategic objectives "
        "whose execution it counts in (public objectives only). Key results are added "
        "with POST /key-results/ (a new one) or POST /objectives/{id}/key-results (a "
        "shared one).",
    },
    out=ObjectiveOut,
    filters=ObjectiveFilters,
    visible=visible_objective_rows,
    create_in=ObjectiveIn,
    update_in=ObjectivePatch,
    create=create_objective,
    update=lambda person, objective, fields: services.objective_update(
        acting=person, objective=objective, **fields
    ),
    delete=lambda person, item: services.objective_delete(acting=person, objective=item),
)
register(router, objectives)


class GradeIn(Schema):
    final_grade: float | None = Field(ge=0, le=1, allow_inf_nan=False)
    retrospective: Text()
    grade_reason: Text() = Field("", description="Required when the grade is not the score.")


@router.post(
    "/objectives/{id}/grade",
    response={200: ObjectiveOut, **ERRORS},
    operation_id="objective_grade",
    summary="Grade an objective and write its retrospective (active or closed cycle)",
    tags=["objectives"],
)
def grade_objective(request: HttpRequest, id: Id, grade: GradeIn):
    """Sets the final grade (0-1, or null to clear it) and the retrospective. A grade other than
    the score needs `grade_reason`. Allowed while the cycle is active or closed, to whoever runs
    the cycle's review."""
    objective = objectives.get(request.auth, id)
    return services.objective_grade(acting=request.auth, objective=objective, **grade.model_dump())


# Key results --------------------------------------------------------------------------
class HoldingOut(Schema):
    objective: int = Field(validation_alias="objective_id")
    key_result: int = Field(validation_alias="key_result_id")
    weight: float


class KeyResultOut(Schema):
    id: int
    version: Version
    cycle: int = Field(validation_alias="cycle_id")
    title: str
    owner: int = Field(validation_alias="owner_id")
    kind: KeyResultKind
    baseline: float
    target: float
    current: float
    unit_label: str
    linked_measure: int | None = Field(validation_alias="linked_measure_id")
    latest_confidence: int | None
    last_checkin_at: datetime | None
    progress: float | None = Field(description="Raw progress; above 1 is over-achievement.")
    score: float | None = Field(description="Progress clamped to [0, 1].")
    colour: Colour = Field(description="OKR colour of the score; grey while not started.")
    pace: Pace = Field(
        description="Its word while the cycle runs, computed now (docs/scoring.md): by its "
        "forecast score once it has one (on_track from the green limit, at_risk when red, "
        "else behind), else against the elapsed share of the cycle; not_started until the "
        "first check-in or until the stale limit has passed since it started."
    )
    objectives: list[int]
    holdings: list[HoldingOut] = Field(description="The objectives holding it, with weights.")
    carried_from: int | None = Field(validation_alias="carried_from_id")

    @staticmethod
    def resolve_colour(obj: KeyResult) -> str:
        return key_result_colour_of(obj.score, key_result_pace(obj, obj.cycle))

    @staticmethod
    def resolve_pace(obj: KeyResult) -> str:
        return key_result_pace(obj, obj.cycle).value

    @staticmethod
    def resolve_objectives(obj: KeyResult) -> list[int]:
        return [holding.objective_id for holding in obj.holdings.all()]

    @staticmethod
    def resolve_holdings(obj: KeyResult) -> list[ObjectiveKeyResult]:
        return list(obj.holdings.all())


class KeyResultIn(Schema):
    objective: Id = Field(description="The objective that holds the new key result.")
    title: Text(300)
    owner: Id | None = Field(None, description="Defaults to the caller.")
    kind: KeyResultKind = KeyResult.Kind.METRIC
    baseline: Number = 0
    target: Number = 1
    current: Number | None = None
    unit_label: Text(30) = ""
    linked_measure: Id | None = None
    weight: Weight = Field(1.0, description="Its weight in the objective that holds it.")


class KeyResultPatch(Schema):
    title: Text(300) = None
    owner: Id = None
    kind: KeyResultKind = None
    baseline: Number = None
    target: Number = None
    unit_label: Text(30) = None
    linked_measure: Id | None = None


class KeyResultFilters(FilterSchema):
    cycle: Annotated[Id | None, FilterLookup("cycle_id")] = None
    owner: Annotated[Id | None, FilterLookup("owner_id")] = None
    objective: Annotated[Id | None, FilterLookup("holdings__objective_id")] = None
    unit: Annotated[Id | None, FilterLookup("holdings__objective__unit_id")] = None
    linked_measure: Annotated[Id | None, FilterLookup("linked_measure_id")] = None
    status: Colour | None = Field(None, description="OKR colour of the score.")

    def filter_status(self, value: str | None) -> Q:
        return colour_filter(value)


KEY_RESULT_WRITING = """The new key result goes into `objective` (with its `weight` there); `owner`
defaults to the caller. How each kind is written:

- a **metric** moves from `baseline` to `target`, either way. A decrease is a metric whose
  target is below its baseline: churn from 8 % down to 5 % is `{"kind": "metric",
  "baseline": 8, "target": 5}`; at 6.5 its progress is (6.5 − 8) / (5 − 8) = 0.5. A target
  equal to the baseline is refused.
- a **milestone** counts steps done: `{"kind": "milestone", "target": 1}` is done at 1
  (`current` 0.5 is a stated half); a target of 4 counts four deliverables, 100 takes
  percentages. The baseline is ignored; a zero target is refused.
- **stay_above** / **stay_below** score 1 while `current` is on the right side of `target`,
  else 0.

`current` starts at the baseline unless sent; after that it moves by check-ins."""


def create_key_result(person: Person, fields: dict) -> KeyResult:
    fields["owner"] = fields.get("owner") or person
    return services.key_result_create(acting=person, **fields)


def visible_key_result_rows(person: Person) -> QuerySet[KeyResult]:
    rows = visible_key_results(person).select_related("cycle").prefetch_related("holdings")
    return rows.distinct()


register(
    router,
    Entity(
        model=KeyResult,
        path="key-results",
        notes={
            "create": KEY_RESULT_WRITING,
            "update": "Changing `kind`, `baseline` or `target` rescores it at once. The "
            "current value is not changed here: post a check-in.",
        },
        out=KeyResultOut,
        filters=KeyResultFilters,
        visible=visible_key_result_rows,
        create_in=KeyResultIn,
        update_in=KeyResultPatch,
        create=create_key_result,
        update=lambda person, key_result, fields: services.key_result_update(
            acting=person, key_result=key_result, **fields
        ),
        delete=lambda person, item: services.key_result_delete(acting=person, key_result=item),
        refs={"objective": Objective},
    ),
)


# Holdings: a key result's place, with its weight, in each objective ------------------
class HoldIn(Schema):
    key_result: Id
    weight: Weight = 1.0


class HoldingPatch(Schema):
    weight: Weight


def holding_of(person: Person, objective_id: int, key_result_id: int) -> ObjectiveKeyResult:
    objective = objectives.get(person, objective_id)
    holding = objective.holdings.select_related("objective__cycle", "key_result").filter(
        key_result_id=key_result_id
    )
    found = holding.first()
    if found is None:
        raise Http404
    return found


@router.post(
    "/objectives/{id}/key-results",
    response={201: HoldingOut, **ERRORS},
    operation_id="objective_key_result_hold",
    summary="Share a key result with this objective (same cycle), with its weight here",
    tags=["objectives"],
)
def hold_key_result(request: HttpRequest, id: Id, payload: HoldIn):
    """The key result (of the same cycle) now counts in this objective too, with `weight` here;
    its weight in its other objectives is unchanged. 400 when it is already held here or belongs
    to another cycle. Holding it gives this objective's owner no right over it."""
    person = request.auth
    with transaction.atomic():
        objective = objectives.get(person, id)
        fields = resolve(
            KeyResult, person, {"key_result": payload.key_result}, {"key_result": KeyResult}
        )
        holding = services.key_result_hold(
            acting=person,
            objective=objective,
            key_result=fields["key_result"],
            weight=payload.weight,
        )
    return Status(201, holding)


@router.patch(
    "/objectives/{id}/key-results/{key_result_id}",
    response={200: HoldingOut, **ERRORS},
    operation_id="objective_key_result_weight",
    summary="Change the weight of a key result in this objective",
    tags=["objectives"],
)
def change_holding(request: HttpRequest, id: Id, key_result_id: Id, payload: HoldingPatch):
    """Weights are relative within the objective; the objective is rescored."""
    with transaction.atomic():
        holding = holding_of(request.auth, id, key_result_id)
        return services.holding_update(acting=request.auth, holding=holding, weight=payload.weight)


@router.delete(
    "/objectives/{id}/key-results/{key_result_id}",
    response={204: None, **ERRORS},
    operation_id="objective_key_result_release",
    summary="Take a shared key result out of this objective (not its last holder)",
    tags=["objectives"],
)
def release_holding(request: HttpRequest, id: Id, key_result_id: Id):
    """The key result leaves this objective (and its score); it stays in the others. The last
    objective holding it cannot release it: delete the key result instead."""
    with transaction.atomic():
        holding = holding_of(request.auth, id, key_result_id)
        services.key_result_release(acting=request.auth, holding=holding)
    return Status(204, None)


# Check-ins (append-only: no update, no delete) ----------------------------------------
class CheckInOut(Schema):
    id: int
    key_result: int = Field(validation_alias="key_result_id")
    value: float
    confidence: int
    note: str
    author: int | None = Field(validation_alias="author_id")
    created_at: datetime
    note_asked: str = Field(
        description="A note when it matters (docs/scoring.md): 'given' when this check-in "
        "dropped its key result to at risk with a note, 'owed' when an imported history "
        "did so without; '' when not asked."
    )


class CheckInIn(Schema):
    key_result: Id
    value: Number
    confidence: Confidence
    note: Text() = ""
    at: Moment | None = Field(
        None, description="When it happened (history): inside the cycle, not ahead; now if empty."
    )


class CheckInFilters(FilterSchema):
    key_result: Annotated[Id | None, FilterLookup("key_result_id")] = None
    author: Annotated[Id | None, FilterLookup("author_id")] = None
    cycle: Annotated[Id | None, FilterLookup("key_result__cycle_id")] = None
    since: Annotated[Moment | None, FilterLookup("created_at__gte")] = None


def create_checkin(person: Person, fields: dict) -> CheckIn:
    return services.checkin_create(acting=person, author=person, **fields)


register(
    router,
    Entity(
        model=CheckIn,
        path="checkins",
        notes={
            "create": "Sets the key result's current value and confidence (0-10; 0-3 reads "
            "at risk) and rescores it and every objective holding it; a linked measure "
            "gets the value as its actual for the period. `at` dates it in the past "
            "(inside the cycle, never ahead): one older than the latest check-in joins the "
            "history without moving the current value. Check-ins are never changed nor "
            "deleted."
        },
        out=CheckInOut,
        filters=CheckInFilters,
        visible=visible_checkins,
        create_in=CheckInIn,
        create=create_checkin,
        plain_create=True,  # its key result was found visible to the caller (resolve)
    ),
)


# The turn of a quarter ------------------------------------------------------------------
@router.post(
    "/cycles/{id}/activate",
    response={200: CycleOut, **ERRORS},
    operation_id="cycle_activate",
    summary="Activate a cycle (the running one closes); before its start, with a reason",
    tags=["cycles"],
)
def activate_cycle(request: HttpRequest, id: Id, step: CycleStepIn | None = None):
    """The cycle becomes the active one; the one that was active is closed. Activating before
    the cycle's start date needs a `reason`, recorded with it."""
    cycle = cycles.get(request.auth, id)
    reason = step.reason if step else ""
    return services.cycle_activate(acting=request.auth, cycle=cycle, reason=reason)


@router.post(
    "/cycles/{id}/close",
    response={200: CycleOut, **ERRORS},
    operation_id="cycle_close",
    summary="Close a cycle (objectives keep their score as final grade); early, with a reason",
    tags=["cycles"],
)
def close_cycle(request: HttpRequest, id: Id, step: CycleStepIn | None = None):
    """Objectives keep their score as their final grade. Closing before the cycle's end date
    needs a `reason`."""
    cycle = cycles.get(request.auth, id)
    reason = step.reason if step else ""
    return services.cycle_close(acting=request.auth, cycle=cycle, reason=reason)


@router.post(
    "/cycles/{id}/carry-over",
    response={200: list[ObjectiveOut], **ERRORS},
    operation_id="cycle_carry_over",
    summary="Carry chosen objectives and key results into another cycle (linked copies)",
    tags=["cycles"],
)
def carry_over(request: HttpRequest, id: Id, body: CarryOverIn):
    """Copies the chosen objectives (with their key results) and the chosen key results into the
    target cycle, each copy linked to its original (`carried_from`). Answers with the copied
    objectives; 404 when an id names nothing the caller may see."""
    person = request.auth
    source = cycles.get(person, id)
    target = cycles.get(person, body.target)
    chosen = [objectives.get(person, pk) for pk in body.objectives]
    chosen_key_results = list(visible_key_result_rows(person).filter(pk__in=body.key_results))
    if len(chosen_key_results) != len(set(body.key_results)):
        raise Http404
    copies = closing.cycle_carry_over(
        acting=person,
        source=source,
        target=target,
        objectives=chosen,
        key_results=chosen_key_results,
    )
    return visible_objective_rows(person).filter(pk__in=[c.pk for c in copies])
