"""The front door's history: sign-ins (and refused ones), SSO identities, invitations, role
changes, deactivations and SCIM's changes, each with who, when and from where (address,
browser, the SCIM client). The admin reads everyone's; a person their own sign-ins; nobody
else's sign-ins show on any person page."""

import json

import pytest
from allauth.socialaccount.models import SocialAccount
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client

from lodestar.org.models import Person
from lodestar.org.services import person_invite
from lodestar.org.tests.test_permission_matrix import submit
from lodestar.scim.services import scim_client_create

pytestmark = pytest.mark.django_db
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def browser(address: str = "203.0.113.7") -> Client:
    return Client(headers={"User-Agent": FIREFOX}, REMOTE_ADDR=address)


def history_page(client: Client, query: str = "") -> str:
    answer = client.get(f"/people/history/{query}")
    assert answer.status_code == 200
    return answer.content.decode()


def test_sign_ins_and_refusals_are_kept_with_where_they_came_from(world, signed_in):
    browser().post("/login/", {"username": "member", "password": "wrong"})
    browser().post("/login/", {"username": "member", "password": "pw"})
    browser().post("/login/", {"username": "nobody-has-it", "password": "pw"})
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_id=world.member.pk)
    events = [(e.additional_data["event"], e.remote_addr) for e in entries.order_by("pk")]
    assert events == [("sign-in refused", "203.0.113.7"), ("signed in", "203.0.113.7")]
    page = history_page(signed_in(world.admin))
    assert "signed in (password)" in page and "sign-in refused" in page
    assert "Firefox 133 on Linux" in page
    assert "nobody-has-it" not in page


def test_a_person_sees_their_own_sign_ins_and_nobody_elses(world, signed_in):
    browser("198.51.100.2").post("/login/", {"username": "lead", "password": "pw"})
    member = browser()
    member.post("/login/", {"username": "member", "password": "pw"})
    own = member.get("/account/sessions/").content.decode()
    assert "signed in (password)" in own and "203.0.113.7" in own
    assert "198.51.100.2" not in own
    # Not on anyone's person page, nor in the admin's person history there.
    for reader in (world.admin, world.lead):
        person_page = signed_in(reader).get(f"/people/{world.member.pk}/").content.decode()
        assert "signed in" not in person_page and "203.0.113.7" not in person_page


def test_only_who_manages_people_reads_everyones(world, signed_in):
    for someone in (world.strat, world.lead, world.member, world.viewer):
        assert signed_in(someone).get("/people/history/").status_code == 403


def test_role_changes_deactivations_and_invitations_say_who_and_from_where(world):
    admin = browser("192.0.2.10")
    admin.post("/login/", {"username": "admin", "password": "pw"})
    submit(admin, admin, f"/people/{world.member.pk}/edit", {"role": "viewer"})
    admin.post(f"/people/{world.outsider.pk}/deactivate", {})
    assert submit(admin, admin, "/people/invite/", {"email": "new@acme.example"}).status_code == 302
    page = history_page(admin)
    assert "Role: Member → Viewer" in page, page
    assert "Active: yes → no" in page
    assert "Invitation" in page
    assert page.count("192.0.2.10") >= 4  # the admin's sign-in and the three changes
    invited = Person.objects.get(email="new@acme.example")
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/invitation/" in line)
    path = link[link.index("/invitation/") :]
    invitee = browser("198.51.100.44")
    form = invitee.get(path, follow=True)
    invitee.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-pass", "new_password2": "a-long-new-pass"},
    )
    their_own = history_page(admin, f"?person={invited.pk}")
    assert "Invitation: — → accepted" in their_own and "198.51.100.44" in their_own


def test_scim_changes_name_the_identity_providers_client(world, signed_in):
    _, secret = scim_client_create(acting=world.admin, name="Okta")
    scim = Client(headers={"authorization": f"Bearer {secret}"}, REMOTE_ADDR="198.51.100.9")
    body = {
        "schemas": [USER],
        "userName": "ada",
        "emails": [{"value": "ada@acme.example"}],
        "active": True,
    }
    created = scim.post("/scim/v2/Users", json.dumps(body), content_type="application/scim+json")
    assert created.status_code == 201
    ada = Person.objects.get(username="ada")
    entry = LogEntry.objects.filter(object_id=ada.pk, action=LogEntry.Action.CREATE).get()
    assert entry.additional_data["via"].startswith("SCIM client Okta (")
    assert entry.remote_addr == "198.51.100.9"
    assert "SCIM client Okta" in history_page(signed_in(world.admin), f"?person={ada.pk}")


def test_sso_identities_linked_and_unlinked_are_in_the_persons_history(world, signed_in):
    account = SocialAccount.objects.create(user=world.member, provider="sso", uid="sub-123")
    account.delete()
    page = history_page(signed_in(world.admin), f"?person={world.member.pk}")
    assert "linked (sso sub-123)" in page and "unlinked (sso sub-123)" in page


def test_an_unknown_or_hidden_person_is_refused_not_a_500(world, signed_in):
    admin = signed_in(world.admin)
    assert admin.get("/people/history/?person=999999").status_code == 404
    assert admin.get("/people/history/?person=x").status_code == 404
    assert admin.get("/people/history/?page=-3").status_code == 200


def test_a_service_outside_any_request_records_no_address(world):
    person_invite(acting=world.admin, email="quiet@acme.example")
    entry = LogEntry.objects.filter(object_repr="quiet@acme.example").first()
    assert entry is not None and entry.remote_addr is None
