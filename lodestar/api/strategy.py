"""The Balanced Scorecard: scorecards, perspectives, themes, strategic objectives,
cause-effect links, measures, measure values and initiatives."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from ninja import FilterLookup, FilterSchema, Router, Schema
from pydantic import Field

from lodestar import scoring
from lodestar.api.crud import ERRORS, Day, Entity, Id, Number, Text, Version, Weight, register
from lodestar.api.enums import (
    Colour,
    Direction,
    EnteredVia,
    Frequency,
    InitiativeStatus,
    ValuesFrom,
)
from lodestar.org.models import Person
from lodestar.org.reader import Reader
from lodestar.scores.words import execution_colour_of, performance_colour_of
from lodestar.scoring.periods import period_start
from lodestar.strategy import services
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

router = Router()

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
PERFORMANCE_COLOUR = "By the strategy (roll-up) bands: red < 0.7 ≤ yellow < 0.9 ≤ green by default."
EXECUTION_COLOUR = (
    "Execution is an average of OKR scores: by the OKR bands, red < 0.4 ≤ yellow < 0.7 ≤ "
    "green by default."
)


# Scorecards ---------------------------------------------------------------------------
class ScorecardOut(Schema):
    id: int
    version: Version
    unit: int = Field(validation_alias="unit_id")
    name: str
    period_start: date
    period_end: date
    score: float | None
    execution: float | None
    colour: Colour
    published_at: datetime | None = Field(
        description="When it was published; null: a draft, seen only by its maker and the "
        "strategy office, never the company's scorecard."
    )
    notes_when_it_matters: bool

    @staticmethod
    def resolve_colour(obj: Scorecard) -> str:
        return performance_colour_of(obj.score)


class ScorecardIn(Schema):
    unit: Id
    name: Text(200)
    period_start: Day
    period_end: Day
    perspectives: list[Text(100)] = Field(
        default=list(services.DEFAULT_PERSPECTIVES), max_length=12
    )
    draft: bool = Field(
        default=False,
        description="A draft, seen only by its maker and the strategy office until published.",
    )
    notes_when_it_matters: bool = Field(
        default=False,
        description="A value that turns a measure red, or a check-in that drops a key result "
        "to at risk, must carry a short note (a data source's is kept and owes it).",
    )


class ScorecardPatch(Schema):
    name: Text(200) = None
    period_start: Day = None
    period_end: Day = None
    notes_when_it_matters: bool = None


class ScorecardFilters(FilterSchema):
    unit: Annotated[Id | None, FilterLookup("unit_id")] = None


def create_scorecard(person: Person, fields: dict) -> Scorecard:
    return services.scorecard_create(acting=person, **fields)


def seen(person: Person, model):
    """What the person's lists show: a draft scorecard and all in it only to its maker
    and the strategy office (org.rules)."""
    return Reader.for_person(person).visible(model)


scorecards = Entity(
    model=Scorecard,
    path="scorecards",
    out=ScorecardOut,
    filters=ScorecardFilters,
    visible=lambda person: seen(person, Scorecard),
    create_in=ScorecardIn,
    update_in=ScorecardPatch,
    create=create_scorecard,
    update=lambda person, scorecard, fields: services.scorecard_update(
        acting=person, scorecard=scorecard, **fields
    ),
    delete=lambda person, item: services.scorecard_delete(acting=person, scorecard=item),
    refs={"perspectives": None},
)
register(router, scorecards)


@router.post(
    "/scorecards/{id}/publish",
    response={200: ScorecardOut, **ERRORS},
    operation_id="scorecard_publish",
    summary="Publish a draft scorecard: everyone sees it, and it may become the company's",
    tags=["scorecards"],
)
def publish_scorecard(request: HttpRequest, id: Id):
    """A draft (`published_at` null) is seen only by its maker and the strategy office, and is
    never the company's scorecard; publishing shows it to everyone. Publishing a published
    scorecard changes nothing."""
    scorecard = scorecards.get(request.auth, id)
    return services.scorecard_publish(acting=request.auth, scorecard=scorecard)


# Perspectives -------------------------------------------------------------------------
class PerspectiveOut(Schema):
    id: int
    version: Version
    scorecard: int = Field(validation_alias="scorecard_id")
    name: str
    position: int
    weight: float
    score: float | None
    execution: float | None
    colour: Colour

    @staticmethod
    def resolve_colour(obj: Perspective) -> str:
        return performance_colour_of(obj.score)


class PerspectiveIn(Schema):
    scorecard: Id
    name: Text(100)
    position: int | None = Field(None, ge=0, le=32767)
    weight: Weight = 1.0


class PerspectivePatch(Schema):
    name: Text(100) = None
    position: int = Field(None, ge=0, le=32767)
    weight: Weight = None


class ScorecardItemFilters(FilterSchema):
    scorecard: Annotated[Id | None, FilterLookup("scorecard_id")] = None


def create_perspective(person: Person, fields: dict) -> Perspective:
    return services.perspective_create(acting=person, **fields)


register(
    router,
    Entity(
        model=Perspective,
        path="perspectives",
        out=PerspectiveOut,
        filters=ScorecardItemFilters,
        visible=lambda person: seen(person, Perspective).select_related("scorecard"),
        create_in=PerspectiveIn,
        update_in=PerspectivePatch,
        create=create_perspective,
        update=lambda person, perspective, fields: services.perspective_update(
            acting=person, perspective=perspective, **fields
        ),
        delete=lambda person, item: services.perspective_delete(acting=person, perspective=item),
    ),
)


# Themes -------------------------------------------------------------------------------
class ThemeOut(Schema):
    id: int
    version: Version
    scorecard: int = Field(validation_alias="scorecard_id")
    name: str
    description: str


class ThemeIn(Schema):
    scorecard: Id
    name: Text(100)
    description: Text() = ""


class ThemePatch(Schema):
    name: Text(100) = None
    description: Text() = None


def create_theme(person: Person, fields: dict) -> Theme:
    return services.theme_create(acting=person, **fields)


register(
    router,
    Entity(
        model=Theme,
        path="themes",
        out=ThemeOut,
        filters=ScorecardItemFilters,
        visible=lambda person: seen(person, Theme).select_related("scorecard"),
        create_in=ThemeIn,
        update_in=ThemePatch,
        create=create_theme,
        update=lambda person, theme, fields: services.theme_update(
            acting=person, theme=theme, **fields
        ),
        delete=lambda person, item: services.theme_delete(acting=person, theme=item),
    ),
)


# Strategic objectives -----------------------------------------------------------------
class StrategicObjectiveOut(Schema):
    id: int
    version: Version
    scorecard: int = Field(validation_alias="scorecard_id")
    perspective: int = Field(validation_alias="perspective_id")
    code: str
    name: str
    description: str
    owner: int | None = Field(validation_alias="owner_id")
    weight: float
    parent: int | None = Field(validation_alias="parent_id")
    themes: list[int]
    performance: float | None
    execution: float | None
    performance_colour: Colour = Field(description=PERFORMANCE_COLOUR)
    execution_colour: Colour = Field(description=EXECUTION_COLOUR)
    divergence: float | None = Field(description="execution − performance")

    @staticmethod
    def resolve_themes(obj: StrategicObjective) -> list[int]:
        return [theme.pk for theme in obj.themes.all()]

    @staticmethod
    def resolve_performance_colour(obj: StrategicObjective) -> str:
        return performance_colour_of(obj.performance)

    @staticmethod
    def resolve_execution_colour(obj: StrategicObjective) -> str:
        return execution_colour_of(obj.execution)

    @staticmethod
    def resolve_divergence(obj: StrategicObjective) -> float | None:
        return scoring.divergence(obj.performance, obj.execution)


class StrategicObjectiveIn(Schema):
    scorecard: Id
    perspective: Id
    name: Text(200)
    code: Text(20) = ""
    description: Text() = ""
    owner: Id | None = None
    weight: Weight = 1.0
    parent: Id | None = None
    themes: list[Id] = Field(default_factory=list, max_length=100)


class StrategicObjectivePatch(Schema):
    perspective: Id = None
    name: Text(200) = None
    code: Text(20) = None
    description: Text() = None
    owner: Id | None = None
    weight: Weight = None
    parent: Id | None = None
    themes: list[Id] = Field(None, max_length=100)


class StrategicObjectiveFilters(FilterSchema):
    scorecard: Annotated[Id | None, FilterLookup("scorecard_id")] = None
    unit: Annotated[Id | None, FilterLookup("scorecard__unit_id")] = None
    perspective: Annotated[Id | None, FilterLookup("perspective_id")] = None
    owner: Annotated[Id | None, FilterLookup("owner_id")] = None


def create_strategic_objective(person: Person, fields: dict) -> StrategicObjective:
    return services.strategic_objective_create(acting=person, **fields)


def change_strategic_objective(person: Person, objective, fields: dict) -> StrategicObjective:
    return services.strategic_objective_update(acting=person, objective=objective, **fields)


register(
    router,
    Entity(
        model=StrategicObjective,
        path="strategic-objectives",
        out=StrategicObjectiveOut,
        filters=StrategicObjectiveFilters,
        visible=lambda person: (
            seen(person, StrategicObjective)
            .select_related("scorecard", "perspective")
            .prefetch_related("themes")
        ),
        create_in=StrategicObjectiveIn,
        update_in=StrategicObjectivePatch,
        create=create_strategic_objective,
        update=change_strategic_objective,
        delete=lambda person, item: services.strategic_objective_delete(
            acting=person, objective=item
        ),
    ),
)


# Cause-effect links -------------------------------------------------------------------
class LinkOut(Schema):
    id: int
    version: Version
    cause: int = Field(validation_alias="cause_id")
    effect: int = Field(validation_alias="effect_id")
    hypothesis: str


class LinkIn(Schema):
    cause: Id
    effect: Id
    hypothesis: Text() = ""


class LinkPatch(Schema):
    hypothesis: Text() = None


class LinkFilters(FilterSchema):
    scorecard: Annotated[Id | None, FilterLookup("cause__scorecard_id")] = None
    cause: Annotated[Id | None, FilterLookup("cause_id")] = None
    effect: Annotated[Id | None, FilterLookup("effect_id")] = None


def create_link(person: Person, fields: dict) -> CauseEffectLink:
    return services.link_create(acting=person, **fields)


register(
    router,
    Entity(
        model=CauseEffectLink,
        path="links",
        out=LinkOut,
        filters=LinkFilters,
        visible=lambda person: seen(person, CauseEffectLink).select_related("cause__scorecard"),
        create_in=LinkIn,
        update_in=LinkPatch,
        create=create_link,
        update=lambda person, link, fields: services.link_update(
            acting=person, link=link, **fields
        ),
        delete=lambda person, item: services.link_delete(acting=person, link=item),
    ),
)


# Measures -----------------------------------------------------------------------------
class MeasureOut(Schema):
    id: int
    version: Version
    objective: int = Field(validation_alias="objective_id")
    name: str
    unit_of_measure: str
    direction: Direction
    baseline: float
    target: float = Field(description="The final target, due by the scorecard's end.")
    period_target: float | None = Field(
        description="The target `status` was judged against: the latest value's period "
        "target (the period's plan, else `target`); null while there is no value."
    )
    upper: float | None
    warning: float | None
    frequency: Frequency
    leading: bool
    owner: int | None = Field(validation_alias="owner_id")
    weight: float
    performance: float | None
    status: Colour
    values_from: ValuesFrom
    formula: str = Field(description="For a calculated measure, e.g. `[M12] + [M13]`.")

    @staticmethod
    def resolve_period_target(measure: Measure) -> float | None:
        if not hasattr(measure, "latest_period"):  # a measure just written, not listed
            measure = with_latest_target(Measure.objects.filter(pk=measure.pk)).get()
        if measure.latest_period is None:
            return None
        return scoring.period_target(measure.latest_target, measure.target)


def with_latest_target(measures):
    """Measures with their latest value's period and stored target (one query)."""
    latest = MeasureValue.objects.filter(measure=OuterRef("pk")).order_by("-period")
    return measures.annotate(
        latest_period=Subquery(latest.values("period")[:1]),
        latest_target=Subquery(latest.values("target")[:1]),
    )


