"""Writes to the organisation: units, people, memberships."""

from django.core.exceptions import ValidationError

from lodestar import tree
from lodestar.org.acting import Actor, service
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.permissions import Action, require
from lodestar.validation import apply_changes, validated_save

# A person may edit their own name and e-mail; role, manager and activity are the admin's.
ADMIN_FIELDS = {"role", "manager", "is_active", "is_staff", "is_superuser", "username"}


def refuse_ancestor_loop(node, parent, *, field: str = "parent") -> None:
    """Refuse a parent that is the node itself or one of its descendants."""
    if node.pk is not None and tree.closes_loop(node, parent, lambda n: n.parent):
        raise ValidationError({field: [f"{node} cannot be its own ancestor."]})


@service
def unit_create(
    *, acting: Actor, name: str, kind: str = Unit.Kind.TEAM, parent: Unit | None = None
) -> Unit:
    require(acting, Action.CHANGE, parent or Unit())
    return validated_save(Unit(name=name, kind=kind, parent=parent))


@service
def unit_update(
    *, acting: Actor, unit: Unit, expected_version: int | None = None, **changes
) -> Unit:
    require(acting, Action.CHANGE, unit)
    if "parent" in changes:
        refuse_ancestor_loop(unit, changes["parent"])
    return apply_changes(unit, changes, expected_version=expected_version)


@service
def person_create(
    *,
    acting: Actor,
    username: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    role: str = Person.Role.MEMBER,
    manager: Person | None = None,
) -> Person:
    require(acting, Action.CHANGE, Person())
    person = Person(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        manager=manager,
        is_staff=role == Person.Role.ADMIN,
        is_superuser=role == Person.Role.ADMIN,
    )
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    return validated_save(person, exclude=["password"])


@service
def person_password_set(*, acting: Actor, person: Person, password: str) -> Person:
    """Give a person a password, as an admin does: the import's sheets carry none."""
    require(acting, Action.CHANGE, Person())
    person.set_password(password)
    person.save(update_fields=["password"])
    return person


@service
def person_update(
    *, acting: Actor, person: Person, expected_version: int | None = None, **changes
) -> Person:
    require(acting, Action.CHANGE, person)
    if ADMIN_FIELDS & set(changes):
        require(acting, Action.CHANGE, Person())  # only the admin changes these
    if "manager" in changes and tree.closes_loop(
        person, changes["manager"], lambda someone: someone.manager
    ):
        raise ValidationError({"manager": [f"{person} cannot report to themselves."]})
    if "role" in changes:
        changes["is_staff"] = changes["is_superuser"] = changes["role"] == Person.Role.ADMIN
    return apply_changes(person, changes, expected_version=expected_version)


@service
def membership_set(
    *, acting: Actor, person: Person, unit: Unit, role: str = Membership.Role.MEMBER
) -> Membership:
    """Put a person in a unit with a role; a new lead replaces the old one."""
    require(acting, Action.CHANGE, unit)
    if role == Membership.Role.LEAD:
        # one save per demoted lead (at most one), so the history records the demotion
        for old_lead in Membership.objects.filter(unit=unit, role=Membership.Role.LEAD).exclude(
            person=person
        ):
            old_lead.role = Membership.Role.MEMBER
            validated_save(old_lead)
    membership = Membership.objects.filter(person=person, unit=unit).first()
    membership = membership or Membership(person=person, unit=unit)
    membership.role = role
    return validated_save(membership)


@service
def membership_remove(*, acting: Actor, person: Person, unit: Unit) -> None:
    require(acting, Action.CHANGE, unit)
    Membership.objects.filter(person=person, unit=unit).delete()


@service
def unit_delete(*, acting: Actor, unit: Unit) -> None:
    """Protected (ProtectedError) while the unit has sub-units, scorecards or objectives."""
    require(acting, Action.DELETE, unit)
    unit.delete()
