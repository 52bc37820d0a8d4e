"""The people and unit management pages (issue 23): invitations through Django's mail
outbox, the one-time link, edits, leaving, the unit tree; a member sees no manage button
and is refused every manage page."""

import re

import time_machine
from auditlog.models import LogEntry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lodestar.okrs.services import objective_create
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.services import person_update


def signs_in(username: str, password: str) -> bool:
    answer = Client().post(reverse("login"), {"username": username, "password": password})
    return answer.status_code == 302 and reverse("login") not in answer["Location"]


def invitation_path() -> str:
    [message] = mail.outbox
    return re.search(r"https?://[^/]+(/invitation/\S+)", message.body).group(1)


def invite_ada(browser) -> Person:
    answer = browser.post(
        reverse("people-invite"),
        {
            "email": "ada@example.com",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "role": "member",
            "unit_role": "member",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return Person.objects.get(email="ada@example.com")


def choose(path: str, password: str):
    """Open the link and choose a password, as the invitee's browser does."""
    browser = Client()
    opened = browser.get(path)
    if opened.status_code != 302:
        return opened
    return browser.post(opened["Location"], {"new_password1": password, "new_password2": password})


def test_an_invited_person_chooses_a_password_once(world, signed_in, settings):
    settings.SITE_URL = "https://okr.example.com"
    ada = invite_ada(signed_in(world.admin))
    assert not ada.has_usable_password()
    path = invitation_path()
    assert mail.outbox[0].body.count("https://okr.example.com/invitation/") == 1
    done = choose(path, "a-longer-one-7")
    assert done.status_code == 302 and done["Location"] == reverse("login")
    assert signs_in("ada@example.com", "a-longer-one-7")
    again = choose(path, "another-one-8")
    assert again.status_code == 200
    assert "no longer valid" in again.content.decode()
    assert signs_in("ada@example.com", "a-longer-one-7")


def test_an_expired_invitation_is_refused(world, signed_in, settings):
    invite_ada(signed_in(world.admin))
    later = timezone.now() + timezone.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        answer = choose(invitation_path(), "a-longer-one-7")
    assert "no longer valid" in answer.content.decode()
    assert not Person.objects.get(email="ada@example.com").has_usable_password()


def test_a_deactivated_invitee_cannot_use_the_link(world, signed_in):
    browser = signed_in(world.admin)
    ada = invite_ada(browser)
    browser.post(reverse("person-deactivate", args=[ada.pk]), {})
    assert not Person.objects.get(pk=ada.pk).is_active
    assert "no longer valid" in choose(invitation_path(), "a-longer-one-7").content.decode()


def test_the_invitation_is_sent_again_from_the_edit_page(world, signed_in):
    browser = signed_in(world.admin)
    ada = invite_ada(browser)
    page = browser.get(reverse("person-edit", args=[ada.pk])).content.decode()
    assert "Send the invitation again" in page
    browser.post(reverse("person-invite-again", args=[ada.pk]))
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["ada@example.com"]


def test_a_bad_invitation_is_answered_beside_its_field(world, signed_in):
    world.member.email = "member@example.com"
    world.member.save(update_fields=["email"])
    browser = signed_in(world.admin)
    for fields, words in [
        ({"email": "MEMBER@Example.com"}, "belongs to another person"),
        ({"email": "ok@example.com", "first_name": "x" * 10_000}, "at most 150"),
        ({"email": "ok@example.com", "units": ["99999999999999999999"]}, "is not a valid value"),
    ]:
        body = {"role": "member", "unit_role": "member", **fields}
        answer = browser.post(reverse("people-invite"), body)
        assert answer.status_code == 400, fields
        assert words in answer.content.decode(), fields
    assert mail.outbox == []
    assert not Person.objects.filter(email="ok@example.com").exists()


def test_many_are_invited_from_a_csv_all_or_nothing(world, signed_in):
    browser = signed_in(world.admin)
    bad = b"email,first name,unit\nann@example.com,Ann,Sales\nbo@example.com,Bo,Nowhere\n"
    answer = browser.post(
        reverse("people-invite-many"), {"file": SimpleUploadedFile("people.csv", bad)}
    )
    assert answer.status_code == 400
    assert "Row 3, unit: No unit named “Nowhere”." in answer.content.decode()
    assert not Person.objects.filter(email="ann@example.com").exists() and mail.outbox == []
    good = "ann@example.com,Ann,Archer,member,Sales\nbo@example.com,Bo,Baker,viewer,\n"
    answer = browser.post(reverse("people-invite-many"), {"people": good})
    assert answer.status_code == 302
    assert Person.objects.get(email="bo@example.com").role == "viewer"
    assert len(mail.outbox) == 2


def test_the_list_filters_and_a_member_sees_no_manage_button(world, signed_in):
    admin_page = signed_in(world.admin).get(reverse("people"), {"unit": world.sales.pk})
    body = admin_page.content.decode()
    assert "Invite a person" in body and "Lead" in body and "Outsider" not in body
    member = signed_in(world.member)
    body = member.get(reverse("people"), {"q": "outs"}).content.decode()
    assert "Outsider" in body and "Lead" not in body
    assert "Invite" not in body and "/edit" not in body
    assert "Edit" not in member.get(reverse("unit-list")).content.decode()
    for name, args in [
        ("people-invite", []),
        ("people-invite-many", []),
        ("person-edit", [world.outsider.pk]),
        ("person-deactivate", [world.outsider.pk]),
        ("unit-new", []),
        ("unit-edit", [world.sales.pk]),
        ("unit-lead", [world.sales.pk]),
        ("unit-close", [world.sales.pk]),
    ]:
        assert member.get(reverse(name, args=args)).status_code == 403, name


def test_an_edit_changes_role_manager_and_units(world, signed_in):
    browser = signed_in(world.admin)
    answer = browser.post(
        reverse("person-edit", args=[world.member.pk]),
        {
            "first_name": "Mia",
            "last_name": "",
            "email": "",
            "role": "viewer",
            "manager": str(world.lead.pk),
            "units": [str(world.support.pk)],
            "unit_role": "viewer",
            "version": str(world.member.version),
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    member = Person.objects.get(pk=world.member.pk)
    assert (member.first_name, member.role, member.manager) == ("Mia", "viewer", world.lead)
    assert [(m.unit, m.role) for m in member.memberships.all()] == [(world.support, "viewer")]
    history = browser.get(reverse("person", args=[member.pk])).content.decode()
    assert "Viewer" in history


def test_deactivate_then_reactivate(world, signed_in):
    browser = signed_in(world.admin)
    answer = browser.post(reverse("person-deactivate", args=[world.member.pk]), {})
    assert answer.status_code == 302
    assert not signs_in("member", "pw")
    listed = browser.get(reverse("people"), {"active": "no"}).content.decode()
    assert "deactivated" in listed and "Member" in listed
    browser.post(reverse("person-reactivate", args=[world.member.pk]))
    assert signs_in("member", "pw")


def test_an_admin_does_not_deactivate_themselves(world, signed_in):
    answer = signed_in(world.admin).post(reverse("person-deactivate", args=[world.admin.pk]), {})
    assert answer.status_code == 400 and "yourself" in answer.content.decode()
    assert Person.objects.get(pk=world.admin.pk).is_active


def test_units_are_created_moved_led_and_closed(world, signed_in):
    browser = signed_in(world.admin)
    answer = browser.post(
        reverse("unit-new"), {"name": "Field", "kind": "team", "parent": str(world.sales.pk)}
    )
    assert answer.status_code == 302
    field = Unit.objects.get(name="Field")
    answer = browser.post(
        reverse("unit-edit", args=[world.sales.pk]),
        {
            "name": "Sales",
            "kind": "department",
            "parent": str(field.pk),
            "version": str(world.sales.version),
        },
    )
    assert answer.status_code == 400 and "cannot be its own ancestor" in answer.content.decode()
    assert Unit.objects.get(pk=world.sales.pk).parent == world.company
    answer = browser.post(reverse("unit-new"), {"name": "Other", "kind": "company"})
    assert answer.status_code == 400 and "one company" in answer.content.decode()
    answer = browser.post(reverse("unit-lead", args=[field.pk]), {"person": str(world.member.pk)})
    assert answer.status_code == 302
    assert Membership.objects.get(unit=field, role="lead").person == world.member
    objective_create(acting=None, cycle=world.cycle, title="Dig", unit=field)
    answer = browser.post(reverse("unit-close", args=[field.pk]), {"move_to": ""})
    assert answer.status_code == 400 and "choose the unit they move to" in answer.content.decode()
    answer = browser.post(reverse("unit-close", args=[field.pk]), {"move_to": str(world.sales.pk)})
    assert answer.status_code == 302
    assert not Unit.objects.filter(name="Field").exists()
    assert world.sales.okr_objectives.filter(title="Dig").exists()


def test_invitations_role_changes_and_leaving_are_in_the_history(world, signed_in):
    browser = signed_in(world.admin)
    ada = invite_ada(browser)
    person_update(acting=world.admin, person=ada, role="viewer")
    browser.post(reverse("person-invite-again", args=[ada.pk]))
    page = browser.get(reverse("history", args=["people", ada.pk])).content.decode()
    assert "sent to ada@example.com" in page and "sent again to ada@example.com" in page
    assert "Viewer" in page  # the role change, by the admin
    browser.post(reverse("person-deactivate", args=[world.member.pk]), {})
    entries = LogEntry.objects.get_for_object(world.member).filter(
        changes__has_key="is_active", action=LogEntry.Action.UPDATE
    )
    assert [(e.actor, e.changes["is_active"]) for e in entries] == [(world.admin, [True, False])]
