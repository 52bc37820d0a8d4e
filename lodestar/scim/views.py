"""/scim/v2/: provisioning by an identity provider (RFC 7643/7644), Users and Groups.

Every request carries a bearer token an admin made (`ScimClient`); bodies are read and
answers written with scim2-models, so the messages are the specification's and a body
with unknown or malformed attributes is refused with a SCIM error, never half-applied."""

import json
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError as BodyError
from scim2_models import (
    Context,
    Error,
    Group,
    ListResponse,
    PatchOp,
    ResponseParameters,
    SearchRequest,
    User,
)

from lodestar.api.services import LAST_USED_RESOLUTION, token_hash
from lodestar.audit.origin import acting_via
from lodestar.org.models import Person, Unit
from lodestar.scim import resources, schemas
from lodestar.scim.models import ScimClient, ScimIdentity
from lodestar.validation import parse_id

SCIM_JSON = "application/scim+json"
MAX_BODY = 1_000_000
# The filters identity providers send to find what they provisioned: attr eq "value".
EQUALS = re.compile(r'^\s*([A-Za-z.]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$')
USER_FILTERS = {
    "username": "username__iexact",
    "externalid": "externalid",
    "emails.value": "email__iexact",
    "emails": "email__iexact",
    "id": "pk",
}
GROUP_FILTERS = {"displayname": "name", "externalid": "externalid", "id": "pk"}


# Refusals that mean "another one already has it": 409 uniqueness, as SCIM words it.
TAKEN = {"unique", "one_company", "unit_name_unique_in_parent", "person_email_unique_ci"}


class ScimProblem(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def answer(data: dict | None, status: int = 200, location: str | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data) if data is not None else b"", status=status, content_type=SCIM_JSON
    )
    if location:
        response["Location"] = location
    return response


def error(problem: ScimProblem) -> HttpResponse:
    body = Error(status=problem.status, detail=problem.detail, scim_type=problem.scim_type)
    return answer(body.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), problem.status)


