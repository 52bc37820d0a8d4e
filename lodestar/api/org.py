"""Units and people."""

from typing import Annotated

from django.http import HttpRequest
from ninja import FilterLookup, FilterSchema, Router, Schema, Status
from pydantic import Field

from lodestar.api.crud import ERRORS, Entity, Id, Text, Version, register
from lodestar.api.enums import MembershipRole, PersonRole, UnitKind
from lodestar.okrs.models import Cycle
from lodestar.org.invitations import MAX_ROWS, read_rows
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.permissions import Action, reader_for, require
from lodestar.org.preferences import person_preferences_set
from lodestar.org.services import (
    membership_remove,
    membership_set,
    person_create,
    person_deactivate,
    person_email_change_request,
    person_invite,
    person_invite_again,
    person_invite_many,
    person_reactivate,
    person_update,
    unit_close,
    unit_create,
    unit_delete,
    unit_update,
)

router = Router()


class UnitOut(Schema):
    id: int
    version: Version
    name: str
    kind: UnitKind
    parent: int | None = Field(validation_alias="parent_id")


class UnitIn(Schema):
    name: Text(200)
    kind: UnitKind = Unit.Kind.TEAM
    parent: Id | None = None


class UnitPatch(Schema):
    name: Text(200) = None
    kind: UnitKind = None
    parent: Id | None = None


class UnitFilters(FilterSchema):
    parent: Annotated[Id | None, FilterLookup("parent_id")] = None
    kind: UnitKind | None = None


def create_unit(person: Person, fields: dict) -> Unit:
    return unit_create(acting=person, **fields)


def change_unit(person: Person, unit: Unit, fields: dict) -> Unit:
    return unit_update(acting=person, unit=unit, **fields)


register(
    router,
    Entity(
        model=Unit,
        path="units",
        notes={
            "create": "Place people in it with PUT /units/{id}/members/{person_id}.",
        },
        out=UnitOut,
        filters=UnitFilters,
        visible=lambda person: Unit.objects.all(),
        create_in=UnitIn,
        update_in=UnitPatch,
        create=create_unit,
        update=change_unit,
        delete=lambda person, unit: unit_delete(acting=person, unit=unit),
    ),
)


class PersonOut(Schema):
    id: int
    version: Version
    username: str
    first_name: str
    last_name: str
    email: str
    role: PersonRole
    manager: int | None = Field(validation_alias="manager_id")
    is_active: bool


class PersonIn(Schema):
    username: Text(150)
    email: Text(254) = ""
    first_name: Text(150) = ""
    last_name: Text(150) = ""
    password: Text(128) | None = None
    role: PersonRole = Person.Role.MEMBER
    manager: Id | None = None


class PersonPatch(Schema):
    email: Text(254) = None
    first_name: Text(150) = None
    last_name: Text(150) = None
    role: PersonRole = None
    manager: Id | None = None
    is_active: bool = None


class PersonFilters(FilterSchema):
    unit: Annotated[Id | None, FilterLookup("memberships__unit_id")] = None
    role: PersonRole | None = None
    manager: Annotated[Id | None, FilterLookup("manager_id")] = None


def create_person(person: Person, fields: dict) -> Person:
    return person_create(acting=person, **fields)


def change_person(person: Person, target: Person, fields: dict) -> Person:
    return person_update(acting=person, person=target, **fields)


def deactivate_person(person: Person, target: Person) -> None:
    """People are deactivated, never deleted: their check-ins and values keep an author."""
    person_deactivate(acting=person, person=target)


register(
    router,
    Entity(
        model=Person,
        path="people",
        notes={
            "delete": "Deactivates the person (no login, no tokens) rather than deleting: "
            "their check-ins and values keep their author.",
        },
        out=PersonOut,
        filters=PersonFilters,
        visible=lambda person: Person.objects.distinct(),
        create_in=PersonIn,
        update_in=PersonPatch,
        create=create_person,
        update=change_person,
        delete=deactivate_person,
    ),
)


# Memberships: who is in a unit, with which role (one lead per unit) ---------------------


