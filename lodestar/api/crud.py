"""The uniform endpoints of every entity (NetBox style): list with filters and
pagination, read, create, update (PATCH) and delete, all through the permission layer
and the services.

An `Entity` says how one model is seen and written; `register` turns it into endpoints:

    GET    /<path>/        list (filters, after/limit)       view, rows filtered
    POST   /<path>/        create                             add on the parent
    GET    /<path>/{id}    read                               view, else 404
    PATCH  /<path>/{id}    update the fields sent             change
    DELETE /<path>/{id}    delete                             delete
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import PaginationBase, paginate
from pydantic import AfterValidator, Field

from lodestar.org.models import Person
from lodestar.org.permissions import Action, can

# Ids and numbers are bounded so that no input can overflow a database integer or turn
# a score into infinity; business figures stay far inside these limits.
MAX_ID = 2**53
LIMIT = 1e12

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Number = Annotated[float, Field(ge=-LIMIT, le=LIMIT, allow_inf_nan=False)]
Weight = Annotated[float, Field(ge=0, le=LIMIT, allow_inf_nan=False)]


def no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text; refuse it here, named by its field.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def Text(max_length: int | None = None) -> Any:
    """The type of a text input (named like a type, since it is used as one)."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(no_nul)]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


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


def require(person: Person, action: Action, obj: models.Model) -> None:
    if not can(person, action, obj):
        raise PermissionDenied(f"You may not {action.value.replace('_', ' ')} this.")


def resolve(
    model: type[models.Model],
    person: Person,
    data: dict,
    refs: dict[str, type[models.Model]] | None = None,
) -> dict:
    """Turn the ids in a payload into the objects they name; an unknown id, or one the
    caller may not see, is an error on that field. `refs` names the payload's ids that
    are not fields of the model (e.g. the objective a new key result goes into)."""
    refs = refs or {}
    fields = {}
    for name, value in data.items():
        if name in refs:
            related = refs[name]
        else:
            field = model._meta.get_field(name)
            related = field.related_model if field.is_relation else None
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
    # Each checks the permission for its write and calls the service.
    create: Callable[[Person, dict], models.Model] | None = None
    update: Callable[[Person, models.Model, dict], models.Model] | None = None
    delete: Callable[[Person, models.Model], None] | None = None
    refs: dict[str, type[models.Model]] | None = None

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    def get(self, person: Person, pk: int) -> models.Model:
        obj = self.visible(person).filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj


def register(router: Router, entity: Entity) -> None:
    Out, Filters, label = entity.out, entity.filters, entity.model._meta.verbose_name
    tags = [entity.path]

    @router.get(
        f"/{entity.path}/",
        response={200: list[Out], **ERRORS},
        operation_id=f"{entity.name}_list",
        summary=f"List {label}s",
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
        tags=tags,
    )
    def read_view(request: HttpRequest, id: Id):
        return entity.get(request.auth, id)

    if entity.create is not None:
        Create = entity.create_in

        @router.post(
            f"/{entity.path}/",
            response={201: Out, **ERRORS},
            operation_id=f"{entity.name}_create",
            summary=f"Create a {label}",
            tags=tags,
        )
        def create_view(request: HttpRequest, payload: Create):
            person = request.auth
            with transaction.atomic():
                fields = resolve(
                    entity.model, person, payload.model_dump(exclude_unset=True), entity.refs
                )
                created = entity.create(person, fields)
            return Status(201, entity.get(person, created.pk))

    if entity.update is not None:
        Update = entity.update_in

        @router.patch(
            f"/{entity.path}/{{id}}",
            response={200: Out, **ERRORS},
            operation_id=f"{entity.name}_update",
            summary=f"Update a {label}",
            tags=tags,
        )
        def update_view(request: HttpRequest, id: Id, payload: Update):
            person = request.auth
            with transaction.atomic():
                obj = entity.get(person, id)
                require(person, Action.CHANGE, obj)
                fields = resolve(
                    entity.model, person, payload.model_dump(exclude_unset=True), entity.refs
                )
                entity.update(person, obj, fields)
            return entity.get(person, id)

    if entity.delete is not None:

        @router.delete(
            f"/{entity.path}/{{id}}",
            response={204: None, **ERRORS},
            operation_id=f"{entity.name}_delete",
            summary=f"Delete a {label}",
            tags=tags,
        )
        def delete_view(request: HttpRequest, id: Id):
            person = request.auth
            with transaction.atomic():
                obj = entity.get(person, id)
                require(person, Action.DELETE, obj)
                entity.delete(person, obj)
            return Status(204, None)
