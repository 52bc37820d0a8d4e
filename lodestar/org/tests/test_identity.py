"""Identity you can trust: an e-mail names one person, a person's own new e-mail is
confirmed from that address, and the import finds people only by what is theirs."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from lodestar.conftest import token_client
from lodestar.exchange.importer import import_book
from lodestar.exchange.models import ImportKey
from lodestar.exchange.reader import read_bytes
from lodestar.org.models import Membership, Person
from lodestar.org.services import person_update

COLLEAGUE = "legal.lead@acme.test"


def api(client, method: str, path: str, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


def memberships_csv(rows: list[tuple[str, str, str]]) -> bytes:
    lines = ["unit,person,role"] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def colleague(world) -> Person:
    """The outsider leads nothing yet; an admin gave them their e-mail. The member was
    created before them (a lower id), which made "the first of either" pick the member."""
    assert world.member.pk < world.outsider.pk
    return person_update(acting=None, person=world.outsider, email=COLLEAGUE)


def test_a_member_cannot_take_a_colleagues_email_and_be_made_lead_by_an_import(world, colleague):
    member = token_client(world.member)
    response = api(member, "patch", f"people/{world.member.pk}", {"email": COLLEAGUE.upper()})
    assert response.status_code == 400, response.content
    assert "confirm" in response.json()["errors"]["email"][0].lower()
    world.member.refresh_from_db()
    assert world.member.email == ""

    ImportKey.objects.create(model="org.unit", key="support", object_id=world.support.pk)
    data = memberships_csv([("support", COLLEAGUE, "lead")])
    report = import_book(read_bytes(data, "memberships.csv"), acting=world.admin)
    assert report.ok, [str(p) for p in report.problems]
    lead = Membership.objects.get(unit=world.support, role="lead")
    assert lead.person == world.outsider


def test_emails_are_unique_whatever_their_case(world, colleague, as_):
    taken = {"username": "copycat", "email": COLLEAGUE.title()}
    response = api(as_("admin"), "post", "people/", taken)
    assert response.status_code == 409, response.content
    assert response.json()["errors"]["email"] == ["This e-mail belongs to another person."]
    response = api(as_("admin"), "patch", f"people/{world.lead.pk}", {"email": COLLEAGUE.upper()})
    assert response.status_code == 409
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=world.lead.pk).update(email=COLLEAGUE.upper())
    # Empty e-mails are not addresses: any number of people have none.
    assert Person.objects.filter(email="").count() > 2


def test_an_admin_sets_an_email_directly(world, as_):
    response = api(as_("admin"), "patch", f"people/{world.member.pk}", {"email": "m@acme.test"})
    assert response.status_code == 200, response.content
    world.member.refresh_from_db()
    assert world.member.email == "m@acme.test"
    assert mail.outbox == []


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+(/account/email/confirm/\S+/)", message.body).group(1)


def test_a_person_changes_their_email_by_opening_the_link_sent_to_the_new_address(
    world, colleague, signed_in
):
    member = token_client(world.member)
    response = api(member, "post", "me/email", {"email": "new.me@acme.test"})
    assert response.status_code == 202, response.content
    world.member.refresh_from_db()
    assert world.member.email == ""  # nothing changes until the link is opened
    (message,) = mail.outbox
    assert message.to == ["new.me@acme.test"]
    link = confirmation_link(message)

    # Someone else opening it (whoever reads that mailbox, signed in as themselves) changes
    # nothing; nor does a tampered token.
    assert signed_in(world.outsider).get(link).status_code == 403
    assert signed_in(world.member).get(link[:-3] + "xx/").status_code == 400
    world.member.refresh_from_db()
    assert world.member.email == ""

    page = signed_in(world.member)
    response = page.get(link, follow=True)
    assert response.status_code == 200
    assert "new.me@acme.test" in response.content.decode()
    world.member.refresh_from_db()
    assert world.member.email == "new.me@acme.test"
    # A link works once: the e-mail it was sent from is no longer the person's.
    assert page.get(link).status_code == 400


def test_a_confirmation_is_not_sent_for_an_email_someone_else_has(world, colleague):
    response = api(token_client(world.member), "post", "me/email", {"email": COLLEAGUE.upper()})
    assert response.status_code == 409
    assert mail.outbox == []


def test_the_email_page_sends_the_link(world, signed_in):
    page = signed_in(world.member)
    own = page.get(reverse("person", args=[world.member.pk])).content.decode()
    assert reverse("account-email") in own  # offered on one's own page only (the top
    # bar's Settings menu offers one's own everywhere: look at the page itself)
    other = page.get(reverse("person", args=[world.lead.pk])).content.decode()
    assert reverse("account-email") not in other.split('<main id="main">', 1)[1]
    assert page.get(reverse("account-email")).status_code == 200
    response = page.post(reverse("account-email"), {"email": "page@acme.test"}, follow=True)
    assert response.status_code == 200
    assert "page@acme.test" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["page@acme.test"]
    response = page.post(reverse("account-email"), {"email": "not an address"})
    assert response.status_code == 400
    assert "valid e-mail" in response.content.decode()


def test_the_import_finds_a_person_by_login_or_email_and_refuses_a_name_for_two(world):
    # An admin gave the lead a login that is the outsider's e-mail: the name is ambiguous.
    person_update(acting=None, person=world.outsider, email="sam@acme.test")
    person_update(acting=None, person=world.lead, username="sam@acme.test")
    ImportKey.objects.create(model="org.unit", key="support", object_id=world.support.pk)
    data = memberships_csv([("support", "SAM@acme.test", "lead")])
    report = import_book(read_bytes(data, "memberships.csv"), acting=world.admin)
    assert not report.ok
    (problem,) = report.problems
    assert (problem.sheet, problem.row, problem.column) == ("memberships", 2, "person")
    assert "two people" in problem.message
    assert not Membership.objects.filter(unit=world.support, role="lead").exists()
