"""The dashboard on a small crafted organisation: honest N/A, trends from measure
values, and a page that still answers with no scorecard or no active cycle."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from lodestar.okrs.models import Cycle
from lodestar.okrs.services import key_result_create, objective_create
from lodestar.strategy.models import Scorecard
from lodestar.strategy.services import (
    measure_create,
    measure_value_record,
    strategic_objective_create,
)
from lodestar.web.pagedata.strategy import months_back


@pytest.fixture(autouse=True)
def mid_november():
    with time_machine.travel(datetime(2026, 11, 16, 12, tzinfo=UTC), tick=False):
        yield


def test_a_scorecard_with_no_values_reads_na_never_zero(world, signed_in):
    strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight",
    )
    page = signed_in(world.viewer).get(reverse("dashboard")).content.decode()
    assert '<span class="figure">N/A</span>' in page
    assert "0.00" not in page


def test_a_perspective_trend_follows_its_measure_values(world, signed_in):
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight",
    )
    measure = measure_create(acting=None, objective=objective, name="NPS", baseline=0, target=100)
    measure_value_record(acting=None, measure=measure, period=date(2026, 9, 1), actual=60)
    measure_value_record(acting=None, measure=measure, period=date(2026, 10, 1), actual=40)
    page = signed_in(world.viewer).get(reverse("dashboard")).content.decode()
    assert "falling" in page and "0.40" in page
    assert page.count('<span class="trend"') == 1  # the other perspectives have no values


def test_okr_health_counts_a_private_key_result_only_for_those_who_see_it(world, signed_in):
    secret = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Secret",
        unit=world.inside_sales,
        owner=world.member,
        visibility="private",
    )
    key_result_create(
        acting=None, objective=secret, title="Hidden", owner=world.member, baseline=0, target=5
    )
    lead_page = signed_in(world.lead).get(reverse("dashboard")).content.decode()
    outsider_page = signed_in(world.outsider).get(reverse("dashboard")).content.decode()
    fresh = 'Key results not started</span> <span class="figure">'
    assert fresh + "1<" in lead_page  # just added, never checked in: not started
    assert fresh + "0<" in outsider_page


def test_the_dashboard_answers_with_no_scorecard_and_no_active_cycle(world, signed_in):
    Scorecard.objects.all().delete()
    Cycle.objects.all().delete()  # a closed cycle would stand in (test_closing_pages)
    response = signed_in(world.member).get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "No company scorecard yet." in page and "No active cycle." in page


def test_the_dashboard_asks_to_sign_in(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_trend_months_cross_the_new_year():
    assert months_back(date(2026, 2, 10), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
