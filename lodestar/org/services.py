"""Writes to the organisation: units, people, memberships."""

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.urls import reverse

from lodestar import tree
from lodestar.links import absolute
from lodestar.org.acting import Actor, service
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.permissions import Action, can, require
from lodestar.validation import apply_changes, validated_save

# A person may edit their own name; role, manager and activity are the admin's, and so is
# setting an e-mail directly: a person's own new e-mail is confirmed from that address.
ADMIN_FIELDS = {"role", "manager", "is_active", "is_staff", "is_superuser", "username"}
EMAIL_CHANGE_SALT = "lodestar.org.email-change"
EMAIL_CHANGE_DAYS = 3
TAKEN = "This e-mail belongs to another person."


def refuse_taken_email(email: str, person: Person) -> None:
    """An e-mail names one person, whatever its case (the import finds people by it)."""
    others = Person.objects.filter(email__iexact=email).exclude(pk=person.pk)
    if email and others.exists():
        raise ValidationError({"email": ValidationError(TAKEN, "unique")})


def refuse_ancestor_loop(node, parent, *, field: str = "parent") -> None:
    """Refuse a parent that is the node itself or one of its descendants."""
    if node.pk is not None and tree.closes_loop(node, parent, lambda n: n.parent):
        raise ValidationError({field: [f"{node} cannot be its own ancestor."]})


def refuse_second_company(unit: Unit, parent: Unit | None) -> None:
    """An installation is one company: its one root unit. The dashboard, the company
    scorecard and the quarter's review are that root's; a second root would take them over."""
    if parent is not None:
        return
    company = Unit.objects.filter(parent__isnull=True).exclude(pk=unit.pk).first()
    if company is not None:
        raise ValidationError(
            {
                "parent": ValidationError(
                    f"This installation is one company, {company}: place the unit inside it "
                    "(a parent unit), or start a new installation for another company.",
                    "one_company",
                )
            }
        )


@service
def unit_create(
    *, acting: Actor, name: str, kind: str = Unit.Kind.TEAM, parent: Unit | None = None
) -> Unit:
    require(acting, Action.CHANGE, parent or Unit())
    unit = Unit(name=name, kind=kind, parent=parent)
    refuse_second_company(unit, parent)
    return validated_save(unit)


@service
def unit_update(
    *, acting: Actor, unit: Unit, expected_version: int | None = None, **changes
) -> Unit:
    require(acting, Action.CHANGE, unit)
    if "parent" in changes:
        refuse_ancestor_loop(unit, changes["parent"])
        refuse_second_company(unit, changes["parent"])
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
    refuse_taken_email(email, person)
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
    if "email" in changes and changes["email"] != person.email:
        if acting is not None and not can(acting, Action.CHANGE, Person()):
            raise ValidationError(
                {
                    "email": [
                        "Confirm a new e-mail from the link sent to it (ask on your e-mail "
                        "page); only an admin sets an e-mail directly."
                    ]
                }
            )
        refuse_taken_email(changes["email"], person)
    if "manager" in changes and tree.closes_loop(
        person, changes["manager"], lambda someone: someone.manager
    ):
        raise ValidationError({"manager": [f"{person} cannot report to themselves."]})
    if "role" in changes:
        changes["is_staff"] = changes["is_superuser"] = changes["role"] == Person.Role.ADMIN
    return apply_changes(person, changes, expected_version=expected_version)


def person_email_change_request(*, acting: Person, email: str) -> str:
    """Send the acting person a link, to the new address, that changes their e-mail to it
    when they open it (`person_email_confirm`): so nobody takes an address they cannot
    read. Writes nothing until then; returns the address the link went to."""
    require(acting, Action.CHANGE, acting)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": ["Enter a valid e-mail address."]}) from None
    refuse_taken_email(email, acting)
    token = signing.dumps(
        {"person": acting.pk, "email": email, "from": acting.email}, salt=EMAIL_CHANGE_SALT
    )
    link = absolute(reverse("account-email-confirm", args=[token]))
    send_mail(
        "Confirm your new e-mail for Lodestar",
        f"{acting} asked to use {email} as their e-mail on Lodestar.\n\n"
        f"To confirm, open this link while signed in as {acting.username} "
        f"(it works once, for {EMAIL_CHANGE_DAYS} days):\n{link}\n\n"
        "If you did not ask for this, ignore this message: nothing changes.",
        None,
        [email],
    )
    return email


@service
def person_email_confirm(*, acting: Person, token: str) -> Person:
    """Apply the change a `person_email_change_request` link carries, for the person it
    was sent for, once, while nobody else has taken the address since."""
    try:
        asked = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_DAYS * 86400)
    except signing.SignatureExpired:
        raise ValidationError("This link has expired: ask for a new one.") from None
    except signing.BadSignature:
        raise ValidationError("This link is not one Lodestar sent: ask for a new one.") from None
    if asked["person"] != acting.pk:
        raise PermissionDenied("This link confirms another person's e-mail.")
    require(acting, Action.CHANGE, acting)
    if acting.email != asked["from"]:
        raise ValidationError("This link was used already, or your e-mail changed since.")
    refuse_taken_email(asked["email"], acting)
    return apply_changes(acting, {"email": asked["email"]})


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