def authenticated(request: HttpRequest) -> ScimClient:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    client = None
    if scheme.lower() == "bearer" and secret.strip():
        client = ScimClient.objects.filter(
            hashed=token_hash(secret.strip()), revoked_at__isnull=True
        ).first()
    if client is None:
        raise ScimProblem(401, "A valid SCIM bearer token is required.")
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
        ScimClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def endpoint(view: Callable, *, reads_only: bool = False) -> Callable:
    @csrf_exempt
    def run(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            # The installation acts for this identity provider: its changes name it.
            request.scim_client = authenticated(request)
            acting_via(f"SCIM client {request.scim_client}")
            if reads_only and request.method not in ("GET", "HEAD"):
                raise method_not_allowed()
            return view(request, *args, **kwargs)
        except ScimProblem as problem:
            return error(problem)
        except BodyError as refused:
            return error(ScimProblem(400, worded(refused), "invalidValue"))
        except ValidationError as refused:
            return error(domain_refusal(refused))
        except ProtectedError:
            detail = "This unit still holds sub-units, scorecards or objectives: move them first."
            return error(ScimProblem(409, detail, "mutability"))

    return run


def worded(refused: BodyError) -> str:
    first = refused.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or "body"
    return f"{where}: {first.get('msg', 'invalid')}"


def domain_refusal(refused: ValidationError) -> ScimProblem:
    if hasattr(refused, "error_dict"):
        for field, errors in refused.error_dict.items():
            if any(
                e.code in ("unique", "one_company") or "another person" in str(e.messages)
                for e in errors
            ):
                return ScimProblem(
                    409, f"{field}: {' '.join(refused.message_dict[field])}", "uniqueness"
                )
        field, messages = next(iter(refused.message_dict.items()))
        return ScimProblem(400, f"{field}: {' '.join(messages)}", "invalidValue")
    return ScimProblem(400, " ".join(refused.messages), "invalidValue")


def body_of(request: HttpRequest) -> dict:
    if len(request.body) > MAX_BODY:
        raise ScimProblem(413, f"A SCIM body holds at most {MAX_BODY} bytes.", "tooMany")
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as unreadable:
        raise ScimProblem(400, "The body is not JSON.", "invalidSyntax") from unreadable
    if not isinstance(data, dict):
        raise ScimProblem(400, "The body must be a JSON object.", "invalidSyntax")
    return data


def parameters(request: HttpRequest, search: SearchRequest | None = None) -> ResponseParameters:
    if search is not None:
        return search
    query = request.GET
    return ResponseParameters.model_validate(
        {key: query[key] for key in ("attributes", "excludedAttributes") if query.get(key)}
    )


def method_not_allowed() -> ScimProblem:
    return ScimProblem(405, "This method is not allowed here.")


@endpoint
def nowhere(request: HttpRequest, rest: str = "") -> HttpResponse:
    raise ScimProblem(404, f"Nothing at /scim/v2/{rest} (Users, Groups and discovery only).")


@endpoint
def search_everything(request: HttpRequest) -> HttpResponse:
    # Searching Users and Groups at once is optional (RFC 7644 §3.4.3): each has its own.
    raise ScimProblem(501, "Search /Users/.search or /Groups/.search; not both at once.")


def discovery(view: Callable) -> Callable:
    return endpoint(view, reads_only=True)


# --- discovery ---------------------------------------------------------------------------


@discovery
def service_provider_config(request: HttpRequest) -> HttpResponse:
    return answer(schemas.dumped(schemas.service_provider_config(), request.build_absolute_uri()))


@discovery
def resource_types(request: HttpRequest, name: str | None = None) -> HttpResponse:
    found = [schemas.dumped(t, request.build_absolute_uri()) for t in schemas.resource_types()]
    return listed_or_one(found, name, key="id")


@discovery
def schema_list(request: HttpRequest, name: str | None = None) -> HttpResponse:
    found = [schemas.dumped(s, request.build_absolute_uri()) for s in schemas.schemas()]
    return listed_or_one(found, name, key="id")


def listed_or_one(found: list[dict], name: str | None, *, key: str) -> HttpResponse:
    if name is None:
        return answer(
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                "totalResults": len(found),
                "startIndex": 1,
                "itemsPerPage": len(found),
                "Resources": found,
            }
        )
    for item in found:
        if item[key] == name:
            return answer(item)
    raise ScimProblem(404, f"No {name} here.")


# --- Users and Groups --------------------------------------------------------------------


class Kind:
    def __init__(self, name, model, rows, filters, build, create, replace, remove, path):
        self.name, self.model, self.rows, self.filters = name, model, rows, filters
        self.build, self.create, self.replace, self.remove = build, create, replace, remove
        self.path = path

    def one(self, pk: str):
        number = parse_id(pk)
        row = self.rows().filter(pk=number).first() if number is not None else None
        if row is None:
            raise ScimProblem(404, f"No {self.name} {pk} here.")
        return row


def people():
    gone = resources.deprovisioned(ScimIdentity.Kind.USER)
    return Person.objects.exclude(pk__in=gone).order_by("pk")


def units():
    return Unit.objects.order_by("pk")


def members_named(group: Group) -> list[Person]:
    wanted = [member.value for member in group.members or []]
    ids = [parse_id(value) for value in wanted]
    found = {person.pk: person for person in people().filter(pk__in=[i for i in ids if i])}
    unknown = [value for value, pk in zip(wanted, ids, strict=True) if pk not in found]
    if unknown:
        raise ScimProblem(400, f"members: no user {unknown[0]} here.", "invalidValue")
    return list(found.values())


USERS = Kind(
    "user",
    User,
    people,
    USER_FILTERS,
    resources.users,
    lambda user: resources.user_create(user),
    lambda person, user, client: resources.user_replace(person, user, hands_over=client.hands_over),
    lambda person, client: resources.user_deprovision(person, hands_over=client.hands_over),
    "scim-user",
)
GROUPS = Kind(
    "group",
    Group,
    units,
    GROUP_FILTERS,
    resources.groups,
    lambda group: resources.group_create(group, members_named(group)),
    lambda unit, group, client: resources.group_replace(unit, group, members_named(group)),
    lambda unit, client: resources.group_delete(unit),
    "scim-group",
)


