"""The week's reminders and digests, sent to real local HTTP receivers in Slack's and
Teams' shapes and into Django's mail outbox; nothing twice in a week; a failure retried
without blocking the rest; a digest never mentions what its reader may not see."""

import io
import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from lodestar.notify.models import Notification, NotificationPreference, UnitChannel
from lodestar.notify.rhythm import deliver_notifications, notify_run, plan_week
from lodestar.notify.tests.test_webhooks import Receiver
from lodestar.okrs.models import KeyResult
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.strategy.services import measure_create, strategic_objective_create

TODAY = date(2026, 12, 1)  # a Tuesday


@pytest.fixture
def receivers():
    slack, teams = Receiver(), Receiver()
    yield slack, teams
    slack.close()
    teams.close()


@pytest.fixture
def work(world, settings):
    settings.SITE_URL = "https://okr.example.com"
    world.member.email = "member@example.com"
    world.member.save()
    world.lead.email = "lead@example.com"
    world.lead.save()
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Grow sales", unit=world.sales, owner=world.lead
    )
    key_result_create(
        acting=None, objective=objective, title="Close deals", owner=world.member, target=10
    )
    secret = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Secret plan",
        owner=world.member,
        visibility="private",
    )
    key_result_create(acting=None, objective=secret, title="Hidden step", owner=world.member)
    # Both were added when the cycle began and stay silent: stale, worth a digest line.
    KeyResult.objects.update(created_at=datetime(2026, 10, 1, tzinfo=UTC))
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Win deals",
    )
    measure_create(
        acting=None,
        objective=strategic,
        name="Win rate",
        baseline=20,
        target=40,
        owner=world.member,
    )
    return objective


def bodies(receiver: Receiver) -> list[dict]:
    return [json.loads(item["body"]) for item in receiver.received]


def test_reminders_go_by_mail_with_links_back_and_not_twice_in_a_week(world, work):
    notify_run(TODAY)
    to_member = [m for m in mail.outbox if m.to == ["member@example.com"]]
    subjects = sorted(m.subject for m in to_member)
    assert subjects == ["[Lodestar] Check-ins due this week", "[Lodestar] Measure values due"]
    checkins = next(m for m in to_member if "Check-ins" in m.subject)
    assert "- Check in on: Close deals\n  https://okr.example.com/chat/checkin/" in checkins.body
    html, kind = checkins.alternatives[0]
    assert kind == "text/html" and 'href="https://okr.example.com/my/"' in html
    measures = next(m for m in to_member if "Measure" in m.subject)
    assert "Win rate for November 2026" in measures.body
    sent = len(mail.outbox)
    assert notify_run(TODAY) == (0, 0)
    with time_machine.travel(date(2026, 12, 3), tick=False):  # the command, later that week
        call_command("notify", stdout=io.StringIO())
    assert len(mail.outbox) == sent
    assert Notification.objects.filter(person=world.member).count() == 2


def test_a_unit_channel_gets_the_digest_in_slacks_and_teams_shapes_without_private_work(
    world, work, receivers
):
    slack, teams = receivers
    UnitChannel.objects.create(unit=world.sales, slack_url=slack.url, teams_url=teams.url)
    visible = key_result_create(
        acting=None, objective=work, title="Visible move", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=visible, value=4, confidence=7)
    secret = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Other secret",
        unit=world.sales,
        visibility="private",
        owner=world.lead,
    )
    hidden = key_result_create(
        acting=None, objective=secret, title="Hidden move", owner=world.lead, target=5
    )
    checkin_create(acting=None, key_result=hidden, value=2, confidence=7)
    notify_run(TODAY)
    [slack_body] = bodies(slack)
    assert set(slack_body) == {"text", "blocks"}
    assert slack_body["blocks"][0]["type"] == "header"
    assert "Weekly digest for Sales" in slack_body["text"]
    [teams_body] = bodies(teams)
    assert teams_body["type"] == "message"
    [attachment] = teams_body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"]["type"] == "AdaptiveCard"
    assert attachment["content"]["version"] == "1.4"
    everything = json.dumps(slack_body) + json.dumps(teams_body)
    assert "Close deals" in everything and "https://okr.example.com/" in everything
    assert "Hidden step" not in everything and "Secret plan" not in everything
    assert "Moved this week" in everything and "Visible move: 4 of 10" in everything
    assert "Hidden move" not in everything