class MeasureIn(Schema):
    objective: Id
    name: Text(200)
    unit_of_measure: Text(30) = ""
    direction: Direction = Measure.Direction.HIGHER
    baseline: Number
    target: Number
    upper: Number | None = None
    warning: Number | None = None
    frequency: Frequency = Measure.Frequency.MONTHLY
    leading: bool = False
    owner: Id | None = None
    weight: Weight = 1.0
    values_from: ValuesFrom = Measure.ValuesFrom.PEOPLE
    formula: Text(500) = ""


class MeasurePatch(Schema):
    name: Text(200) = None
    unit_of_measure: Text(30) = None
    direction: Direction = None
    baseline: Number = None
    target: Number = None
    upper: Number | None = None
    warning: Number | None = None
    frequency: Frequency = None
    leading: bool = None
    owner: Id | None = None
    weight: Weight = None
    values_from: ValuesFrom = None
    formula: Text(500) = None


class MeasureFilters(FilterSchema):
    objective: Annotated[Id | None, FilterLookup("objective_id")] = None
    scorecard: Annotated[Id | None, FilterLookup("objective__scorecard_id")] = None
    perspective: Annotated[Id | None, FilterLookup("objective__perspective_id")] = None
    owner: Annotated[Id | None, FilterLookup("owner_id")] = None
    status: Colour | None = None


