"""People as SCIM Users and units as SCIM Groups, both ways. Reads build scim2-models
objects (which then serialize, honouring `attributes`/`excludedAttributes`); writes go
through the organisation's services with the installation acting, like any provisioning."""

from django.db import transaction
from django.urls import reverse
from scim2_models import Email, Group, GroupMember, GroupMembership, Meta, Name, User

from lodestar.links import absolute
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.services import (
    membership_remove,
    membership_set,
    person_create,
    person_deactivate,
    person_update,
    unit_create,
    unit_delete,
    unit_update,
)
from lodestar.scim.models import ScimIdentity


def location(kind: str, pk: int) -> str:
    return absolute(reverse(f"scim-{kind}", args=[pk]))


def identities(kind: str, ids) -> dict[int, ScimIdentity]:
    rows = ScimIdentity.objects.filter(kind=kind, object_id__in=list(ids))
    return {row.object_id: row for row in rows}


def deprovisioned(kind: str) -> list[int]:
    return list(
        ScimIdentity.objects.filter(kind=kind, deprovisioned=True).values_list(
            "object_id", flat=True
        )
    )


def as_user(person: Person, identity: ScimIdentity | None, units: list[Unit]) -> User:
    return User(
        id=str(person.pk),
        external_id=(identity.external_id or None) if identity else None,
        user_name=person.username,
        name=Name(given_name=person.first_name or None, family_name=person.last_name or None),
        active=person.is_active,
        emails=[Email(value=person.email)] if person.email else None,
        groups=[
            GroupMembership(value=str(u.pk), ref=location("group", u.pk), display=u.name)
            for u in units
        ]
        or None,
        meta=Meta(
            resource_type="User",
            created=person.date_joined,
            last_modified=person.date_joined,
            location=location("user", person.pk),
        ),
    )


def as_group(unit: Unit, identity: ScimIdentity | None, member_ids: list[int]) -> Group:
    return Group(
        id=str(unit.pk),
        external_id=(identity.external_id or None) if identity else None,
        display_name=unit.name,
        members=[GroupMember(value=str(pk), ref=location("user", pk)) for pk in member_ids] or None,
        meta=Meta(resource_type="Group", location=location("group", unit.pk)),
    )


def users(people) -> list[User]:
    people = list(people)
    known = identities(ScimIdentity.Kind.USER, (p.pk for p in people))
    units: dict[int, list[Unit]] = {p.pk: [] for p in people}
    for membership in Membership.objects.filter(person__in=people).select_related("unit"):
        units[membership.person_id].append(membership.unit)
    return [as_user(p, known.get(p.pk), units[p.pk]) for p in people]


def groups(units) -> list[Group]:
    units = list(units)
    known = identities(ScimIdentity.Kind.GROUP, (u.pk for u in units))
    members: dict[int, list[int]] = {u.pk: [] for u in units}
    for unit_id, person_id in Membership.objects.filter(unit__in=units).values_list(
        "unit_id", "person_id"
    ):
        members[unit_id].append(person_id)
    return [as_group(u, known.get(u.pk), sorted(members[u.pk])) for u in units]


def remember(kind: str, pk: int, external_id: str | None) -> None:
    ScimIdentity.objects.update_or_create(
        kind=kind,
        object_id=pk,
        defaults={"external_id": external_id or "", "deprovisioned": False},
    )


def user_fields(user: User) -> dict:
    name = user.name or Name()
    return {
        "username": user.user_name or "",
        "first_name": name.given_name or "",
        "last_name": name.family_name or "",
        "email": str(user.emails[0].value) if user.emails and user.emails[0].value else "",
    }


@transaction.atomic
def user_create(user: User) -> Person:
    person = person_create(acting=None, **user_fields(user))
    if user.active is False:
        person_update(acting=None, person=person, is_active=False)
    remember(ScimIdentity.Kind.USER, person.pk, user.external_id)
    return person


def leaving(person: Person, hands_over: bool) -> None:
    """Deactivated, never deleted: their check-ins, ownership and history stay. When the
    identity provider's token hands over (`ScimClient.hands_over`), their open key results
    go to their manager, if they have an active one: the provider's deactivation is not
    refused for want of one (their key results then stay theirs, as without the option)."""
    manager = person.manager
    hand_over = hands_over and manager is not None and manager.is_active
    person_deactivate(acting=None, person=person, hand_over=hand_over)


@transaction.atomic
def user_replace(person: Person, user: User, *, hands_over: bool = False) -> Person:
    changes = user_fields(user)
    if user.active is False and person.is_active:
        leaving(person, hands_over)
    else:
        changes["is_active"] = user.active is not False
    person = person_update(acting=None, person=person, **changes)
    remember(ScimIdentity.Kind.USER, person.pk, user.external_id)
    return person


@transaction.atomic
def user_deprovision(person: Person, *, hands_over: bool = False) -> None:
    leaving(person, hands_over)
    ScimIdentity.objects.update_or_create(
        kind=ScimIdentity.Kind.USER, object_id=person.pk, defaults={"deprovisioned": True}
    )


@transaction.atomic
def group_create(group: Group, members: list[Person]) -> Unit:
    company = Unit.objects.filter(parent__isnull=True).first()
    unit = unit_create(acting=None, name=group.display_name or "", parent=company)
    remember(ScimIdentity.Kind.GROUP, unit.pk, group.external_id)
    set_members(unit, members)
    return unit


@transaction.atomic
def group_replace(unit: Unit, group: Group, members: list[Person]) -> Unit:
    if group.display_name and group.display_name != unit.name:
        unit = unit_update(acting=None, unit=unit, name=group.display_name)
    remember(ScimIdentity.Kind.GROUP, unit.pk, group.external_id)
    set_members(unit, members)
    return unit


def set_members(unit: Unit, members: list[Person]) -> None:
    wanted = {person.pk: person for person in members}
    held = set(Membership.objects.filter(unit=unit).values_list("person_id", flat=True))
    for pk in held - set(wanted):
        membership_remove(acting=None, person=Person(pk=pk), unit=unit)
    for pk in set(wanted) - held:
        membership_set(acting=None, person=wanted[pk], unit=unit)


@transaction.atomic
def group_delete(unit: Unit) -> None:
    unit_delete(acting=None, unit=unit)
    ScimIdentity.objects.filter(kind=ScimIdentity.Kind.GROUP, object_id=unit.pk).delete()
