"""The key result page: figures with their unit, the progress chart, the objectives that
hold it, the linked measure, the check-in history newest first, and the form for those
who may check in."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.okrs.services import (
    checkin_create,
    cycle_close,
    key_result_create,
    key_result_hold,
    objective_create,
)
from lodestar.strategy.services import measure_create, strategic_objective_create


@pytest.fixture
def key_result(world):
    growth = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow",
    )
    revenue = measure_create(acting=None, objective=growth, name="Revenue", baseline=0, target=100)
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Sell more", unit=world.sales
    )
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Close deals",
        owner=world.member,
        baseline=0,
        target=1200,
        unit_label="deals",
        linked_measure=revenue,
    )
    shared_with = objective_create(
        acting=None, cycle=world.cycle, title="Team goal", unit=world.inside_sales
    )
    key_result_hold(acting=None, objective=shared_with, key_result=key_result)
    for day, value, note in ((5, 100, "first"), (12, 300, "second"), (19, 450, "third")):
        checkin_create(
            acting=None,
            key_result=key_result,
            value=value,
            confidence=6,
            note=note,
            author=world.member,
            at=datetime(2026, 10, day, 9, tzinfo=UTC),
        )
    return key_result


def url(key_result) -> str:
    return reverse("key-result", args=[key_result.pk])


@time_machine.travel(datetime(2026, 10, 20, 12, tzinfo=UTC), tick=False)
def test_it_shows_the_figures_chart_holders_measure_and_history(key_result, signed_in, world):
    page = signed_in(world.viewer).get(url(key_result))
    assert page.status_code == 200
    html = page.content.decode()
    assert "450 deals" in html and "1,200 deals" in html
    assert 'class="chart progress-chart"' in html
    assert html.count("<circle cx=") == 3  # one per check-in (the forecast has its own class)
    assert "Team goal" in html and "Sell more" in html
    assert reverse("measure", args=[key_result.linked_measure_id]) in html
    assert html.index("third") < html.index("second") < html.index("first")
    assert page.context["row"].pace == "on_track"


def test_the_check_in_form_is_for_those_who_may_check_in(key_result, signed_in, world):
    assert "checkin-form" in signed_in(world.member).get(url(key_result)).content.decode()
    assert "checkin-form" in signed_in(world.lead).get(url(key_result)).content.decode()
    viewer_page = signed_in(world.viewer).get(url(key_result)).content.decode()
    assert "checkin-form" not in viewer_page


def test_a_closed_cycles_key_result_and_objective_offer_no_write_but_the_grade(
    key_result, signed_in, world
):
    """A closed cycle's key result offered "Check in", which then failed: the cycle is closed."""
    cycle_close(acting=None, cycle=world.cycle, reason="A test closes it early")
    lead = signed_in(world.lead)
    page = lead.get(url(key_result)).content.decode()
    assert "checkin-form" not in page
    assert reverse("key-result-edit", args=[key_result.pk]) not in page
    objective = key_result.okr_objectives.get(title="Sell more")
    objective_page = lead.get(reverse("objective", args=[objective.pk])).content.decode()
    assert reverse("objective-edit", args=[objective.pk]) not in objective_page
    assert reverse("key-result-new", args=[objective.pk]) not in objective_page
    assert "Grade in the cycle review" in objective_page


def test_the_edit_link_is_for_those_who_may_change_it(key_result, signed_in, world):
    edit = reverse("key-result-edit", args=[key_result.pk])
    assert edit in signed_in(world.member).get(url(key_result)).content.decode()
    assert edit not in signed_in(world.viewer).get(url(key_result)).content.decode()


def test_the_form_starts_from_the_current_value_and_confidence(key_result, signed_in, world):
    form = signed_in(world.member).get(url(key_result)).context["form"]
    assert form["value"].value() == 450
    assert form["confidence"].value() == 6


def test_a_private_key_result_is_not_found_for_others(world, signed_in):
    private = objective_create(
        acting=None, cycle=world.cycle, title="Mine", owner=world.lead, visibility="private"
    )
    hidden = key_result_create(
        acting=None, objective=private, title="Hidden", owner=world.lead, target=3
    )
    assert signed_in(world.outsider).get(url(hidden)).status_code == 404
    assert signed_in(world.lead).get(url(hidden)).status_code == 200


def test_it_asks_to_sign_in_first(key_result, client):
    assert client.get(url(key_result)).status_code == 302


def test_its_query_count_does_not_grow_with_check_ins_or_holders(key_result, signed_in, world):
    client = signed_in(world.member)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(key_result)).status_code == 200
        return len(captured)

    few = queries()
    for index in range(20):
        checkin_create(
            acting=None, key_result=key_result, value=index, confidence=5, author=world.lead
        )
    for index in range(3):
        holder = objective_create(
            acting=None, cycle=world.cycle, title=f"Holder {index}", unit=world.sales
        )
        key_result_hold(acting=None, objective=holder, key_result=key_result)
    assert queries() == few
    assert few <= 15  # 14, and 1 for the key result's history


def test_the_demo_key_result_page_has_a_fixed_query_count(
    demo_org, db, signed_in, django_assert_max_num_queries
):
    from lodestar.okrs.models import KeyResult
    from lodestar.org.models import Person

    shared = KeyResult.objects.filter(cycle__state="active", linked_measure__isnull=False).first()
    client = signed_in(Person.objects.get(username="ceo"))
    # 14, 1 for the history, 1 for its comments and 1 for the reader's follow switch
    with django_assert_max_num_queries(17):
        page = client.get(url(shared))
    assert page.status_code == 200
    assert page.context["checkins"]
