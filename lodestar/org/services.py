"""Writes to the organisation: units, people, memberships."""

from auditlog.models import LogEntry
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from lodestar import tree
from lodestar.links import absolute
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed, changed_nothing
from lodestar.org.invitations import MAX_ROWS, send_invitation
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.permissions import Action, can, require
from lodestar.org.selectors import subtree_ids, unit_parents
from lodestar.strategy.models import Scorecard
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
    validated_save(unit)
    # A new unit has no OKRs yet: an alert of its parent's figures (and those above).
    changed(units=[unit.pk, unit.parent_id])
    return unit


@service
def unit_update(
    *, acting: Actor, unit: Unit, expected_version: int | None = None, **changes
) -> Unit:
    require(acting, Action.CHANGE, unit)
    if "parent" in changes:
        refuse_ancestor_loop(unit, changes["parent"])
        refuse_second_company(unit, changes["parent"])
    before = unit.parent_id
    apply_changes(unit, changes, expected_version=expected_version)
    # Its name is in the alerts of everything below it; moved, it leaves one parent's
    # figures for another's.
    changed(units={*subtree_ids({unit.pk}, unit_parents()), before, unit.parent_id})
    return unit


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
    changed_nothing()  # in no unit and owning nothing yet: in no figure
    return validated_save(person, exclude=["password"])


@service
def person_password_set(*, acting: Actor, person: Person, password: str) -> Person:
    """Give a person a password, as an admin does: the import's sheets carry none."""
    require(acting, Action.CHANGE, Person())
    person.set_password(password)
    person.save(update_fields=["password"])
    changed_nothing()
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
        if changes["role"] != Person.Role.ADMIN:
            refuse_last_admin(person, "role", "take the admin role from")
        changes["is_staff"] = changes["is_superuser"] = changes["role"] == Person.Role.ADMIN
    if changes.get("is_active") is False:
        refuse_last_admin(person, "is_active", "deactivate")
    apply_changes(person, changes, expected_version=expected_version)
    if SHOWN_IN_FIGURES & set(changes):
        changed(people=[person.pk])
    else:
        # Their e-mail, role or manager: what the figures show them (their private
        # objectives) is their readers' group, part of every kept figure's key.
        changed_nothing()
    return person


# A person's fields the figures read: their name beside what they own, and whether they
# are still here (an owner who left is an alert).
SHOWN_IN_FIGURES = {"first_name", "last_name", "username", "is_active"}


def refuse_last_admin(person: Person, field: str, verb: str) -> None:
    """Somebody must be left who can manage people: an installation without an active
    admin could only be mended from the shell."""
    if person.role != Person.Role.ADMIN or not person.is_active:
        return
    others = Person.objects.filter(role=Person.Role.ADMIN, is_active=True).exclude(pk=person.pk)
    if not others.exists():
        raise ValidationError(
            {
                field: [
                    f"{person} is the only active admin: make another admin first, "
                    f"then {verb} them."
                ]
            }
        )


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
    changed_nothing()
    return apply_changes(acting, {"email": asked["email"]})


@service
def membership_set(
    *, acting: Actor, person: Person, unit: Unit, role: str = Membership.Role.MEMBER
) -> Membership:
    """Put a person in a unit with a role; a new lead replaces the old one."""
    require(acting, Action.CHANGE, unit)
    if role == Membership.Role.LEAD and not person.is_active:
        raise ValidationError(
            {"person": [f"{person} is deactivated: reactivate them before they lead a unit."]}
        )
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
    # The person's personal objectives and key results now count in the unit.
    changed(units=[unit.pk])
    return validated_save(membership)


@service
def membership_remove(*, acting: Actor, person: Person, unit: Unit) -> None:
    require(acting, Action.CHANGE, unit)
    Membership.objects.filter(person=person, unit=unit).delete()
    changed(units=[unit.pk])


@service
def unit_delete(*, acting: Actor, unit: Unit) -> None:
    """Protected (ProtectedError) while the unit has sub-units, scorecards or objectives."""
    require(acting, Action.DELETE, unit)
    changed(units=[unit.pk, unit.parent_id])
    unit.delete()


@service
def person_edit(
    *,
    acting: Actor,
    person: Person,
    units: list[Unit] | None = None,
    unit_role: str = Membership.Role.MEMBER,
    expected_version: int | None = None,
    **changes,
) -> Person:
    """An admin's edit of a person in one write: their fields (`person_update`) and, when
    `units` is given, exactly those units: new ones with `unit_role`, kept ones keep
    their role (a lead stays lead), others left."""
    person_update(acting=acting, person=person, expected_version=expected_version, **changes)
    if units is None:
        return person
    wanted = {unit.pk: unit for unit in units}
    for membership in Membership.objects.filter(person=person).select_related("unit"):
        if membership.unit_id not in wanted:
            membership_remove(acting=acting, person=person, unit=membership.unit)
        wanted.pop(membership.unit_id, None)
    for unit in wanted.values():
        membership_set(acting=acting, person=person, unit=unit, role=unit_role)
    return person


