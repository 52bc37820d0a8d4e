"""The admin of the domain reads, never writes: a write there would skip the services
and leave stored scores stale. Its pages still answer, with each object's history."""

from datetime import date

import pytest
from django.urls import reverse

from lodestar.audit.history import entries_of
from lodestar.notify.models import WebhookSubscription
from lodestar.okrs.services import objective_create
from lodestar.strategy.models import Measure, StrategicObjective
from lodestar.strategy.services import (
    measure_create,
    measure_update,
    measure_value_record,
    strategic_objective_create,
)


@pytest.fixture
def measure(world):
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight customers",
    )
    measure = measure_create(acting=None, objective=objective, name="NPS", baseline=0, target=50)
    measure_value_record(acting=None, measure=measure, period=date(2026, 10, 1), actual=40)
    return Measure.objects.get(pk=measure.pk)


def test_the_measure_change_form_refuses_a_post_and_no_score_moves(world, measure, signed_in):
    objective = StrategicObjective.objects.get(pk=measure.objective_id)
    url = reverse("admin:strategy_measure_change", args=[measure.pk])
    client = signed_in(world.admin)
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "NPS", "baseline": 0, "target": 41, "weight": 1})
    assert response.status_code == 403
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.target, stored.performance, stored.status) == (50, measure.performance, "yellow")
    assert StrategicObjective.objects.get(pk=objective.pk).performance == objective.performance


def test_the_admin_offers_no_add_or_delete_of_domain_objects(world, measure, signed_in):
    client = signed_in(world.admin)
    for name in ["strategy_measure_add", "okrs_cycle_add", "org_unit_add"]:
        assert client.get(reverse(f"admin:{name}")).status_code == 403
    delete = reverse("admin:strategy_measure_delete", args=[measure.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Measure.objects.filter(pk=measure.pk).exists()


@pytest.mark.parametrize(
    "name",
    [
        "org_unit",
        "org_person",
        "strategy_scorecard",
        "strategy_strategicobjective",
        "strategy_measure",
        "strategy_initiative",
        "okrs_cycle",
        "okrs_objective",
        "okrs_keyresult",
        "okrs_checkin",
        "auditlog_logentry",
    ],
)
def test_the_admin_lists_still_answer_for_the_admin(world, measure, signed_in, name):
    assert signed_in(world.admin).get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_an_objects_admin_pages_show_it_and_its_history(world, measure, signed_in):
    measure_update(acting=world.strat, measure=measure, target=60)
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    client = signed_in(world.admin)
    assert (
        client.get(reverse("admin:okrs_objective_change", args=[objective.pk])).status_code == 200
    )
    history = client.get(reverse("admin:strategy_measure_auditlog", args=[measure.pk]))
    assert history.status_code == 200
    assert "Strat" in history.content.decode()


def test_a_webhook_subscription_edited_in_the_admin_records_the_admin(world, signed_in):
    client = signed_in(world.admin)
    response = client.post(
        reverse("admin:notify_webhooksubscription_add"),
        {
            "name": "CRM",
            "url": "https://example.com/hook",
            "events": '["*"]',
            "secret": "s",
            "active": "on",
        },
    )
    assert response.status_code == 302
    entry = entries_of(WebhookSubscription.objects.get(name="CRM")).get()
    assert entry.actor == world.admin
    assert "secret" not in entry.changes
