"""Score read endpoints on the demo organisation, and list endpoints whose query count
does not grow with the rows returned (no N+1)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.conftest import DEMO_TODAY, token_client
from lodestar.org.models import Person
from lodestar.strategy.models import Scorecard

LISTS = [
    "units/",
    "people/",
    "scorecards/",
    "perspectives/",
    "themes/",
    "strategic-objectives/",
    "links/",
    "measures/",
    "measure-values/",
    "initiatives/",
    "cycles/",
    "objectives/",
    "key-results/",
    "checkins/",
]


@pytest.fixture
def admin_client(demo_org, db):
    return token_client(Person.objects.get(username="admin"))


@pytest.fixture
def member_client(demo_org, db):
    """A demo person who is neither admin nor lead: private objectives are filtered."""
    person = Person.objects.filter(role="member", memberships__role="member").first()
    return token_client(person)


def test_the_scorecard_summary_gives_every_perspective_and_objective(admin_client):
    scorecard = Scorecard.objects.get(unit__parent__isnull=True)
    with time_machine.travel(DEMO_TODAY, tick=False):
        summary = admin_client.get(f"/api/v1/scorecards/{scorecard.pk}/summary").json()
    assert summary["score"] == pytest.approx(scorecard.score)
    assert [p["position"] for p in summary["perspectives"]] == sorted(  # top band first
        (p["position"] for p in summary["perspectives"]), reverse=True
    )
    objectives = [o for p in summary["perspectives"] for o in p["objectives"]]
    assert len(objectives) == scorecard.strategic_objectives.count()
    assert all(o["performance_colour"] in {"red", "yellow", "green", "grey"} for o in objectives)
    diverging = [o for o in objectives if o["divergence"] is not None]
    assert all(
        o["divergence"] == pytest.approx(o["execution"] - o["performance"]) for o in diverging
    )


def test_the_scorecard_summary_takes_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    for scorecard in Scorecard.objects.all():
        # token lookup + last-used write + scorecard + perspectives + objectives
        with django_assert_max_num_queries(5):
            admin_client.get(f"/api/v1/scorecards/{scorecard.pk}/summary")


@pytest.mark.parametrize("path", LISTS)
def test_a_list_costs_the_same_queries_for_one_row_as_for_two_hundred(
    admin_client, member_client, path
):
    for client in (admin_client, member_client):
        client.get(f"/api/v1/{path}?limit=1")  # warm: the token's last use is recorded
        with time_machine.travel(DEMO_TODAY, tick=False):
            with CaptureQueriesContext(connection) as one:
                first = client.get(f"/api/v1/{path}?limit=1")
            with CaptureQueriesContext(connection) as many:
                page = client.get(f"/api/v1/{path}?limit=200")
        assert first.status_code == page.status_code == 200
        assert len(page.json()["items"]) >= 2 or page.json()["next"] is None
        assert len(many.captured_queries) == len(one.captured_queries) <= 8