# Invitations and leaving ---------------------------------------------------------------
def note_in_history(person: Person, acting: Actor, what: str, happened: str) -> None:
    """An event that changes no field (an invitation sent, key results handed over) in
    the person's history, as a change of its own name."""
    LogEntry.objects.log_create(
        person,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={what: [None, happened]},
        actor=acting,
    )


def refuse_bad_email(email: str) -> str:
    email = email.strip()
    if not email:
        raise ValidationError({"email": ["An invitation goes to an e-mail: enter one."]})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [f"“{email[:254]}” is not an e-mail address."]}) from None
    return email


def invite(
    *,
    acting: Actor,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    units: list[Unit],
    unit_role: str,
    manager: Person | None,
    username: str,
) -> Person:
    """The person of an invitation, written but not yet told."""
    email = refuse_bad_email(email)
    person = person_create(
        acting=acting,
        username=username or email.lower(),
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        manager=manager,
    )
    for unit in units:
        membership_set(acting=acting, person=person, unit=unit, role=unit_role)
    note_in_history(person, acting, "invitation", f"sent to {email}")
    return person


@service
def person_invite(
    *,
    acting: Actor,
    email: str,
    first_name: str = "",
    last_name: str = "",
    role: str = Person.Role.MEMBER,
    units: list[Unit] = (),
    unit_role: str = Membership.Role.MEMBER,
    manager: Person | None = None,
    username: str = "",
) -> Person:
    """Add a person by e-mail, without a password (their user name is the e-mail unless
    one is given), and mail them a one-time link to choose one (`org.invitations`)."""
    person = invite(
        acting=acting,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        units=list(units),
        unit_role=unit_role,
        manager=manager,
        username=username,
    )
    send_invitation(person, acting)  # last: every refusal came before a mail left
    return person


def person_invite_again(*, acting: Actor, person: Person) -> Person:
    """Mail an invited person a new link (the old one still works until it expires).
    Writes nothing but the note in the person's history."""
    require(acting, Action.CHANGE, Person())
    if not person.is_active:
        raise ValidationError(f"{person} is deactivated: reactivate them first.")
    if person.has_usable_password():
        raise ValidationError(
            f"{person} has chosen a password already; if they forgot it, they reset it "
            "from the sign-in page."
        )
    if not person.email:
        raise ValidationError({"email": [f"{person} has no e-mail to send an invitation to."]})
    with transaction.atomic():
        note_in_history(person, acting, "invitation", f"sent again to {person.email}")
        send_invitation(person, acting)
    return person


ROLE_WORDS = {
    **{value: value for value in Person.Role.values},
    **{str(label).lower(): value for value, label in Person.Role.choices},
    "": Person.Role.MEMBER,
}


def role_named(text: str) -> str:
    role = ROLE_WORDS.get(text.strip().lower().replace("-", " "))
    if role is None:
        known = ", ".join(str(label).lower() for label in Person.Role.labels)
        raise ValidationError({"role": [f"No role “{text[:40]}”: one of {known}."]})
    return role


def unit_named(text: str) -> list[Unit]:
    """The unit a row names (case aside), as a list: none when the cell is empty."""
    if not text.strip():
        return []
    found = list(Unit.objects.filter(name__iexact=text.strip())[:2])
    if not found:
        raise ValidationError({"unit": [f"No unit named “{text.strip()[:200]}”."]})
    if len(found) > 1:
        raise ValidationError(
            {"unit": [f"Several units are named “{text.strip()}”: rename one, then try again."]}
        )
    return found


@service
def person_invite_many(*, acting: Actor, rows: list[dict[str, str]]) -> list[Person]:
    """Invite everyone of a list (`invitations.read_rows`: e-mail, first name, last name,
    role, unit by name): all or nothing. Every row is judged; the refusals come back
    together, one line each naming its row and field; mails leave only when every row
    was written."""
    require(acting, Action.CHANGE, Person())
    if not rows:
        raise ValidationError({"people": ["The list is empty: one person a line."]})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"people": [f"At most {MAX_ROWS:,} people at once."]})
    refusals: list[str] = []
    people: list[Person] = []
    first_line: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        line = row.get("line", number)
        email = str(row.get("email", "")).strip().lower()
        if email and email in first_line:
            refusals.append(f"Row {line}, e-mail: {email} is also on row {first_line[email]}.")
            continue
        first_line[email] = line
        try:
            with transaction.atomic():  # a refused row leaves nothing half-written
                people.append(
                    invite(
                        acting=acting,
                        email=str(row.get("email", "")),
                        first_name=str(row.get("first_name", "")),
                        last_name=str(row.get("last_name", "")),
                        role=role_named(str(row.get("role", ""))),
                        units=unit_named(str(row.get("unit", ""))),
                        unit_role=Membership.Role.MEMBER,
                        manager=None,
                        username="",
                    )
                )
        except ValidationError as error:
            refusals.extend(row_refusals(line, error))
    if refusals:
        raise ValidationError({"people": refusals})
    for person in people:
        send_invitation(person, acting)
    return people


