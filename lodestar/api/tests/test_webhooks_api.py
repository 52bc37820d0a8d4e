"""Webhook subscriptions and their delivery log through the API: admins only."""

import pytest
from django.test import Client

from lodestar.notify.delivery import deliver_due
from lodestar.okrs.services import checkin_create, key_result_create, objective_create


def send(client: Client, method: str, path: str, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


BODY = {"name": "CRM", "url": "http://127.0.0.1:9/hook", "events": ["checkin.created"]}


@pytest.fixture(autouse=True)
def local_receiver_allowed(settings):
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]  # the CRM of these tests is local


@pytest.mark.parametrize("persona", ["strat", "lead", "member", "viewer"])
def test_only_admins_see_and_manage_subscriptions(world, as_, persona):
    created = send(as_("admin"), "post", "webhooks/", BODY).json()
    client = as_(persona)
    assert send(client, "post", "webhooks/", BODY).status_code == 403
    assert len(client.get("/api/v1/webhooks/").json()["items"]) == 0
    assert client.get(f"/api/v1/webhooks/{created['id']}").status_code == 404
    assert client.get(f"/api/v1/webhooks/{created['id']}/deliveries").status_code == 404


def test_a_subscription_gets_a_secret_and_its_delivery_log(world, as_):
    client = as_("admin")
    created = send(client, "post", "webhooks/", BODY).json()
    assert len(created["secret"]) == 64 and created["active"]
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title="KR", owner=world.member, target=5
    )
    checkin_create(acting=None, key_result=key_result, value=2, confidence=5)
    deliver_due()  # the port refuses: one failed attempt, retry scheduled
    log = client.get(f"/api/v1/webhooks/{created['id']}/deliveries").json()
    [delivery] = log["items"]
    assert delivery["event"] == "checkin.created" and delivery["status"] == "pending"
    assert delivery["attempts"] == 1
    assert delivery["log"][0]["error"] == "Could not connect to 127.0.0.1."
    patched = send(client, "patch", f"webhooks/{created['id']}", {"active": False})
    assert patched.json()["active"] is False
    assert send(client, "delete", f"webhooks/{created['id']}").status_code == 204


def test_an_unknown_event_is_refused(world, as_):
    response = send(as_("admin"), "post", "webhooks/", {**BODY, "events": ["nope"]})
    assert response.status_code == 422 and "events.0" in response.json()["errors"]