class MembershipOut(Schema):
    unit: int = Field(validation_alias="unit_id")
    person: int = Field(validation_alias="person_id")
    role: MembershipRole


class MembershipIn(Schema):
    role: MembershipRole = Membership.Role.MEMBER


def unit_and_person(request: HttpRequest, unit_id: int, person_id: int) -> tuple[Unit, Person]:
    reader = request.reader
    return reader.load(Unit, unit_id), reader.load(Person, person_id)


@router.get(
    "/units/{id}/members",
    response={200: list[MembershipOut], **ERRORS},
    operation_id="unit_members",
    summary="The people in a unit and their roles",
    tags=["units"],
)
def unit_members(request: HttpRequest, id: Id):
    """Everyone placed in the unit (not its subunits), with their role there; 404 for an unknown
    unit."""
    request.reader.load(Unit, id)
    return list(Membership.objects.filter(unit_id=id).order_by("person_id"))


@router.put(
    "/units/{id}/members/{person_id}",
    response={200: MembershipOut, **ERRORS},
    operation_id="unit_member_set",
    summary="Place a person in a unit with a role (a new lead replaces the old one)",
    tags=["units"],
)
def unit_member_set(request: HttpRequest, id: Id, person_id: Id, payload: MembershipIn):
    """Places the person, or changes their role if already placed; the caller needs the right to
    change the unit. A unit has one lead: naming a new lead makes the old one a member."""
    unit, person = unit_and_person(request, id, person_id)
    return membership_set(acting=request.auth, person=person, unit=unit, role=payload.role)


@router.delete(
    "/units/{id}/members/{person_id}",
    response={204: None, **ERRORS},
    operation_id="unit_member_remove",
    summary="Take a person out of a unit",
    tags=["units"],
)
def unit_member_remove(request: HttpRequest, id: Id, person_id: Id):
    """The person leaves the unit; 404 when either is unknown. Their objectives and key results
    stay."""
    unit, person = unit_and_person(request, id, person_id)
    membership_remove(acting=request.auth, person=person, unit=unit)
    return Status(204, None)


# Invitations, leaving and coming back (the people pages' buttons) ----------------------
class InvitationIn(Schema):
    email: Text(254)
    first_name: Text(150) = ""
    last_name: Text(150) = ""
    role: PersonRole = PersonRole("member")
    units: list[Id] = Field(default=[], max_length=1000)
    unit_role: MembershipRole = MembershipRole("member")
    manager: Id | None = None
    username: Text(150) = Field("", description="Empty: the e-mail, in lower case.")


class InvitationRowIn(Schema):
    email: Text(254) = ""
    first_name: Text(150) = ""
    last_name: Text(150) = ""
    role: Text(40) = Field("", description="admin, strategy office, member or viewer.")
    unit: Text(200) = Field("", description="A unit's name (any case); empty: none.")


class InvitationsIn(Schema):
    rows: list[InvitationRowIn] = Field(default=[], max_length=MAX_ROWS)
    csv: Text(1_000_000) = Field(
        "",
        description="Instead of rows: the text of a CSV or pasted list (e-mail, first name, "
        "last name, role, unit; or a header line naming the columns).",
    )


class DeactivationIn(Schema):
    hand_over: bool = Field(
        False, description="Hand their key results of cycles not closed to their manager."
    )


class DetailOut(Schema):
    detail: str


@router.post(
    "/invitations",
    response={201: PersonOut, **ERRORS},
    operation_id="person_invite",
    summary="Invite a person by e-mail",
    tags=["people"],
)
def invitation_create(request: HttpRequest, payload: InvitationIn):
    """Adds the person without a password and mails them a one-time link to choose one (valid
    PASSWORD_RESET_TIMEOUT seconds; dead once used). 409 when the e-mail or user name is
    taken, in any case."""
    reader = request.reader
    fields = payload.dict()
    fields["units"] = [reader.load(Unit, pk) for pk in payload.units]
    fields["manager"] = reader.load(Person, payload.manager) if payload.manager else None
    return Status(201, person_invite(acting=request.auth, **fields))


