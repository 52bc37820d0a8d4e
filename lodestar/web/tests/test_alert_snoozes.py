"""Alert groups on the dashboard, the unit page and the API, and the snooze buttons: a
snoozed group leaves the person's pages and answers, counted behind an "N snoozed" link."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from lodestar.conftest import token_client
from lodestar.insights.alert_groups import grouped_alerts_for
from lodestar.org.models import Person, Unit

AT_RISK_PIPELINE = "Grow qualified pipeline from 2 M$ to 5 M$"


@pytest.fixture(autouse=True)
def demo_day():
    with time_machine.travel(datetime(2026, 11, 22, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def ceo(demo_org, db):
    return Person.objects.get(username="ceo")


def pipeline_group(person: Person, unit: Unit | None = None):
    groups = grouped_alerts_for(person, unit=unit, now=timezone.now()).groups
    return next(g for g in groups if any(a.subject == AT_RISK_PIPELINE for a in g.members))


def test_the_dashboard_shows_one_line_per_group_with_unit_owners_and_members(ceo, signed_in):
    page = signed_in(ceo).get(reverse("dashboard")).content.decode()
    group = pipeline_group(ceo)
    assert page.count(escape(group.message)) == 1
    for member in group.members:  # each said once, inside its group, not as a line of its own
        assert page.count(escape(member.message)) == 1
    assert f"Unit: {group.unit}" in page
    assert escape(", ".join(group.owners)) in page
    assert f"The {group.count} alerts</summary>" in page
    for member in group.members:
        assert f'href="{member.url}"' in page
    assert f'name="group" value="{group.key}"' in page


def test_snoozing_from_the_dashboard_hides_the_group_and_counts_it(ceo, signed_in):
    client = signed_in(ceo)
    group = pipeline_group(ceo)
    answer = client.post(reverse("alert-snooze"), {"group": group.key, "length": "week"})
    assert answer.status_code == 302 and answer["Location"] == reverse("dashboard")
    page = client.get(reverse("dashboard")).content.decode()
    assert escape(group.message) not in page
    assert '<a href="?snoozed=1">1 snoozed</a>' in page
    snoozed = client.get(reverse("dashboard"), {"snoozed": "1"}).content.decode()
    assert escape(group.message) in snoozed and "Show again" in snoozed
    woken = client.post(reverse("alert-unsnooze"), {"group": group.key})
    assert woken.status_code == 302
    assert escape(group.message) in client.get(reverse("dashboard")).content.decode()


def test_a_snooze_on_a_unit_page_returns_to_it_and_hides_the_group_there(ceo, signed_in):
    client = signed_in(ceo)
    sales = Unit.objects.get(name="Sales")
    group = pipeline_group(ceo, sales)
    url = reverse("unit", args=[sales.pk])
    assert escape(group.message) in client.get(url).content.decode()
    body = {"group": group.key, "unit": sales.pk, "length": "change"}
    answer = client.post(reverse("alert-snooze"), body)
    assert answer["Location"] == url
    page = client.get(url).content.decode()
    assert escape(group.message) not in page and "1 snoozed" in page


def test_a_refused_snooze_says_why_and_writes_nothing(ceo, signed_in):
    client = signed_in(ceo)
    unknown = client.post(reverse("alert-snooze"), {"group": "nothing@1", "length": "week"})
    assert unknown.status_code == 400
    assert "No alert group “nothing@1” among the alerts you may see." in unknown.content.decode()
    no_length = client.post(reverse("alert-snooze"), {"group": pipeline_group(ceo).key})
    assert no_length.status_code == 400
    assert "Choose from: week, change." in no_length.content.decode()
    assert client.get(reverse("alert-snooze")).status_code == 405
    assert ceo.alert_snoozes.count() == 0


def test_the_api_lists_groups_and_each_alert_with_its_group_owner_and_unit(ceo):
    client = token_client(ceo)
    group = pipeline_group(ceo)
    grouped = client.get("/api/v1/insights/alert-groups").json()
    assert grouped["snoozed"] == 0
    [found] = [g for g in grouped["groups"] if g["key"] == group.key]
    assert found["count"] == group.count == len(found["members"])
    assert found["message"] == group.message and found["owners"] == group.owners
    flat = client.get("/api/v1/insights/alerts", {"limit": 1000}).json()
    pipeline = next(a for a in flat if a["subject"] == AT_RISK_PIPELINE)
    assert pipeline["group"] == group.key and pipeline["snoozed"] is False
    assert (pipeline["owner"], pipeline["unit"]) == ("Tom Becker", "Sales")


def test_the_api_snoozes_for_the_caller_and_hides_the_group_unless_asked(ceo):
    client = token_client(ceo)
    group = pipeline_group(ceo)
    made = client.post(
        "/api/v1/insights/alert-snoozes",
        {"group": group.key, "length": "week"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json() == {"group": group.key, "alerts": group.count}
    grouped = client.get("/api/v1/insights/alert-groups").json()
    assert group.key not in [g["key"] for g in grouped["groups"]] and grouped["snoozed"] == 1
    snoozed = client.get("/api/v1/insights/alert-groups", {"snoozed": "true"}).json()
    assert [g["key"] for g in snoozed["groups"]] == [group.key]
    flat = client.get("/api/v1/insights/alerts", {"limit": 1000}).json()
    assert AT_RISK_PIPELINE not in [a["subject"] for a in flat]
    every = client.get("/api/v1/insights/alerts", {"limit": 1000, "snoozed": "true"}).json()
    assert [a["snoozed"] for a in every if a["subject"] == AT_RISK_PIPELINE] == [True]
    other = token_client(Person.objects.get(username="admin"))
    admin_groups = other.get("/api/v1/insights/alert-groups").json()
    assert group.key in [g["key"] for g in admin_groups["groups"]]
    woken = client.post(
        "/api/v1/insights/alert-snoozes/wake", {"group": group.key}, content_type="application/json"
    )
    assert woken.status_code == 200 and woken.json()["alerts"] == group.count


def test_the_api_refuses_an_unknown_group_or_length_with_the_field_named(ceo):
    client = token_client(ceo)
    unknown = client.post(
        "/api/v1/insights/alert-snoozes",
        {"group": "nothing@1", "length": "week"},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "group" in unknown.json()["errors"]
    bad = client.post(
        "/api/v1/insights/alert-snoozes",
        {"group": "nothing@1", "length": "forever"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "length" in bad.json()["errors"]


def test_the_openapi_document_describes_groups_and_snoozes(demo_org, db, client):
    document = client.get("/api/v1/openapi.json").json()
    assert "get" in document["paths"]["/api/v1/insights/alert-groups"]
    assert "post" in document["paths"]["/api/v1/insights/alert-snoozes"]
    assert "post" in document["paths"]["/api/v1/insights/alert-snoozes/wake"]
    alert = document["components"]["schemas"]["AlertOut"]["properties"]
    assert {"owner", "unit", "group", "snoozed"} <= set(alert)