FIELD_WORDS = {"username": "e-mail (as user name)", "first_name": "first name"}
FIELD_WORDS |= {"last_name": "last name", "__all__": "row"}


def row_refusals(line: int, error: ValidationError) -> list[str]:
    fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return [
        f"Row {line}, {FIELD_WORDS.get(field, field.replace('_', ' '))}: {message}"
        for field, messages in fields.items()
        for message in messages
    ]


@service
def person_deactivate(*, acting: Actor, person: Person, hand_over: bool = False) -> Person:
    """The person leaves: no sign-in, no tokens, never deleted, so their history and
    what they own stay. `hand_over`: their key results of cycles not yet closed go to
    their manager."""
    require(acting, Action.CHANGE, Person())
    if acting is not None and person.pk == acting.pk:
        raise ValidationError({"is_active": ["You cannot deactivate yourself: ask another admin."]})
    if not person.is_active:
        return person
    if hand_over:
        hand_key_results_to_manager(acting, person)
    return person_update(acting=acting, person=person, is_active=False)


def hand_key_results_to_manager(acting: Actor, person: Person) -> None:
    # Imported here: okrs.services imports this module.
    from lodestar.okrs.services import key_result_update

    manager = person.manager
    if manager is None or not manager.is_active:
        raise ValidationError(
            {"hand_over": [f"{person} has no active manager to hand their key results to."]}
        )
    open_ones = KeyResult.objects.filter(owner=person).exclude(cycle__state=Cycle.State.CLOSED)
    handed = [
        key_result_update(acting=acting, key_result=key_result, owner=manager)
        for key_result in open_ones.order_by("pk")
    ]
    if handed:
        note_in_history(person, acting, "key results", f"{len(handed)} handed to {manager}")


@service
def person_reactivate(*, acting: Actor, person: Person) -> Person:
    """Back again: the same account, its history and what it still owns."""
    require(acting, Action.CHANGE, Person())
    return person_update(acting=acting, person=person, is_active=True)


# Closing a unit -------------------------------------------------------------------------
@service
def unit_close(*, acting: Actor, unit: Unit, move_to: Unit | None = None) -> None:
    """The unit goes. Its scorecards and OKR objectives (closed cycles' too: their history
    stays whole) move to `move_to` first; its people stay, out of it. A unit with
    sub-units is refused: they are moved or closed first, one decision each."""
    require(acting, Action.DELETE, unit)
    if unit.parent_id is None:
        raise ValidationError(f"“{unit}” is the company: it is not closed, only renamed.")
    children = list(unit.children.order_by("name").values_list("name", flat=True))
    if children:
        raise ValidationError(
            f"“{unit}” has sub-units ({', '.join(children[:5])}"
            f"{', …' if len(children) > 5 else ''}): move or close them first."
        )
    cards = list(Scorecard.objects.filter(unit=unit).order_by("pk"))
    objectives = list(Objective.objects.filter(unit=unit).order_by("pk"))
    if cards or objectives:
        if move_to is None:
            raise ValidationError(
                {
                    "move_to": [
                        f"“{unit}” has {len(cards)} scorecard(s) and {len(objectives)} "
                        "OKR objective(s): choose the unit they move to."
                    ]
                }
            )
        if move_to.pk == unit.pk:
            raise ValidationError({"move_to": ["They move to another unit, not the one closing."]})
        require(acting, Action.CHANGE, move_to)
        for card in cards:
            if Scorecard.objects.filter(unit=move_to, name=card.name).exists():
                raise ValidationError(
                    {
                        "move_to": [
                            f"{move_to} has a scorecard named “{card.name}” already: rename "
                            "one of them first."
                        ]
                    }
                )
            card.unit = move_to
            validated_save(card)
        for objective in objectives:
            objective.unit = move_to
            validated_save(objective)
    # Its people leave it; what it held is the other unit's now.
    changed(units=[unit.pk, unit.parent_id, move_to.pk if move_to else None])
    unit.delete()