@router.post(
    "/invitations/bulk",
    response={201: list[PersonOut], **ERRORS},
    operation_id="person_invite_many",
    summary="Invite many people at once, all or nothing",
    tags=["people"],
)
def invitation_create_many(request: HttpRequest, payload: InvitationsIn):
    """Every row is judged; when one is refused nobody is invited and `errors.people` lists
    every refusal as "Row n, field: message". Mails leave only when every row was written."""
    require(request.auth, Action.CHANGE, Person())  # before reading a list it may not send
    rows = read_rows(payload.csv) if payload.csv else [row.dict() for row in payload.rows]
    return Status(201, person_invite_many(acting=request.auth, rows=rows))


@router.post(
    "/people/{id}/invitation",
    response={202: DetailOut, **ERRORS},
    operation_id="person_invite_again",
    summary="Send an invited person a new link",
    tags=["people"],
)
def invitation_again(request: HttpRequest, id: Id):
    """Refused (400) once the person has chosen a password, or when they are deactivated."""
    person = request.reader.load(Person, id)
    person_invite_again(acting=request.auth, person=person)
    return Status(202, {"detail": f"A new invitation was sent to {person.email}."})


@router.post(
    "/people/{id}/deactivate",
    response={200: PersonOut, **ERRORS},
    operation_id="person_deactivate",
    summary="Deactivate a person: no sign-in, no tokens, history kept",
    tags=["people"],
)
def person_deactivate_endpoint(request: HttpRequest, id: Id, payload: DeactivationIn):
    """Never deleted: their history and what they own stay (or their open key results go to
    their manager with `hand_over`). Nobody deactivates themselves or the last admin."""
    person = request.reader.load(Person, id)
    return person_deactivate(acting=request.auth, person=person, hand_over=payload.hand_over)


@router.post(
    "/people/{id}/reactivate",
    response={200: PersonOut, **ERRORS},
    operation_id="person_reactivate",
    summary="Reactivate a person: the same account, its history and what it still owns",
    tags=["people"],
)
def person_reactivate_endpoint(request: HttpRequest, id: Id):
    """They sign in and use their tokens again; what they owned when they left is theirs
    still, unless it was handed over."""
    return person_reactivate(acting=request.auth, person=request.reader.load(Person, id))


# The unit tree: moving, leading, closing ------------------------------------------------
class UnitMoveIn(Schema):
    parent: Id


class UnitLeadIn(Schema):
    person: Id


class UnitCloseIn(Schema):
    move_to: Id | None = Field(
        None, description="Where its scorecards and OKR objectives go (needed when it has any)."
    )


@router.post(
    "/units/{id}/move",
    response={200: UnitOut, **ERRORS},
    operation_id="unit_move",
    summary="Move a unit under another parent",
    tags=["units"],
)
def unit_move(request: HttpRequest, id: Id, payload: UnitMoveIn):
    """400 for a move under the unit itself or one of its own sub-units."""
    reader = request.reader
    unit, parent = reader.load(Unit, id), reader.load(Unit, payload.parent)
    return unit_update(acting=request.auth, unit=unit, parent=parent)


@router.put(
    "/units/{id}/lead",
    response={200: MembershipOut, **ERRORS},
    operation_id="unit_lead_set",
    summary="Set a unit's lead (the old lead stays, as a member)",
    tags=["units"],
)
def unit_lead_set(request: HttpRequest, id: Id, payload: UnitLeadIn):
    """The person is placed in the unit if they were not; a unit has one lead, so the old
    one becomes a member. 400 for a deactivated person."""
    unit, person = unit_and_person(request, id, payload.person)
    return membership_set(acting=request.auth, person=person, unit=unit, role=Membership.Role.LEAD)


@router.post(
    "/units/{id}/close",
    response={204: None, **ERRORS},
    operation_id="unit_close",
    summary="Close a unit, moving its scorecards and OKRs to another",
    tags=["units"],
)
def unit_close_endpoint(request: HttpRequest, id: Id, payload: UnitCloseIn):
    """Its people stay, out of it. Refused (400) for the company, for a unit with sub-units,
    and without `move_to` for a unit with scorecards or OKR objectives."""
    reader = request.reader
    unit = reader.load(Unit, id)
    move_to = reader.load(Unit, payload.move_to) if payload.move_to else None
    unit_close(acting=request.auth, unit=unit, move_to=move_to)
    return Status(204, None)