def create_measure(person: Person, fields: dict) -> Measure:
    return services.measure_create(acting=person, **fields)


register(
    router,
    Entity(
        model=Measure,
        path="measures",
        notes={
            "create": "`direction`: higher (from baseline up to target), lower (a decrease: "
            "baseline above target, e.g. 8 → 5) or range (inside target…upper). "
            "`warning` is where yellow starts (default 70 % of the way).",
        },
        out=MeasureOut,
        filters=MeasureFilters,
        visible=lambda person: with_latest_target(
            seen(person, Measure).select_related("objective__scorecard")
        ),
        create_in=MeasureIn,
        update_in=MeasurePatch,
        create=create_measure,
        update=lambda person, measure, fields: services.measure_update(
            acting=person, measure=measure, **fields
        ),
        delete=lambda person, item: services.measure_delete(acting=person, measure=item),
    ),
)


# Measure values -----------------------------------------------------------------------
class MeasureValueOut(Schema):
    id: int
    measure: int = Field(validation_alias="measure_id")
    period: date = Field(description="First day of the measure's period.")
    actual: float
    target: float | None = Field(description="The period's plan; null: none, see `period_target`.")
    period_target: float = Field(
        description="The target this value is judged against: the period's plan when there "
        "is one, else the measure's final target (docs/scoring.md, \"A period's target\")."
    )
    comment: str
    author: int | None = Field(validation_alias="author_id")
    recorded_at: datetime
    entered_via: EnteredVia
    source: int | None = Field(validation_alias="source_id", description="The data source.")
    note_asked: str = Field(
        description="A note when it matters (docs/scoring.md): 'given' when this write "
        "turned its measure red with a note, 'owed' when an automatic one did so without; "
        "'' when not asked."
    )

    @staticmethod
    def resolve_period_target(value: MeasureValue) -> float:
        return scoring.period_target(value.target, value.measure.target)


