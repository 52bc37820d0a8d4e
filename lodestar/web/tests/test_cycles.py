"""Cycles: the list with their state, and a cycle's page as its review: score, kind,
success by kind (aspirational at 0.7, committed at 1.0), final grade and retrospective."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.okrs.services import (
    checkin_create,
    cycle_close,
    cycle_create,
    key_result_create,
    objective_create,
    objective_update,
)


@pytest.fixture
def closed(world):
    """Q3 2026: two objectives at 0.8, one aspirational (success), one committed (missed)."""
    cycle = cycle_create(name="Q3 2026", start=date(2026, 7, 1), end=date(2026, 9, 30))
    for title, kind in (("Stretch", "aspirational"), ("Promise", "committed")):
        objective = objective_create(cycle=cycle, title=title, unit=world.sales, kind=kind)
        key_result = key_result_create(
            objective=objective, title=f"{title} KR", owner=world.member, target=10
        )
        checkin_create(key_result=key_result, value=8, confidence=6)
        if kind == "committed":
            objective_update(objective=objective, retrospective="Hiring came late.")
    objective_create(cycle=cycle, title="Hidden", owner=world.lead, visibility="private")
    cycle_close(cycle=cycle)
    return cycle


def test_the_list_shows_every_cycle_with_its_state(closed, signed_in, world):
    page = signed_in(world.viewer).get(reverse("cycle-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Q3 2026" in html and "Closed" in html
    assert "Q4 2026" in html and "Active" in html
    assert reverse("cycle", args=[closed.pk]) in html


def test_a_closed_cycle_reads_as_a_review(closed, signed_in, world):
    page = signed_in(world.member).get(reverse("cycle", args=[closed.pk]))
    assert page.status_code == 200
    rows = {row["objective"].title: row for row in page.context["rows"]}
    assert rows["Stretch"]["succeeded"] is True
    assert rows["Promise"]["succeeded"] is False
    html = page.content.decode()
    assert "Cycle review" in html and "Hiring came late." in html
    assert "succeeded" in html and "missed" in html
    assert "0.80" in html  # the final grade kept from the score
    assert "Hidden" not in html


def test_an_active_cycle_lists_its_objectives_without_grades(world, signed_in):
    objective_create(cycle=world.cycle, title="Now", unit=world.sales)
    page = signed_in(world.member).get(reverse("cycle", args=[world.cycle.pk]))
    html = page.content.decode()
    assert "Now" in html and "Final grade" not in html and "not scored" in html


def test_an_unknown_cycle_is_not_found(world, signed_in):
    assert signed_in(world.member).get(reverse("cycle", args=[999])).status_code == 404


def test_their_query_counts_do_not_grow_with_objectives(closed, signed_in, world):
    client = signed_in(world.member)

    def queries(name, *args) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name, args=args)).status_code == 200
        return len(captured)

    few = queries("cycle", world.cycle.pk), queries("cycle-list")
    for index in range(6):
        objective_create(cycle=world.cycle, title=f"More {index}", unit=world.sales)
        cycle_create(
            name=f"Old {index}", start=date(2020 + index, 1, 1), end=date(2020 + index, 3, 31)
        )
    assert (queries("cycle", world.cycle.pk), queries("cycle-list")) == few
    assert max(few) <= 8