def test_the_leads_own_digest_shows_what_the_lead_may_see(world, work):
    notify_run(TODAY)
    [digest] = [m for m in mail.outbox if m.to == ["lead@example.com"]]
    assert "Weekly digest for Sales" in digest.subject
    assert "Hidden step" in digest.body  # the lead sees a member's private objective


def test_a_person_who_chose_slack_or_off_gets_it_there_or_not_at_all(world, work, receivers):
    slack, _ = receivers
    NotificationPreference.objects.create(
        person=world.member, channel="slack", webhook_url=slack.url
    )
    NotificationPreference.objects.create(person=world.lead, channel="off")
    notify_run(TODAY)
    texts = [body["text"] for body in bodies(slack)]
    assert sorted(texts)[0].startswith("Check-ins due this week")
    assert not [m for m in mail.outbox if m.to in (["member@example.com"], ["lead@example.com"])]


def test_it_waits_for_the_persons_weekday(world, work):
    NotificationPreference.objects.create(person=world.member, weekday=4)  # Friday
    plan_week(TODAY)
    assert not Notification.objects.filter(person=world.member).exists()
    plan_week(date(2026, 12, 4))
    assert Notification.objects.filter(person=world.member).count() == 2


def test_a_failed_delivery_is_retried_later_and_blocks_no_other(world, work, receivers):
    slack, _ = receivers
    slack.status = 500
    UnitChannel.objects.create(unit=world.support, slack_url=slack.url)
    notify_run(TODAY)
    failed = Notification.objects.get(recipient=f"unit:{world.support.pk}")
    assert (
        failed.status == "pending"
        and failed.attempts == 1
        and "Slack answered 500." in failed.last_error
    )
    assert any(m.to == ["member@example.com"] for m in mail.outbox)  # the others went out
    slack.status = 200
    Notification.objects.filter(pk=failed.pk).update(next_attempt_at=failed.created_at)
    deliver_notifications()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 2)


def test_preferences_and_unit_channels_are_set_on_the_page_and_through_the_api(
    world, signed_in, receivers
):
    from lodestar.conftest import token_client

    slack, teams = receivers
    page = signed_in(world.member)
    assert page.get("/settings/notifications/").status_code == 200
    refused = page.post("/settings/notifications/", {"channel": "slack", "weekday": "2"})
    assert refused.status_code == 400 and "incoming webhook URL" in refused.content.decode()
    page.post(
        "/settings/notifications/", {"channel": "slack", "weekday": "2", "webhook_url": slack.url}
    )
    saved = NotificationPreference.objects.get(person=world.member)
    assert (saved.channel, saved.weekday, saved.webhook_url) == ("slack", 2, slack.url)
    api = token_client(world.member)
    answer = api.put(
        "/api/v1/me/notifications", {"channel": "off"}, content_type="application/json"
    )
    assert answer.json() == {"channel": "off", "weekday": 0, "webhook_url": ""}
    lead = token_client(world.lead)
    body = {"teams_url": teams.url}
    assert (
        api.put(
            f"/api/v1/units/{world.sales.pk}/channels", body, content_type="application/json"
        ).status_code
        == 403
    )
    done = lead.put(
        f"/api/v1/units/{world.sales.pk}/channels", body, content_type="application/json"
    )
    assert done.json() == {"unit": world.sales.pk, "slack_url": "", "teams_url": teams.url}
    signed_in(world.lead).post(
        "/settings/notifications/",
        {"unit": world.sales.pk, "slack_url": slack.url, "teams_url": ""},
    )
    assert UnitChannel.objects.get(unit=world.sales).slack_url == slack.url
