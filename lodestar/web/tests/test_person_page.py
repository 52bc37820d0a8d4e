"""The person page: who they are, their objectives and key results in the active cycle
(only what the viewer may see) and a small performance summary."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.okrs.services import checkin_create, key_result_create, objective_create

NOW = datetime(2026, 11, 16, 12, tzinfo=UTC)


@pytest.fixture
def member_okrs(world):
    world.member.manager = world.lead
    world.member.save()
    public = objective_create(
        acting=None, cycle=world.cycle, title="Grow my pipeline", owner=world.member
    )
    private = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Learn negotiation",
        owner=world.member,
        visibility="private",
    )
    calls = key_result_create(
        acting=None, objective=public, title="Make calls", owner=world.member, target=100
    )
    course = key_result_create(
        acting=None, objective=private, title="Finish course", owner=world.member, target=4
    )
    checkin_create(
        acting=None,
        key_result=calls,
        value=60,
        confidence=8,
        author=world.member,
        at=datetime(2026, 11, 10, tzinfo=UTC),
    )
    checkin_create(
        acting=None,
        key_result=course,
        value=1,
        confidence=5,
        author=world.member,
        at=datetime(2026, 10, 1, tzinfo=UTC),  # the cycle's first day
    )
    return calls, course


def url(person) -> str:
    return reverse("person", args=[person.pk])


@time_machine.travel(NOW, tick=False)
def test_it_shows_units_manager_okrs_and_summary_to_the_manager(member_okrs, signed_in, world):
    page = signed_in(world.lead).get(url(world.member))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sales" in html and url(world.lead) in html
    assert "Grow my pipeline" in html and "Learn negotiation" in html
    summary = page.context["summary"]
    assert summary.key_result_average == pytest.approx((0.6 + 0.25) / 2)
    assert summary.objective_average == pytest.approx((0.6 + 0.25) / 2)
    assert dict((pace, count) for pace, _, count in summary.by_pace)["on_track"] == 1
    assert summary.checkins_last_30_days == 1  # the one of 1 October is older


@time_machine.travel(NOW, tick=False)
def test_others_see_only_the_public_part(member_okrs, signed_in, world):
    page = signed_in(world.outsider).get(url(world.member))
    html = page.content.decode()
    assert "Grow my pipeline" in html
    assert "Learn negotiation" not in html and "Finish course" not in html
    assert page.context["summary"].key_result_average == pytest.approx(0.6)


def test_an_unknown_person_is_not_found(world, signed_in):
    assert signed_in(world.member).get(reverse("person", args=[999])).status_code == 404


def test_its_query_count_does_not_grow_with_okrs(member_okrs, signed_in, world):
    client = signed_in(world.lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(world.member)).status_code == 200
        return len(captured)

    few = queries()
    for index in range(8):
        objective = objective_create(
            acting=None, cycle=world.cycle, title=f"O {index}", owner=world.member
        )
        key_result = key_result_create(
            acting=None, objective=objective, title=f"K {index}", owner=world.member, target=3
        )
        checkin_create(
            acting=None, key_result=key_result, value=1, confidence=5, author=world.member
        )
    assert queries() == few
    assert few <= 18  # 17, and 1 for the person's history