class MeasureValueIn(Schema):
    measure: Id
    period: Day = Field(description="Any day of the period; stored as the period's first.")
    actual: Number
    target: Number | None = Field(None, description="Plans the period's target (for every path).")
    comment: Text() = ""


class MeasureValuePatch(Schema):
    actual: Number = None
    target: Number | None = None
    comment: Text() = None


class MeasureValueFilters(FilterSchema):
    measure: Annotated[Id | None, FilterLookup("measure_id")] = None
    period_from: Annotated[Day | None, FilterLookup("period__gte")] = None
    period_to: Annotated[Day | None, FilterLookup("period__lte")] = None


def record_value(person: Person, fields: dict) -> tuple[MeasureValue, bool]:
    """One value per period: posting for a period that has one replaces it, and the
    answer says so (200 for the replaced value, 201 for a new one)."""
    measure = fields["measure"]
    start = period_start(measure.frequency, fields["period"])
    existed = MeasureValue.objects.filter(measure=measure, period=start).exists()
    value = services.measure_value_record(acting=person, author=person, **fields)
    return value, not existed


def change_value(person: Person, value: MeasureValue, fields: dict) -> MeasureValue:
    """Recording again for the same period replaces the value (one per period)."""
    current = {"actual": value.actual, "target": value.target, "comment": value.comment}
    return services.measure_value_record(
        acting=person,
        measure=value.measure,
        period=value.period,
        author=person,
        **{**current, **fields},
    )


