"""Hostile values in every field of the one-click page and of Slack's check-in form: a
clear refusal or a check-in, never a server error."""

import json
import time
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from lodestar.chat.links import checkin_link
from lodestar.chat.models import SlackIdentity
from lodestar.chat.tests.test_slack import SECRET, signature, submission
from lodestar.tests.hostile import hostile_values

pytestmark = pytest.mark.django_db
FIELDS = ("value", "confidence", "note")
GOOD = {"value": "50", "confidence": "7", "note": ""}


def as_form(value) -> list[str]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("field", FIELDS)
def test_the_one_click_page_refuses_hostile_values_plainly(world, nps, field):
    for hostile in hostile_values(nps.pk):
        fields = {**{k: [v] for k, v in GOOD.items()}, field: as_form(hostile.form)}
        pairs = [(name, value) for name, values in fields.items() for value in values]
        body = urlencode(pairs, encoding="utf-8", errors="surrogatepass")
        answer = Client().post(
            checkin_link(world.member, nps), body, content_type="application/x-www-form-urlencoded"
        )
        assert answer.status_code in (200, 400), (field, hostile.name, answer.status_code)


@pytest.mark.parametrize("field", FIELDS)
def test_slacks_form_refuses_hostile_values_beside_the_field(world, nps, settings, field):
    settings.SLACK_SIGNING_SECRET = SECRET
    SlackIdentity.objects.create(team_id="T1", user_id="U123", person=world.member)
    for n, hostile in enumerate(hostile_values(nps.pk)):
        payload = submission(nps.pk, **{**GOOD, field: hostile.value})
        payload |= {"team": {"id": "T1"}, "user": {"id": "U123"}}
        body = urlencode({"payload": json.dumps(payload)}).encode()
        stamp = str(int(time.time()) - n)  # one signature each: no replay
        signed = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature(body, stamp)}
        answer = Client().post(
            reverse("chat-slack-interactions"),
            body,
            content_type="application/x-www-form-urlencoded",
            headers=signed,
        )
        assert answer.status_code in (200, 400), (field, hostile.name, answer.status_code)


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        "[]",
        '{"team": "T1", "user": {"id": "U123"}}',
        '{"team": {"id": "T1"}, "user": {"id": "U123"}, "type": "view_submission", "view": []}',
        '{"team": {"id": "T1"}, "user": {"id": "U123"}, "type": "block_actions", "actions": {}}',
        '{"team": {"id": "T1"}, "user": {"id": "U123"}, "type": "block_actions",'
        ' "actions": [{"action_id": "checkin", "value": [1]}]}',
    ],
)
def test_a_signed_payload_of_the_wrong_shape_is_no_server_error(world, nps, settings, payload):
    settings.SLACK_SIGNING_SECRET = SECRET
    SlackIdentity.objects.create(team_id="T1", user_id="U123", person=world.member)
    body = urlencode({"payload": payload}).encode()
    stamp = str(int(time.time()))
    signed = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature(body, stamp)}
    answer = Client().post(
        reverse("chat-slack-interactions"),
        body,
        content_type="application/x-www-form-urlencoded",
        headers=signed,
    )
    assert answer.status_code in (200, 400)
