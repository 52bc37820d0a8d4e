"""The delivery log page: admins only, every attempt shown, queries independent of rows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lodestar.notify.delivery import deliver_due
from lodestar.notify.services import webhook_subscription_create
from lodestar.okrs.services import checkin_create, key_result_create, objective_create


@pytest.fixture
def failed_deliveries(world):
    def make(count: int) -> None:
        objective = objective_create(
            acting=None, cycle=world.cycle, title=f"O{count}", unit=world.sales
        )
        key_result = key_result_create(
            acting=None, objective=objective, title="KR", owner=world.member, target=10
        )
        for value in range(count):
            checkin_create(acting=None, key_result=key_result, value=value, confidence=5)
        deliver_due()  # the port refuses: each delivery logs one failed attempt

    webhook_subscription_create(acting=None, name="CRM", url="http://127.0.0.1:9/", events=["*"])
    return make


def browser(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize("persona", ["strat", "lead", "member", "viewer"])
def test_only_admins_see_the_delivery_log(world, persona):
    assert browser(getattr(world, persona)).get("/settings/webhooks/").status_code == 403


def test_the_log_shows_each_delivery_and_its_attempts(world, failed_deliveries):
    failed_deliveries(1)
    page = browser(world.admin).get("/settings/webhooks/?status=pending")
    html = page.content.decode()
    assert page.status_code == 200
    assert "checkin.created" in html and "Could not connect" in html and "CRM" in html
    assert (
        "checkin.created"
        not in browser(world.admin).get("/settings/webhooks/?status=delivered").content.decode()
    )


def test_the_log_costs_the_same_queries_for_few_and_many_deliveries(world, failed_deliveries):
    admin = browser(world.admin)
    failed_deliveries(1)
    with CaptureQueriesContext(connection) as few:
        admin.get("/settings/webhooks/")
    failed_deliveries(6)
    with CaptureQueriesContext(connection) as many:
        admin.get("/settings/webhooks/")
    assert len(many.captured_queries) == len(few.captured_queries)
