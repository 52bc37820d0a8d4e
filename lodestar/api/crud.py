"""The uniform endpoints of every entity (NetBox style): list with filters and
pagination, read, create, update (PATCH) and delete, all through the permission layer
and the services.

An `Entity` says how one model is seen and written; `register` turns it into endpoints:

    GET    /<path>/        list (filters, after/limit)       view, rows filtered
    POST   /<path>/        create                             add on the parent
    GET    /<path>/{id}    read                               view, else 404
    PATCH  /<path>/{id}    update the fields sent             change
    DELETE /<path>/{id}    delete                             delete
    GET    /<path>/{id}/history   every change, newest first  view, else 404

A versioned object is read with `ETag: "<version>"`; a PATCH with `If-Match: "<version>"`
is refused with 412 when the object changed since (naming who changed it, and when).
Without If-Match the PATCH is saved whatever the version.
"""

import re
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import PaginationBase, paginate
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from lodestar.api.enums import ChangeAction
from lodestar.audit.history import action_of, changes_of, entries_of
from lodestar.org.models import Person
from lodestar.org.permissions import Action, can, require
from lodestar.org.reader import Reader
from lodestar.validation import (
    MAX_ID,
    NUMBER_LIMIT,
    check_id,
    check_number,
    check_text,
    is_versioned,
)

Version = Annotated[int, Field(description='Counts edits; a read sends it as ETag: "<version>".')]


def schema_check(check: Callable[[Any], Any]) -> AfterValidator:
    """One of lodestar.validation's checks as a schema validator: its domain message,
    without pydantic's "Value error, " in front."""

    def run(value: Any) -> Any:
        try:
            return check(value)
        except ValidationError as error:
            raise PydanticCustomError("bound", error.messages[0]) from error

    return AfterValidator(run)