# Who am I ------------------------------------------------------------------------------
class MyUnitOut(Schema):
    unit: int = Field(validation_alias="unit_id")
    name: str = Field(validation_alias="unit.name")
    role: MembershipRole


class MyPermissionsOut(Schema):
    """What the caller's roles let them do, as the permission layer answers it."""

    admin: bool = Field(description="Everything, private objectives too.")
    strategy_office: bool = Field(description="Changes all strategy and every public OKR.")
    read_only: bool = Field(description="A viewer: reads, writes nothing.")
    runs_review: bool = Field(description="Activates and closes cycles, grades at close.")
    leads: list[int] = Field(
        description="Units whose strategy and OKRs the caller changes as their lead (the "
        "units they lead and all below)."
    )
    writes_okrs_for: list[int] = Field(description="Units the caller may write objectives for.")


class MeOut(Schema):
    id: int
    username: str
    name: str
    email: str
    role: PersonRole
    time_zone: str = Field(description="IANA name (Europe/Berlin); empty: the installation's.")
    language: str = Field(description="One of the installation's languages; empty: the browser's.")
    units: list[MyUnitOut]
    permissions: MyPermissionsOut

    @staticmethod
    def resolve_name(obj: Person) -> str:
        return str(obj)

    @staticmethod
    def resolve_units(obj: Person) -> list[Membership]:
        return list(obj.memberships.select_related("unit").order_by("unit__name"))

    @staticmethod
    def resolve_permissions(obj: Person) -> dict:
        access = reader_for(obj)
        return {
            "admin": access.is_admin,
            "strategy_office": access.is_strategy_office,
            "read_only": access.read_only,
            # The review is asked of a cycle, the same for every one of them.
            "runs_review": access.can(Action.REVIEW, Cycle()),
            "leads": sorted(access.lead_units),
            "writes_okrs_for": [
                unit.pk for unit in Unit.objects.order_by("pk") if access.can(Action.ADD_OKR, unit)
            ],
        }


@router.get(
    "/me",
    response={200: MeOut, **ERRORS},
    operation_id="me",
    summary="Who am I: the caller, with their role and units",
    tags=["people"],
)
def me(request: HttpRequest):
    """The person the token (or session) belongs to: their organisation role, the units they are
    placed in with their role there, and what that lets them do (`permissions`), so a client can
    offer only what will be accepted."""
    return request.auth


class EmailChangeIn(Schema):
    email: Text(254)


class EmailChangeOut(Schema):
    detail: str


@router.post(
    "/me/email",
    response={202: EmailChangeOut, **ERRORS},
    operation_id="me_email_change",
    summary="Change my e-mail: a link to confirm it is sent to the new address",
    tags=["people"],
)
def me_email_change(request: HttpRequest, payload: EmailChangeIn):
    """Nothing changes yet: the new address receives a link that changes the caller's e-mail
    when the caller opens it, signed in (it works once, for a few days). 409 when another
    person has the address. An admin sets anyone's e-mail directly with PATCH /people/{id}."""
    person_email_change_request(acting=request.auth, email=payload.email)
    return Status(202, {"detail": f"A link to confirm it was sent to {payload.email.strip()}."})


class MePatch(Schema):
    """How the caller reads the pages; "" goes back to the default."""

    time_zone: Text(64) = Field(None, description="IANA name: Europe/Berlin, UTC…")
    language: Text(10) = Field(None, description="en, de, fr, es, pt-br or nl.")


@router.patch(
    "/me",
    response={200: MeOut, **ERRORS},
    operation_id="me_update",
    summary="Set my time zone and language",
    tags=["people"],
)
def me_update(request: HttpRequest, payload: MePatch):
    """400 for a time zone or language Lodestar does not know, naming it; a viewer may set
    their own too (how they read, not the organisation's data)."""
    person = Person.objects.get(pk=request.auth.pk)
    return person_preferences_set(
        acting=request.auth, person=person, time_zone=payload.time_zone, language=payload.language
    )
