"""One-click check-in links from the reminders: for one person and one key result, seven
days, once; without a password unless single sign-on is enforced; refused to whoever is
signed in as someone else; bad values answered on the page, never a 500."""

import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from lodestar.chat.links import checkin_link
from lodestar.chat.models import UsedCheckinLink
from lodestar.notify.models import NotificationPreference
from lodestar.notify.rhythm import notify_run
from lodestar.notify.tests.test_webhooks import Receiver
from lodestar.okrs.models import CheckIn
from lodestar.okrs.services import key_result_create, objective_create
from lodestar.settings import oidc_providers

pytestmark = pytest.mark.django_db
GOOD = {"value": "52", "confidence": "7", "note": "Survey is in."}


def checkins() -> int:
    return CheckIn.objects.count()


def test_a_reminder_link_checks_in_once_without_a_password(world, nps, settings):
    settings.SITE_URL = "https://okr.example.com"
    world.member.email = "member@example.com"
    world.member.save()
    notify_run()
    body = next(m.body for m in mail.outbox if m.to == ["member@example.com"])
    assert "Check in on: Raise NPS from 45 to 70" in body
    path = re.search(r"https://okr\.example\.com(/chat/checkin/[^\s]+)", body)[1]
    browser = Client()  # not signed in
    page = browser.get(path)
    assert page.status_code == 200
    assert "Check in on: Raise NPS from 45 to 70" in page.content.decode()
    done = browser.post(path, GOOD)
    assert done.status_code == 200 and "Checked in" in done.content.decode()
    [checkin] = CheckIn.objects.all()
    assert (checkin.value, checkin.confidence, checkin.author) == (52, 7, world.member)
    assert checkin.note == "Survey is in."
    again = browser.post(path, GOOD)
    assert again.status_code == 410 and "already used" in again.content.decode()
    assert browser.get(path).status_code == 410
    assert checkins() == 1


def test_an_expired_link_says_so_and_writes_nothing(world, nps):
    path = checkin_link(world.member, nps)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        answer = Client().post(path, GOOD)
    assert answer.status_code == 410 and "expired" in answer.content.decode()
    assert checkins() == 0 and not UsedCheckinLink.objects.exists()


def test_another_persons_link_is_refused_to_whoever_is_signed_in(world, nps, signed_in):
    path = checkin_link(world.member, nps)
    answer = signed_in(world.lead).post(path, GOOD)
    assert answer.status_code == 403 and "This link is for" in answer.content.decode()
    assert checkins() == 0
    assert signed_in(world.member).post(path, GOOD).status_code == 200  # its own person


def test_a_tampered_link_is_not_found(world, nps):
    path = checkin_link(world.member, nps)
    assert Client().get(path[:-3] + "xx/").status_code == 404
    assert Client().get("/chat/checkin/nonsense/").status_code == 404


def test_a_link_for_what_its_person_may_not_check_in_on_is_refused(world, nps):
    """The permission layer decides, with the link's person's rights: an outsider's link
    to a private key result of someone else finds nothing."""
    secret = objective_create(
        acting=None, cycle=world.cycle, title="Secret", owner=world.member, visibility="private"
    )
    hidden = key_result_create(acting=None, objective=secret, title="Hidden", owner=world.member)
    assert Client().post(checkin_link(world.outsider, hidden), GOOD).status_code == 404
    assert Client().post(checkin_link(world.viewer, nps), GOOD).status_code == 403
    assert checkins() == 0


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"value": "lots", "confidence": "7"}, "Enter a number."),
        ({"value": "50", "confidence": "11"}, "less than or equal to 10"),
        ({"value": "", "confidence": "7"}, "This field is required."),
        ({"value": "1e999", "confidence": "7"}, ""),
    ],
)
def test_bad_values_are_answered_on_the_page_and_the_link_still_works(world, nps, bad, words):
    path = checkin_link(world.member, nps)
    answer = Client().post(path, bad)
    assert answer.status_code == 400 and words in answer.content.decode()
    assert checkins() == 0 and not UsedCheckinLink.objects.exists()
    assert Client().post(path, GOOD).status_code == 200


def test_with_sso_enforced_the_link_asks_to_sign_in_first(world, nps, settings):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_providers("https://idp.example.com", "x", "y", "Okta")
    settings.SSO_ONLY = True
    path = checkin_link(world.member, nps)
    answer = Client().post(path, GOOD)
    assert answer.status_code == 302 and "/login/" in answer["Location"]
    assert checkins() == 0
    signed = Client()
    signed.force_login(world.member)
    assert signed.post(path, GOOD).status_code == 200 and checkins() == 1


def test_a_teams_reminder_carries_the_links_too(world, nps, settings):
    receiver = Receiver()
    try:
        NotificationPreference.objects.create(
            person=world.member, channel="teams", webhook_url=f"{receiver.url}/teams"
        )
        notify_run()
        cards = [json.loads(r["body"]) for r in receiver.received if b"Check-ins" in r["body"]]
    finally:
        receiver.close()
    [run] = [
        inline
        for block in cards[0]["attachments"][0]["content"]["body"]
        for inline in block["inlines"]
        if inline["text"] == "Check in on: Raise NPS from 45 to 70"
    ]
    path = urlsplit(run["selectAction"]["url"]).path
    assert path.startswith("/chat/checkin/")
    assert Client().post(path, GOOD).status_code == 200 and checkins() == 1