# The bound of lodestar.validation, stated in the OpenAPI document as well.
Id = Annotated[
    int, Field(json_schema_extra={"minimum": 1, "maximum": MAX_ID}), schema_check(check_id)
]
Number = Annotated[
    float,
    Field(json_schema_extra={"minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT}),
    schema_check(check_number),
]
Weight = Annotated[Number, Field(ge=0)]


def in_utc(moment: datetime) -> datetime:
    """Any offset Python allows (up to ±23:59) as UTC: PostgreSQL takes at most ±15:59."""
    if moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(UTC)
    except OverflowError as error:  # year 1 or 9999 moved past the calendar's edge
        raise PydanticCustomError(
            "bound", "Must be a date and time between years 1 and 9999."
        ) from error


# Dates are written out: pydantic would also read a number (or `true`) as seconds since
# 1970 (`?since=0.5`), which the document's `format: date-time` / `date` does not allow.
WRITTEN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def written(what: str, example: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        if isinstance(value, date) or (isinstance(value, str) and WRITTEN_DATE.match(value)):
            return value
        raise PydanticCustomError("written_date", f"Must be {what} written like {example}.")

    return BeforeValidator(check)


Moment = Annotated[
    datetime, written("a date and time", "2026-11-22T10:00:00Z"), AfterValidator(in_utc)
]
Day = Annotated[date, written("a date", "2026-11-22")]


def Text(max_length: int | None = None) -> Any:
    """The type of a text input (named like a type, since it is used as one)."""
    return Annotated[str, Field(max_length=max_length), schema_check(check_text)]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# A PATCH whose If-Match names a version that is no longer the stored one.
STALE = {412: ErrorOut}


class ActorOut(Schema):
    id: int
    name: str


# The history keeps a model's field names; where the API names the field otherwise (an
# initiative's strategic objectives are its `objectives`), it says the API's name.
API_NAMES = {"strategic_objectives": "objectives"}


class ChangeOut(Schema):
    """One entry of an object's history; `changes` maps each field to [before, after]
    (ids for related objects; for a many-to-many field the objects removed before,
    the objects added after)."""

    at: datetime
    actor: ActorOut | None = Field(description="Null: the installation itself.")
    action: ChangeAction
    changes: dict[str, list[Any]]

    @staticmethod
    def resolve_at(entry) -> datetime:
        return entry.timestamp

    @staticmethod
    def resolve_actor(entry) -> dict | None:
        return {"id": entry.actor_id, "name": str(entry.actor)} if entry.actor else None

    @staticmethod
    def resolve_action(entry) -> str:
        return action_of(entry)

    @staticmethod
    def resolve_changes(entry) -> dict:
        return {API_NAMES.get(name, name): change for name, change in changes_of(entry).items()}


class Pagination(PaginationBase):
    """Keyset pagination by id: `?after=<id>&limit=50` reads one index range, so a page
    costs the same on the first row as on the millionth, and nothing counts the table.
    `next` is the `after` of the following page (null on the last one).
    `offset` is the slow, older way and the only one that also counts every row."""

    newest_first = False  # ids descending, `after` then means "older than"

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        after: int | None = Field(None, ge=0, le=MAX_ID, description="The last id seen.")
        offset: int | None = Field(None, ge=0, le=MAX_ID, description="Slow: prefer `after`.")

    class Output(Schema):
        items: list[Any]
        next: int | None = Field(description="Pass as `after` for the next page.")
        count: int | None = Field(description="Every matching row; only with `offset`.")

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        queryset = queryset.order_by("-pk" if self.newest_first else "pk")
        limit = pagination.limit
        if pagination.offset is not None:
            start = pagination.offset
            rows = list(queryset[start : start + limit + 1])
            count = queryset.count()
        else:
            if pagination.after is not None:
                beyond = "pk__lt" if self.newest_first else "pk__gt"
                queryset = queryset.filter(**{beyond: pagination.after})
            rows, count = list(queryset[: limit + 1]), None
        more = len(rows) > limit
        rows = rows[:limit]
        return {"items": rows, "next": rows[-1].pk if more else None, "count": count}


class NewestFirstPagination(Pagination):
    newest_first = True


def etag(obj: models.Model) -> str:
    return f'"{obj.version}"'


def if_match_version(request: HttpRequest) -> int | None:
    """The version an If-Match header names (`"3"`, or weak `W/"3"`); None without one
    or for `*`. A header naming no version can match none: -1, refused as stale."""
    header = request.headers.get("If-Match", "").strip()
    if header in ("", "*"):
        return None
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    return int(tag) if tag.isdigit() and len(tag) < 16 else -1


def resolve(
    model: type[models.Model],
    person: Person,
    data: dict,
    refs: dict[str, type[models.Model]] | None = None,
) -> dict:
    """Turn the ids in a payload into the objects they name; an unknown id, or one the
    caller may not see, is an error on that field. `refs` names the payload's ids that
    are not fields of the model (e.g. the objective a new key result goes into); other
    names that are not fields (e.g. a new key result's weight in its objective) pass as
    they are, for the service to take."""
    refs = refs or {}
    fields = {}
    for name, value in data.items():
        if name in refs:
            related = refs[name]
        else:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            related = field.related_model if field is not None and field.is_relation else None
        if related is None or value is None:
            fields[name] = value
            continue
        many = isinstance(value, list)
        ids = set(value) if many else {value}
        found = {o.pk: o for o in related.objects.filter(pk__in=ids)}
        missing = sorted(i for i in ids if i not in found or not can(person, Action.VIEW, found[i]))
        if missing:
            label = related._meta.verbose_name
            raise ValidationError({name: [f"No {label} with id {i}." for i in missing]})
        fields[name] = [found[i] for i in value] if many else found[value]
    return fields


@dataclass
class Entity:
    model: type[models.Model]
    path: str
    out: type[Schema]
    filters: type[FilterSchema]
    # Rows the person may see, with what the output needs joined in (no N+1).
    visible: Callable[[Person], models.QuerySet]
    create_in: type[Schema] | None = None
    update_in: type[Schema] | None = None
    # Each checks the permission for its write and calls the service. A create may
    # answer (object, created): False means it replaced a stored row (200, not 201).
    create: Callable[[Person, dict], models.Model | tuple[models.Model, bool]] | None = None
    update: Callable[[Person, models.Model, dict], models.Model] | None = None
    delete: Callable[[Person, models.Model], None] | None = None
    refs: dict[str, type[models.Model]] | None = None
    # A create that is one service call, whose output needs nothing joined and which
    # whoever may create it may see (a check-in): no outer transaction around the
    # service's own (the payload's ids are only read before it: a savepoint's two round
    # trips saved), and the answer is the object the service returned, not read again.
    plain_create: bool = False
    # What the document says beyond the common text, by operation: "list", "read",
    # "create", "update", "delete" (e.g. how a key result of each kind is written).
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The model's name in snake case (key_result), the stem of its operation ids,
        hence of a generated client's function names."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.model.__name__).lower()

    @property
    def versioned(self) -> bool:
        return is_versioned(self.model)

    def get(self, person: Person, pk: int) -> models.Model:
        """The one loader's answer (`Reader.load`) on the rows this entity shows."""
        return Reader.for_person(person).load(self.visible(person), pk)


READ_TAG = ' Answers with `ETag: "<version>"`, the version an update may name in `If-Match`.'


def describe(entity: Entity, operation: str, common: str) -> str:
    note = entity.notes.get(operation, "")
    return f"{common}\n\n{note}" if note else common


def register(router: Router, entity: Entity) -> None:
    Out, Filters, label = entity.out, entity.filters, entity.model._meta.verbose_name
    tags = [entity.path]
    etag_note = READ_TAG if entity.versioned else ""

    @router.get(
        f"/{entity.path}/",
        response={200: list[Out], **ERRORS},
        operation_id=f"{entity.name}_list",
        summary=f"List {label}s",
        description=describe(
            entity,
            "list",
            f"The {label}s the caller may see, oldest first, narrowed by the filters. "
            "Paged by id: pass the answer's `next` as `after` for the following page.",
        ),
        tags=tags,
    )
    @paginate(Pagination)
    def list_view(request: HttpRequest, filters: Query[Filters]):
        return filters.filter(entity.visible(request.auth))

    @router.get(
        f"/{entity.path}/{{id}}",
        response={200: Out, **ERRORS},
        operation_id=f"{entity.name}_read",
        summary=f"Read a {label}",
        description=describe(
            entity,
            "read",
            f"One {label} by id; 404 when there is none or the caller may not see it." + etag_note,
        ),
        tags=tags,
    )
    def read_view(request: HttpRequest, id: Id, response: HttpResponse):
        obj = entity.get(request.auth, id)
        if entity.versioned:
            response["ETag"] = etag(obj)
        return obj

    @router.get(
        f"/{entity.path}/{{id}}/history",
        response={200: list[ChangeOut], **ERRORS},
        operation_id=f"{entity.name}_history",
        summary=f"History of a {label}",
        description="Every change, newest first: when, who, and each field before → after; "
        f"404 when the caller may not see the {label}.",
        tags=tags,
    )
    @paginate(NewestFirstPagination)
    def history_view(request: HttpRequest, id: Id):
        return entries_of(entity.get(request.auth, id))

    if entity.create is not None:
        Create = entity.create_in

        @router.post(
            f"/{entity.path}/",
            response={200: Out, 201: Out, **ERRORS},
            operation_id=f"{entity.name}_create",
            summary=f"Create a {label}",
            description=describe(
                entity,
                "create",
                f"Answers 201 with the new {label}. Ids that name nothing the caller may "
                "see, and values the rules refuse, are 400 with the field; 403 when the "
                "caller may not add it there; 409 when it conflicts with stored data.",
            ),
            tags=tags,
        )
        def create_view(request: HttpRequest, payload: Create):
            person = request.auth
            with nullcontext() if entity.plain_create else transaction.atomic():
                fields = resolve(
                    entity.model, person, payload.model_dump(exclude_unset=True), entity.refs
                )
                created = entity.create(person, fields)
            obj, is_new = created if isinstance(created, tuple) else (created, True)
            shown = obj if entity.plain_create else entity.get(person, obj.pk)
            return Status(201 if is_new else 200, shown)

    if entity.update is not None:
        Update = entity.update_in

        @router.patch(
            f"/{entity.path}/{{id}}",
            response={200: Out, **ERRORS, **(STALE if entity.versioned else {})},
            operation_id=f"{entity.name}_update",
            summary=f"Update a {label}",
            description=describe(
                entity,
                "update",
                "Changes the fields sent, no others. "
                + (
                    'Send `If-Match: "<version>"` (the ETag of the read) to be refused with '
                    "412 when someone changed it since; without it the update is saved "
                    "regardless."
                    if entity.versioned
                    else ""
                ),
            ),
            tags=tags,
        )
        def update_view(request: HttpRequest, id: Id, payload: Update, response: HttpResponse):
            person = request.auth
            with transaction.atomic():
                obj = entity.get(person, id)
                require(person, Action.CHANGE, obj)
                fields = resolve(
                    entity.model, person, payload.model_dump(exclude_unset=True), entity.refs
                )
                expected = if_match_version(request) if entity.versioned else None
                if expected is not None:
                    fields["expected_version"] = expected
                entity.update(person, obj, fields)
            updated = entity.get(person, id)
            if entity.versioned:
                response["ETag"] = etag(updated)
            return updated

    if entity.delete is not None:

        @router.delete(
            f"/{entity.path}/{{id}}",
            response={204: None, **ERRORS},
            operation_id=f"{entity.name}_delete",
            summary=f"Delete a {label}",
            description=describe(
                entity,
                "delete",
                f"Answers 204 once the {label} is gone; 403 when the caller may not delete it.",
            ),
            tags=tags,
        )
        def delete_view(request: HttpRequest, id: Id):
            person = request.auth
            with transaction.atomic():
                obj = entity.get(person, id)
                require(person, Action.DELETE, obj)
                entity.delete(person, obj)
            return Status(204, None)
