"""Outgoing webhooks: written with the change, delivered later by the worker to a real
local HTTP receiver, signed with HMAC-SHA256; failures retried with back-off and logged."""

import hashlib
import hmac
import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from lodestar.notify.delivery import claim_due, deliver_due, retry_delay
from lodestar.notify.models import WebhookDelivery
from lodestar.notify.services import webhook_subscription_create
from lodestar.okrs.services import (
    checkin_create,
    cycle_close,
    key_result_create,
    objective_create,
)
from lodestar.strategy.services import (
    measure_create,
    measure_value_record,
    strategic_objective_create,
)


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it gets and answers `status`."""

    def __init__(self, status: int = 200):
        self.status = status
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"nope" if receiver.status >= 400 else b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def key_result(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    return key_result_create(
        acting=None,
        objective=objective,
        title="Revenue",
        owner=world.member,
        baseline=0,
        target=100,
    )


def subscribe(url: str, events: list[str]):
    return webhook_subscription_create(
        acting=None, name="CRM", url=url, events=events, secret="s3cret"
    )


def test_a_checkin_is_delivered_signed_to_a_real_receiver(world, key_result, receiver):
    subscribe(receiver.url, ["checkin.created"])
    with time_machine.travel(datetime(2026, 11, 16, 12), tick=False):
        checkin = checkin_create(
            acting=None, key_result=key_result, value=60, confidence=8, author=world.member
        )
    assert receiver.received == []  # nothing is sent inside the write
    assert deliver_due() == 1
    [request] = receiver.received
    expected = "sha256=" + hmac.new(b"s3cret", request["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request["headers"]["X-Lodestar-Signature"], expected)
    assert request["headers"]["X-Lodestar-Event"] == "checkin.created"
    body = json.loads(request["body"])
    assert body["event"] == "checkin.created"
    assert body["data"]["checkin"]["id"] == checkin.pk
    assert body["data"]["key_result"]["score"] == 0.6
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 1
    assert delivery.log.get().response_status == 200


def test_a_checkin_that_moves_the_colour_reports_the_status_change(world, key_result, receiver):
    subscribe(receiver.url, ["key_result.status_changed"])
    with time_machine.travel(datetime(2026, 11, 16, 12), tick=False):
        checkin_create(acting=None, key_result=key_result, value=90, confidence=9)
        checkin_create(
            acting=None, key_result=key_result, value=91, confidence=9
        )  # still green, on track
    deliver_due()
    [request] = receiver.received
    data = json.loads(request["body"])["data"]
    assert data["before"] == {"colour": "grey", "pace": "not_started"}  # never checked in
    assert data["after"] == {"colour": "green", "pace": "on_track"}


def test_measure_values_and_closing_a_cycle_are_events_too(world, key_result, receiver):
    subscribe(receiver.url, ["*"])
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="NPS",
    )
    measure = measure_create(acting=None, objective=objective, name="NPS", baseline=10, target=50)
    measure_value_record(
        acting=None, measure=measure, period=datetime(2026, 11, 3).date(), actual=30
    )
    measure_value_record(
        acting=None, measure=measure, period=datetime(2026, 11, 9).date(), actual=35
    )
    cycle_close(acting=None, cycle=world.cycle)
    deliver_due()
    events = [r["headers"]["X-Lodestar-Event"] for r in receiver.received]
    assert events == ["measure_value.created", "measure_value.updated", "cycle.closed"]
    assert json.loads(receiver.received[1]["body"])["data"]["measure"]["performance"] == 0.625


def test_nothing_is_queued_when_the_write_rolls_back(world, key_result, receiver):
    subscribe(receiver.url, ["checkin.created"])
    with pytest.raises(RuntimeError), transaction.atomic():
        checkin_create(acting=None, key_result=key_result, value=60, confidence=8)
        raise RuntimeError("the request failed after the check-in")
    assert not WebhookDelivery.objects.exists()


def test_a_subscription_gets_only_its_events(world, key_result, receiver):
    subscribe(receiver.url, ["cycle.closed"])
    checkin_create(acting=None, key_result=key_result, value=60, confidence=8)
    assert deliver_due() == 0 and not WebhookDelivery.objects.exists()


def test_a_failing_receiver_is_retried_with_back_off_and_logged(world, key_result):
    failing = Receiver(status=500)
    try:
        subscribe(failing.url, ["checkin.created"])
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            checkin_create(acting=None, key_result=key_result, value=60, confidence=8)
            assert deliver_due() == 1
            assert deliver_due() == 0  # not due again yet
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending" and delivery.attempts == 1
        assert delivery.next_attempt_at == start + retry_delay(1)
        with time_machine.travel(delivery.next_attempt_at, tick=False):
            assert deliver_due() == 1
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        assert delivery.next_attempt_at - timezone.now() > retry_delay(1)  # doubled
        failing.status = 200
        with time_machine.travel(delivery.next_attempt_at, tick=False):
            deliver_due()
        delivery.refresh_from_db()
        assert delivery.status == "delivered"
        assert [a.response_status for a in delivery.log.all()] == [500, 500, 200]
        assert delivery.log.first().error == "The receiver answered 500."  # never its body
        assert len(failing.received) == 3
    finally:
        failing.close()


def test_it_gives_up_after_the_last_attempt(world, key_result, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    subscribe("http://127.0.0.1:9/unreachable", ["checkin.created"])
    checkin_create(acting=None, key_result=key_result, value=60, confidence=8)
    now = timezone.now()
    for minutes in (0, 60):
        with time_machine.travel(now + timedelta(minutes=minutes), tick=False):
            deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 2
    assert all(a.error == "Could not connect to 127.0.0.1." for a in delivery.log.all())


def test_back_off_doubles_up_to_six_hours():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay(30) == timedelta(hours=6)


def test_only_one_worker_claims_a_delivery(world, key_result):
    subscribe("http://127.0.0.1:9/unreachable", ["checkin.created"])
    checkin_create(acting=None, key_result=key_result, value=60, confidence=8)
    first = claim_due()
    assert first is not None
    assert claim_due() is None  # the lease moved next_attempt_at forward
    # A second worker that read the row before the first claimed it loses the UPDATE.
    stale = WebhookDelivery.objects.filter(pk=first.pk)
    assert stale.filter(next_attempt_at__lte=timezone.now()).update(attempts=9) == 0


def test_the_worker_command_sends_due_deliveries(world, key_result, receiver, capsys):
    subscribe(receiver.url, ["checkin.created"])
    checkin_create(acting=None, key_result=key_result, value=60, confidence=8)
    call_command("webhooks")
    assert "Attempted 1 deliveries." in capsys.readouterr().out
    assert len(receiver.received) == 1


def test_unknown_events_are_refused_by_name(world):
    with pytest.raises(ValidationError) as refused:
        subscribe("http://127.0.0.1:9/", ["checkin.deleted"])
    assert "events" in refused.value.message_dict
