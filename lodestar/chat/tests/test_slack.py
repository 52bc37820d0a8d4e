"""Slack's requests, signed exactly as Slack signs them (v0 = HMAC-SHA256 of
`v0:{timestamp}:{body}` with the app's signing secret) and sent over real HTTP to the
running server; Slack's Web API is a real local receiver. A bad signature, an old
timestamp, a replayed body and a user not linked are refused, with nothing written."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from lodestar.chat.models import SeenSlackRequest, SlackIdentity
from lodestar.notify.models import NotificationPreference
from lodestar.notify.rhythm import notify_run
from lodestar.notify.tests.test_webhooks import Receiver
from lodestar.okrs.models import CheckIn

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM, USER = "T1", "U123"


@pytest.fixture
def slack_api(settings):
    receiver = Receiver()
    settings.SLACK_SIGNING_SECRET = SECRET
    settings.SLACK_BOT_TOKEN = "xoxb-test-token"
    settings.SLACK_API_URL = f"{receiver.url}/api/"
    yield receiver
    receiver.close()


def signature(body: bytes, timestamp: str, secret: str = SECRET) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def post(url: str, body: bytes, *, timestamp: int | None = None, secret: str = SECRET):
    """(status, text) of a POST signed as Slack signs it."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature(body, stamp, secret),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def command(text: str = "my key results", user: str = USER) -> bytes:
    return urlencode(
        {
            "team_id": TEAM,
            "user_id": user,
            "command": "/lodestar",
            "text": text,
            "response_url": "https://hooks.slack.com/commands/T1/1/x",
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        }
    ).encode()


def interaction(payload: dict) -> bytes:
    base = {"team": {"id": TEAM}, "user": {"id": USER}}
    return urlencode({"payload": json.dumps({**base, **payload})}).encode()


def link(person) -> None:
    SlackIdentity.objects.create(team_id=TEAM, user_id=USER, person=person)


def nothing_written() -> bool:
    return not (CheckIn.objects.exists() or SeenSlackRequest.objects.exists())


def test_a_linked_member_lists_their_key_results_with_check_in_buttons(
    world, nps, slack_api, live_server
):
    link(world.member)
    status, text = post(f"{live_server.url}/chat/slack/commands", command())
    assert status == 200
    answer = json.loads(text)
    assert answer["response_type"] == "ephemeral"
    [listed] = [b for b in answer["blocks"] if b.get("accessory")]
    assert listed["text"]["text"].startswith("Raise NPS from 45 to 70: ")
    assert listed["accessory"]["action_id"] == "checkin"
    assert listed["accessory"]["value"] == str(nps.pk)
    status, text = post(f"{live_server.url}/chat/slack/commands", command("check in"))
    assert status == 200 and "Raise NPS" in text
    status, text = post(f"{live_server.url}/chat/slack/commands", command("dance"))
    assert status == 200 and "/lodestar my key results" in text


@pytest.mark.parametrize(
    "how, words",
    [
        ({"secret": "not-the-secret"}, "signature is not Slack's"),
        ({"timestamp": int(time.time()) - 6 * 60}, "older than five minutes"),
        ({"timestamp": 0}, "older than five minutes"),
    ],
    ids=["bad signature", "old timestamp", "ancient timestamp"],
)
def test_what_slack_did_not_sign_now_is_refused(world, nps, slack_api, live_server, how, words):
    link(world.member)
    status, text = post(f"{live_server.url}/chat/slack/commands", command(), **how)
    assert (status, text) == (401, text) and words in text
    assert "Raise NPS" not in text and SECRET not in text
    submitted = interaction(submission(nps.pk, "60"))
    status, _ = post(f"{live_server.url}/chat/slack/interactions", submitted, **how)
    assert status == 401 and nothing_written() and slack_api.received == []


def test_a_replayed_body_is_refused(world, nps, slack_api, live_server):
    link(world.member)
    body = interaction(submission(nps.pk, "60"))
    stamp = int(time.time())
    url = f"{live_server.url}/chat/slack/interactions"
    assert post(url, body, timestamp=stamp)[0] == 200
    status, text = post(url, body, timestamp=stamp)
    assert status == 401 and "replay" in text
    assert CheckIn.objects.count() == 1


def test_no_secret_configured_means_no_slack_endpoints(world, slack_api, settings, live_server):
    settings.SLACK_SIGNING_SECRET = ""
    assert post(f"{live_server.url}/chat/slack/commands", command())[0] == 404


