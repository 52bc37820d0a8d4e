"""Data sources, their sync log, "sync now", pushed rows, and the plan of a measure.

Sources are the strategy office's and the admins' (the rule `may_data_source`);
plans follow the measure's own rights."""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from lodestar.api.crud import ERRORS, Day, Entity, Id, Number, Pagination, Text, register
from lodestar.api.enums import SourceFormat, SourceKind, SyncTrigger
from lodestar.org.models import Person
from lodestar.org.permissions import Action, can
from lodestar.org.reader import Reader
from lodestar.sources.models import DataSource
from lodestar.sources.services import data_source_create, data_source_delete, data_source_update
from lodestar.sources.sync import push_rows, sync_request
from lodestar.sources.tasks import sync_soon
from lodestar.strategy.models import Measure, MeasurePlan
from lodestar.strategy.services import measure_plan_delete, measure_plan_line, measure_plan_set

router = Router(tags=["sources"])


class SourceOut(Schema):
    id: int
    measure: int = Field(validation_alias="measure_id")
    name: str
    kind: SourceKind
    connection: str
    query: str
    url: str
    format: SourceFormat
    period_field: str
    value_field: str
    records_path: str
    token_env: str = Field(description="The environment variable's name; never the token.")
    interval_minutes: int
    active: bool
    next_sync_at: datetime | None
    last_sync_at: datetime | None
    last_error: str
    sync_requested_at: datetime | None = Field(
        description="When someone asked for a sync that no run has done yet; a worker "
        "(`lodestar worker`, the sync job) runs it next."
    )
    syncing: bool = Field(description="A worker is syncing it right now.")

    @staticmethod
    def resolve_syncing(obj: DataSource) -> bool:
        return obj.claimed_until is not None and obj.claimed_until > timezone.now()


class SourceIn(Schema):
    measure: Id
    name: Text(100)
    kind: SourceKind
    connection: Text(50) = ""
    query: Text(10_000) = ""
    url: Text(500) = ""
    format: SourceFormat = ""
    period_field: Text(200) = "period"
    value_field: Text(200) = "value"
    records_path: Text(200) = ""
    token_env: Text(100) = ""
    interval_minutes: int = Field(60, ge=1, le=60 * 24 * 366)
    active: bool = True


class SourcePatch(Schema):
    name: Text(100) = None
    connection: Text(50) = None
    query: Text(10_000) = None
    url: Text(500) = None
    format: SourceFormat = None
    period_field: Text(200) = None
    value_field: Text(200) = None
    records_path: Text(200) = None
    token_env: Text(100) = None
    interval_minutes: int = Field(None, ge=1, le=60 * 24 * 366)
    active: bool = None


class SourceFilters(FilterSchema):
    kind: SourceKind | None = None
    measure: Annotated[Id | None, FilterLookup("measure_id")] = None
    active: bool | None = None


def visible_sources(person: Person):
    if can(person, Action.VIEW, DataSource()):
        return DataSource.objects.all()
    return DataSource.objects.none()


sources = Entity(
    model=DataSource,
    path="sources",
    out=SourceOut,
    filters=SourceFilters,
    visible=visible_sources,
    create_in=SourceIn,
    update_in=SourcePatch,
    create=lambda person, fields: data_source_create(acting=person, **fields),
    update=lambda person, source, fields: data_source_update(
        acting=person, source=source, **fields
    ),
    delete=lambda person, source: data_source_delete(acting=person, source=source),
)
register(router, sources)


class RefusalOut(Schema):
    row: int
    period: str
    value: str
    reason: str


class RunOut(Schema):
    id: int
    source: int = Field(validation_alias="source_id")
    trigger: SyncTrigger
    started_at: datetime
    finished_at: datetime | None
    rows_accepted: int
    rows_refused: int
    refusals: list[RefusalOut]
    error: str
    ok: bool


@router.get(
    "/sources/{id}/runs",
    response={200: list[RunOut], **ERRORS},
    operation_id="source_runs",
    summary="The sync log of a source, newest first",
)
@paginate(Pagination)
def runs(request: HttpRequest, id: Id):
    """Each sync of the source: when, what started it, rows accepted and refused (each refusal
    with its row and reason), and the error if the sync failed."""
    return sources.get(request.auth, id).runs.all()