register(
    router,
    Entity(
        model=MeasureValue,
        path="measure-values",
        notes={
            "create": "One value per measure and period: `period` may be any day of it and "
            "is stored as the period's first. Posting for a period that already has a "
            "value replaces that value and answers **200** with it (same id); a new "
            "period answers **201**. Either way the measure and everything above it is "
            "rescored.",
        },
        out=MeasureValueOut,
        filters=MeasureValueFilters,
        visible=lambda person: seen(person, MeasureValue).select_related(
            "measure__objective__scorecard"
        ),
        create_in=MeasureValueIn,
        update_in=MeasureValuePatch,
        create=record_value,
        update=change_value,
        delete=lambda person, item: services.measure_value_delete(acting=person, value=item),
    ),
)


# Initiatives --------------------------------------------------------------------------
class InitiativeOut(Schema):
    id: int
    version: Version
    name: str
    objectives: list[int]
    owner: int | None = Field(validation_alias="owner_id")
    start: date | None
    end: date | None
    budget: float
    spent: float
    status: InitiativeStatus
    percent_complete: int
    earned_value: float
    cost_variance: float

    @staticmethod
    def resolve_objectives(obj: Initiative) -> list[int]:
        return [objective.pk for objective in obj.strategic_objectives.all()]

    @staticmethod
    def resolve_earned_value(obj: Initiative) -> float:
        return scoring.earned_value(budget=float(obj.budget), percent_complete=obj.percent_complete)

    @staticmethod
    def resolve_cost_variance(obj: Initiative) -> float:
        return scoring.cost_variance(
            budget=float(obj.budget), percent_complete=obj.percent_complete, spent=float(obj.spent)
        )


class InitiativeIn(Schema):
    name: Text(200)
    objectives: list[Id] = Field(min_length=1, max_length=100)
    owner: Id | None = None
    start: date | None = None
    end: date | None = None
    budget: Money = Decimal(0)
    spent: Money = Decimal(0)
    status: InitiativeStatus = Initiative.Status.PLANNED
    percent_complete: int = Field(0, ge=0, le=100)


class InitiativePatch(Schema):
    name: Text(200) = None
    objectives: list[Id] = Field(None, min_length=1, max_length=100)
    owner: Id | None = None
    start: date | None = None
    end: date | None = None
    budget: Money = None
    spent: Money = None
    status: InitiativeStatus = None
    percent_complete: int = Field(None, ge=0, le=100)


class InitiativeFilters(FilterSchema):
    owner: Annotated[Id | None, FilterLookup("owner_id")] = None
    status: InitiativeStatus | None = None
    objective: Annotated[Id | None, FilterLookup("strategic_objectives__id")] = None


def initiative_fields(fields: dict) -> dict:
    """The API calls an initiative's strategic objectives `objectives`."""
    fields = dict(fields)
    if "objectives" in fields:
        fields["strategic_objectives"] = fields.pop("objectives")
    return fields


def create_initiative(person: Person, fields: dict) -> Initiative:
    return services.initiative_create(acting=person, **initiative_fields(fields))


def change_initiative(person: Person, initiative: Initiative, fields: dict) -> Initiative:
    return services.initiative_update(
        acting=person, initiative=initiative, **initiative_fields(fields)
    )


register(
    router,
    Entity(
        model=Initiative,
        path="initiatives",
        out=InitiativeOut,
        filters=InitiativeFilters,
        visible=lambda person: Initiative.objects.prefetch_related(
            "strategic_objectives"
        ).distinct(),
        create_in=InitiativeIn,
        update_in=InitiativePatch,
        create=create_initiative,
        update=change_initiative,
        delete=lambda person, item: services.initiative_delete(acting=person, initiative=item),
        refs={"objectives": StrategicObjective},
    ),
)
