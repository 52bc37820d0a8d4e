"""The turn of a quarter through the pages and the API: a closed cycle refuses every
write, early steps ask for a reason, the next cycle is proposed, and between cycles the
dashboard shows the last closed one."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from lodestar.conftest import token_client
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective
from lodestar.okrs.services import (
    checkin_create,
    cycle_close,
    cycle_create,
    key_result_create,
    objective_create,
)


def api(client, method, path, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


@pytest.fixture
def closed(world):
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Grow sales", unit=world.sales, owner=world.lead
    )
    key_result = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=key_result, value=3, confidence=5)
    cycle_close(acting=None, cycle=world.cycle)
    return objective, key_result


def test_a_closed_cycle_refuses_check_ins_on_the_page_and_in_the_api(world, closed, signed_in):
    _, key_result = closed
    before = CheckIn.objects.count()
    page = signed_in(world.member).post(
        reverse("checkin", args=[key_result.pk]), {"value": "5", "confidence": "7"}
    )
    assert page.status_code == 400 and "is closed" in page.content.decode()
    answer = api(
        token_client(world.member),
        "post",
        "checkins/",
        {"key_result": key_result.pk, "value": 5, "confidence": 7},
    )
    assert answer.status_code == 409 and "is closed" in str(answer.json()["errors"])
    key_result.refresh_from_db()
    assert (CheckIn.objects.count(), key_result.current) == (before, 3)


def test_a_closed_cycle_refuses_objective_and_key_result_changes_everywhere(
    world, closed, signed_in
):
    objective, key_result = closed
    client = token_client(world.lead)
    edited = api(client, "patch", f"objectives/{objective.pk}", {"title": "Renamed"})
    assert edited.status_code == 409 and "is closed" in str(edited.json()["errors"])
    created = api(
        client,
        "post",
        "objectives/",
        {"cycle": world.cycle.pk, "title": "Late", "unit": world.sales.pk},
    )
    assert created.status_code == 409
    changed = api(client, "patch", f"key-results/{key_result.pk}", {"target": 20})
    assert changed.status_code == 409
    added = api(
        client, "post", "key-results/", {"objective": objective.pk, "title": "More", "target": 3}
    )
    assert added.status_code == 409
    page = signed_in(world.lead).post(
        reverse("key-result-edit", args=[key_result.pk]),
        {
            "title": "Deals",
            "owner": world.member.pk,
            "kind": "metric",
            "baseline": "0",
            "target": "20",
        },
    )
    assert page.status_code == 400 and "is closed" in page.content.decode()
    objective.refresh_from_db()
    key_result.refresh_from_db()
    assert (objective.title, key_result.target) == ("Grow sales", 10)
    assert not Objective.objects.filter(title="Late").exists()
    assert not KeyResult.objects.filter(title="More").exists()


def test_the_cycle_page_warns_of_an_early_close_and_asks_for_a_reason(world, signed_in):
    world.cycle.end = timezone.localdate().replace(year=timezone.localdate().year + 1)
    world.cycle.save()
    client = signed_in(world.strat)
    html = client.get(reverse("cycle", args=[world.cycle.pk])).content.decode()
    assert "this closes it early" in html and 'name="reason"' in html
    client.post(reverse("cycle-close", args=[world.cycle.pk]))
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.State.ACTIVE
    refused = client.get(reverse("cycle", args=[world.cycle.pk])).content.decode()
    assert "closing it early needs a reason" in refused
    client.post(reverse("cycle-close", args=[world.cycle.pk]), {"reason": "Merger."})
    world.cycle.refresh_from_db()
    assert (world.cycle.state, world.cycle.early_close_reason) == ("closed", "Merger.")
    assert (
        "Closed early: Merger."
        in client.get(reverse("cycle", args=[world.cycle.pk])).content.decode()
    )


def test_an_early_activation_through_the_api_needs_a_reason(world):
    later = timezone.localdate().replace(year=timezone.localdate().year + 2)
    planned = cycle_create(
        acting=None,
        name="Later",
        start=later,
        end=later.replace(month=12, day=31) if later.month < 12 else later.replace(day=31),
    )
    client = token_client(world.strat)
    refused = api(client, "post", f"cycles/{planned.pk}/activate")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    done = api(client, "post", f"cycles/{planned.pk}/activate", {"reason": "Reorganisation."})
    assert done.status_code == 200
    assert done.json()["early_activation_reason"] == "Reorganisation."


def test_the_next_cycle_is_proposed_on_the_form_and_in_the_api(world, signed_in):
    answer = token_client(world.viewer).get("/api/v1/cycles/next")
    assert answer.json() == {"name": "Q1 2027", "start": "2027-01-01", "end": "2027-03-31"}
    html = signed_in(world.strat).get(reverse("cycle-new")).content.decode()
    assert 'value="Q1 2027"' in html and 'value="2027-01-01"' in html


def test_between_cycles_the_dashboard_shows_the_last_closed_cycle(world, closed, signed_in):
    cycle_create(acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31))
    html = signed_in(world.lead).get(reverse("dashboard")).content.decode()
    assert "Q4 2026, closed" in html
    assert "No active cycle" not in html


def test_unfinished_work_is_carried_over_item_by_item_on_the_page(world, closed, signed_in):
    objective, key_result = closed
    q1 = cycle_create(acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31))
    client = signed_in(world.lead)
    url = reverse("cycle-carry-over", args=[world.cycle.pk])
    form = client.get(url).content.decode()
    assert f'name="key_results" value="{key_result.pk}"' in form and "Q1 2027" in form
    assert client.post(url, {"target": "0"}).status_code == 400
    answer = client.post(url, {"target": q1.pk, "key_results": [key_result.pk]})
    assert answer["Location"] == reverse("cycle", args=[q1.pk])
    [copy] = KeyResult.objects.filter(cycle=q1)
    assert (copy.carried_from, copy.current) == (key_result, 3)
    assert Objective.objects.get(cycle=q1).carried_from == objective
    outsider = signed_in(world.outsider).post(
        url, {"target": q1.pk, "key_results": [key_result.pk]}
    )
    assert outsider.status_code == 403
    assert KeyResult.objects.filter(cycle=q1).count() == 1