@router.post(
    "/sources/{id}/sync",
    response={202: SourceOut, **ERRORS},
    operation_id="source_sync",
    summary="Ask for a sync now; a worker runs it next (answers 202 with the source)",
)
def sync(request: HttpRequest, id: Id):
    """Enqueues a sync job for the workers (`lodestar worker`), this source first in line;
    no request waits on a slow query or server. The answer is the source with its
    `sync_requested_at`; the run appears in `/sources/{id}/runs` when it is done."""
    source = sync_request(acting=request.auth, source=sources.get(request.auth, id))
    sync_soon()
    return Status(202, source)


class PushedRow(Schema):
    period: Any = Field(description="A date (YYYY-MM-DD or YYYY-MM).")
    value: Any = Field(description="A number; anything else is refused for that row.")


class PushIn(Schema):
    rows: list[PushedRow] = Field(max_length=10_000)


@router.post(
    "/sources/{id}/push",
    response={200: RunOut, **ERRORS},
    operation_id="source_push",
    summary="Push rows to a push source; each row is checked and refused alone",
)
def push(request: HttpRequest, id: Id, payload: PushIn):
    """For a source of kind push: each row (a period and a number) becomes the measure's value
    for that period, or is refused alone with its reason; the answer is the run."""
    rows = [(row.period, row.value) for row in payload.rows]
    return push_rows(acting=request.auth, source=sources.get(request.auth, id), rows=rows)


# The plan of a measure ------------------------------------------------------------------
class PlanOut(Schema):
    id: int
    measure: int = Field(validation_alias="measure_id")
    period: date
    target: float


class PlanIn(Schema):
    period: Day = Field(description="Any day of the period; stored as the period's first.")
    target: Number


class PlanFilters(FilterSchema):
    period_from: Annotated[Day | None, FilterLookup("period__gte")] = None
    period_to: Annotated[Day | None, FilterLookup("period__lte")] = None


def measure_of(person: Person, id: int, action: Action) -> Measure:
    measures = Measure.objects.select_related("objective__scorecard")
    return Reader.for_person(person).load(measures, id, action)


@router.get(
    "/measures/{id}/plan",
    response={200: list[PlanOut], **ERRORS},
    operation_id="measure_plan",
    summary="The planned targets of a measure, by period",
)
@paginate(Pagination)
def plan(request: HttpRequest, id: Id, filters: Query[PlanFilters]):
    """The target planned for each period of the measure, oldest first, paged by id."""
    return filters.filter(measure_of(request.auth, id, Action.VIEW).plan.all())


@router.post(
    "/measures/{id}/plan",
    response={200: PlanOut, **ERRORS},
    operation_id="measure_plan_set",
    summary="Plan the target of one period (replaces that period's plan)",
)
def plan_set(request: HttpRequest, id: Id, payload: PlanIn):
    """Sets the target of the period `period` falls in; a plan for that period is replaced."""
    measure = measure_of(request.auth, id, Action.CHANGE)
    return measure_plan_set(acting=request.auth, measure=measure, **payload.model_dump())


@router.post(
    "/measures/{id}/plan/line",
    response={200: list[PlanOut], **ERRORS},
    operation_id="measure_plan_line",
    summary="Plan every period on a straight line from the baseline to the target",
)
def plan_line(request: HttpRequest, id: Id):
    """Plans every period of the scorecard's span on a straight line from the baseline (the
    first period's start) to the target (reached in the last period), replacing the plan there
    was."""
    measure = measure_of(request.auth, id, Action.CHANGE)
    return measure_plan_line(acting=request.auth, measure=measure)


@router.delete(
    "/measures/{id}/plan/{period}",
    response={204: None, **ERRORS},
    operation_id="measure_plan_delete",
    summary="Remove the plan of one period",
)
def plan_delete(request: HttpRequest, id: Id, period: Day):
    """`period` is the period's first day; 404 when that period has no plan."""
    measure = measure_of(request.auth, id, Action.CHANGE)
    row = MeasurePlan.objects.filter(measure=measure, period=period).first()
    if row is None:
        raise Http404
    measure_plan_delete(acting=request.auth, plan=row)
    return Status(204, None)