def filtered(kind: Kind, expression: str | None):
    rows = kind.rows()
    if not expression:
        return rows
    match = EQUALS.match(expression)
    attribute = match.group(1).lower() if match else None
    if attribute not in kind.filters:
        raise ScimProblem(
            400,
            'Filters here are one `attribute eq "value"` (userName, externalId…).',
            "invalidFilter",
        )
    value = json.loads(f'"{match.group(2)}"')
    lookup = kind.filters[attribute]
    if lookup == "externalid":
        scim_kind = ScimIdentity.Kind.USER if kind is USERS else ScimIdentity.Kind.GROUP
        ids = ScimIdentity.objects.filter(kind=scim_kind, external_id=value)
        return rows.filter(pk__in=ids.values_list("object_id", flat=True))
    if lookup == "pk":
        number = parse_id(value)
        return rows.filter(pk=number) if number else rows.none()
    return rows.filter(**{lookup: value})


def listing(kind: Kind, request: HttpRequest, search: SearchRequest | None = None) -> HttpResponse:
    expression = search.filter if search else request.GET.get("filter")
    start = (search.start_index if search else parse_id(request.GET.get("startIndex", "1"))) or 1
    count = search.count if search else request.GET.get("count")
    count = schemas.MAX_RESULTS if count in (None, "") else min(int(count), schemas.MAX_RESULTS)
    rows = filtered(kind, str(expression) if expression else None)
    total = rows.count()
    page = list(rows[start - 1 : start - 1 + max(count, 0)])
    listed = ListResponse[kind.model](
        total_results=total, start_index=start, items_per_page=len(page), resources=kind.build(page)
    )
    data = listed.model_dump(
        scim_ctx=Context.SEARCH_RESPONSE if search else Context.RESOURCE_QUERY_RESPONSE,
        response_parameters=parameters(request, search),
    )
    return answer(data)


def shown(kind: Kind, row, request: HttpRequest, status: int = 200) -> HttpResponse:
    resource = kind.build([row])[0]
    context = {
        200: Context.RESOURCE_QUERY_RESPONSE,
        201: Context.RESOURCE_CREATION_RESPONSE,
    }.get(status, Context.RESOURCE_REPLACEMENT_RESPONSE)
    data = resource.model_dump(scim_ctx=context, response_parameters=parameters(request))
    return answer(data, status, location=resource.meta.location if status == 201 else None)


def collection(kind: Kind) -> Callable:
    @endpoint
    def view(request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            return listing(kind, request)
        if request.method != "POST":
            raise method_not_allowed()
        wanted = kind.model.model_validate(
            body_of(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST
        )
        return shown(kind, kind.create(wanted), request, 201)

    return view


def search(kind: Kind) -> Callable:
    @endpoint
    def view(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            raise method_not_allowed()
        asked = SearchRequest.model_validate(body_of(request), scim_ctx=Context.SEARCH_REQUEST)
        return listing(kind, request, asked)

    return view


def item(kind: Kind) -> Callable:
    @endpoint
    def view(request: HttpRequest, pk: str) -> HttpResponse:
        row = kind.one(pk)
        if request.method == "GET":
            return shown(kind, row, request)
        if request.method == "DELETE":
            kind.remove(row, request.scim_client)
            return answer(None, 204)
        if request.method == "PUT":
            wanted = kind.model.model_validate(
                body_of(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
            )
        elif request.method == "PATCH":
            wanted = kind.build([row])[0]
            patch = PatchOp[kind.model].model_validate(
                body_of(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST
            )
            patch.patch(wanted)
        else:
            raise method_not_allowed()
        with transaction.atomic():
            row = kind.replace(row, wanted, request.scim_client)
        return shown(kind, kind.one(str(row.pk)), request, 200)

    return view
