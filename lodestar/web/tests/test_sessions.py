"""/account/sessions/: where I am signed in, each browser ended from another, or all but
this one at once; a session's row follows its key through a password change, and its last
use is noted every few minutes, never on every request."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from lodestar.org.models import SignedInSession
from lodestar.org.sessions import SEEN_EVERY

pytestmark = pytest.mark.django_db
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


def browser(agent: str, address: str) -> Client:
    return Client(headers={"User-Agent": agent}, REMOTE_ADDR=address)


def signed_in_by_password(person, agent: str, address: str) -> Client:
    client = browser(agent, address)
    answer = client.post("/login/", {"username": person.username, "password": "pw"})
    assert answer.status_code == 302, answer.content
    return client


def test_the_page_lists_every_browser_with_this_one_marked(world):
    laptop = signed_in_by_password(world.member, CHROME, "203.0.113.7")
    signed_in_by_password(world.member, IPHONE, "198.51.100.2")
    signed_in_by_password(world.lead, CHROME, "192.0.2.1")  # someone else's
    page = laptop.get("/account/sessions/").content.decode()
    assert "Chrome 131 on Linux" in page and "Mobile Safari 17 on iOS" in page
    assert "203.0.113.7" in page and "198.51.100.2" in page
    assert "192.0.2.1" not in page
    assert page.count("This session") == 1
    assert "Sign out everywhere else" in page


def test_a_session_signed_out_from_another_browser_is_signed_out(world):
    laptop = signed_in_by_password(world.member, CHROME, "203.0.113.7")
    phone = signed_in_by_password(world.member, IPHONE, "198.51.100.2")
    phone_key = phone.session.session_key
    answer = laptop.post("/account/sessions/end", {"session": phone_key})
    assert answer.status_code == 302
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert not SignedInSession.objects.filter(session_key=phone_key).exists()
    assert "/login/" in phone.get("/")["Location"]
    assert laptop.get("/").status_code == 200


def test_nobody_ends_anothers_session(world):
    mine = signed_in_by_password(world.member, CHROME, "203.0.113.7")
    theirs = signed_in_by_password(world.lead, IPHONE, "198.51.100.2")
    mine.post("/account/sessions/end", {"session": theirs.session.session_key})
    mine.post("/account/sessions/end-others")
    assert theirs.get("/").status_code == 200


def test_sign_out_everywhere_else_keeps_this_one(world):
    clients = [signed_in_by_password(world.member, CHROME, f"203.0.113.{n}") for n in (1, 2, 3)]
    clients[0].post("/account/sessions/end-others")
    assert clients[0].get("/").status_code == 200
    assert ["/login/" in c.get("/")["Location"] for c in clients[1:]] == [True, True]
    assert SignedInSession.objects.filter(person=world.member).count() == 1


def test_signing_out_forgets_the_session(world):
    client = signed_in_by_password(world.member, CHROME, "203.0.113.7")
    client.post("/logout/")
    assert not SignedInSession.objects.filter(person=world.member).exists()


def test_a_password_change_keeps_the_session_listed_under_its_new_key(world):
    client = signed_in_by_password(world.member, CHROME, "203.0.113.7")
    old_key = client.session.session_key
    client.post(
        "/account/password/",
        {
            "old_password": "pw",
            "new_password1": "a-long-new-pass",
            "new_password2": "a-long-new-pass",
        },
    )
    new_key = client.session.session_key
    assert new_key != old_key
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [new_key]
    assert "This session" in client.get("/account/sessions/").content.decode()


def test_last_seen_is_noted_every_few_minutes_not_every_request(world, django_assert_num_queries):
    client = signed_in_by_password(world.member, CHROME, "203.0.113.7")
    row = SignedInSession.objects.get(person=world.member)
    client.get("/account/profile/")
    assert SignedInSession.objects.get(pk=row.pk).last_seen_at == row.last_seen_at
    later = timezone.now() + SEEN_EVERY + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        client.get("/account/profile/", REMOTE_ADDR="203.0.113.99")
    moved = SignedInSession.objects.get(pk=row.pk)
    assert moved.last_seen_at == later and moved.ip == "203.0.113.99"


def test_the_tokens_are_listed_beside_the_sessions(world, signed_in):
    from lodestar.api.services import api_token_create

    api_token_create(acting=None, person=world.member, name="CRM sync")
    page = signed_in(world.member).get("/account/sessions/").content.decode()
    assert "CRM sync" in page and "/settings/tokens/" in page