def test_a_user_not_linked_gets_the_link_and_only_a_signed_in_person_confirms_it(
    world, nps, slack_api, live_server, signed_in
):
    status, text = post(f"{live_server.url}/chat/slack/commands", command())
    answer = json.loads(text)
    assert status == 200 and answer["response_type"] == "ephemeral"
    assert "Link your Slack account" in answer["text"] and "blocks" not in answer
    assert not SlackIdentity.objects.exists() and not CheckIn.objects.exists()
    path = answer["text"][answer["text"].index("/chat/slack/link/") :].split()[0]
    # Not signed in: the sign-in page first.
    from django.test import Client

    assert "/login/" in Client().get(path)["Location"]
    member = signed_in(world.member)
    page = member.get(path).content.decode()
    assert "Link Slack user U123 in team T1 to you?" in page
    assert member.post(path).status_code == 200
    assert SlackIdentity.objects.get().person == world.member
    taken = signed_in(world.lead).post(path)
    assert taken.status_code == 400 and "already linked to someone else" in taken.content.decode()
    assert SlackIdentity.objects.get().person == world.member
    assert signed_in(world.lead).get(path[:-4] + "abc/").status_code == 404


def press(key_result_id: int) -> dict:
    return {
        "type": "block_actions",
        "trigger_id": "12466734323.1395872398",
        "response_url": "",
        "actions": [{"action_id": "checkin", "value": str(key_result_id), "type": "button"}],
    }


def submission(key_result_id: int, value: str, confidence: str = "8", note: str = "") -> dict:
    values = {
        "value": {"value": {"type": "plain_text_input", "value": value}},
        "confidence": {"confidence": {"type": "plain_text_input", "value": confidence}},
        "note": {"note": {"type": "plain_text_input", "value": note or None}},
    }
    view = {"callback_id": "checkin", "private_metadata": str(key_result_id)}
    return {"type": "view_submission", "view": {**view, "state": {"values": values}}}


def test_the_button_opens_the_form_and_its_submission_checks_in(world, nps, slack_api, live_server):
    link(world.member)
    url = f"{live_server.url}/chat/slack/interactions"
    assert post(url, interaction(press(nps.pk)))[0] == 200
    [opened] = slack_api.received
    assert opened["headers"]["Authorization"] == "Bearer xoxb-test-token"
    sent = json.loads(opened["body"])
    assert sent["trigger_id"] == "12466734323.1395872398"
    assert sent["view"]["private_metadata"] == str(nps.pk)
    assert [b["block_id"] for b in sent["view"]["blocks"][1:]] == ["value", "confidence", "note"]
    status, text = post(url, interaction(submission(nps.pk, "61", note="From Slack")))
    assert (status, json.loads(text)) == (200, {"response_action": "clear"})
    [checkin] = CheckIn.objects.all()
    assert (checkin.value, checkin.confidence, checkin.note) == (61, 8, "From Slack")
    assert checkin.author == world.member


def test_bad_values_are_shown_beside_the_field_and_nothing_is_written(
    world, nps, slack_api, live_server
):
    link(world.member)
    url = f"{live_server.url}/chat/slack/interactions"
    status, text = post(url, interaction(submission(nps.pk, "lots", "11")))
    answer = json.loads(text)
    assert status == 200 and answer["response_action"] == "errors"
    assert answer["errors"]["value"] == "Enter a number."
    assert "10" in answer["errors"]["confidence"]
    assert not CheckIn.objects.exists()


def test_what_the_linked_person_may_not_check_in_on_is_refused(world, nps, slack_api, live_server):
    link(world.viewer)
    url = f"{live_server.url}/chat/slack/interactions"
    _, text = post(url, interaction(submission(nps.pk, "60")))
    assert json.loads(text)["errors"] == {"value": "You may not check in on this key result."}
    assert post(url, interaction(press(nps.pk)))[0] == 200
    assert slack_api.received == [] and not CheckIn.objects.exists()


def test_a_button_pressed_by_a_user_not_linked_answers_with_the_link(
    world, nps, slack_api, live_server
):
    body = interaction({**press(nps.pk), "response_url": f"{slack_api.url}/actions/T1/1/x"})
    assert post(f"{live_server.url}/chat/slack/interactions", body)[0] == 200
    [answered] = slack_api.received
    reply = json.loads(answered["body"])
    assert reply["response_type"] == "ephemeral" and "/chat/slack/link/" in reply["text"]
    assert not CheckIn.objects.exists() and not SlackIdentity.objects.exists()


def test_a_slack_reminder_carries_the_check_in_buttons(world, nps, slack_api):
    NotificationPreference.objects.create(
        person=world.member, channel="slack", webhook_url=f"{slack_api.url}/hooks/member"
    )
    notify_run()
    reminder = next(json.loads(r["body"]) for r in slack_api.received if b"Check-ins" in r["body"])
    buttons = [b["accessory"] for b in reminder["blocks"] if b.get("accessory")]
    assert {"action_id": "checkin", "value": str(nps.pk)}.items() <= buttons[0].items()
    assert "Check in on: Raise NPS from 45 to 70" in json.dumps(reminder)
