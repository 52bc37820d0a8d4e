"""The feeds: what they hold and in what order, paging, the kinds filter, following and
its automatic rows, what nobody may see, the pages and the API, and queries per page."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lodestar.activity import selectors
from lodestar.activity.models import Follow
from lodestar.activity.selectors import (
    COMPANY,
    feed_page,
    is_following,
    person_scope,
    unit_scope,
)
from lodestar.activity.services import follow_set
from lodestar.conftest import token_client
from lodestar.conversation.services import comment_post
from lodestar.okrs.closing import carried_objective
from lodestar.okrs.services import (
    checkin_create,
    cycle_create,
    key_result_create,
    objective_create,
    objective_grade,
)
from lodestar.strategy.services import (
    measure_create,
    measure_value_record,
    perspective_create,
    strategic_objective_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def okrs(world):
    public = objective_create(
        acting=None, cycle=world.cycle, title="Grow sales", unit=world.sales, owner=world.lead
    )
    pipeline = key_result_create(
        acting=None, objective=public, title="Pipeline to 2M", owner=world.member, target=10
    )
    private = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Quietly fix churn",
        owner=world.member,
        visibility="private",
    )
    churn = key_result_create(
        acting=None, objective=private, title="Churn secret KR", owner=world.member, target=10
    )
    return public, pipeline, private, churn


def checkin(key_result, value, hours_ago, note=""):
    at = timezone.now() - timedelta(hours=hours_ago)
    return checkin_create(
        acting=key_result.owner, key_result=key_result, value=value, confidence=7, note=note, at=at
    )


def kinds_and_words(person, scope, kinds=None, number=1):
    page = feed_page(person, scope, kinds or list(selectors.KINDS), number)
    return [(item.kind, item.words, str(item.target)) for item in page.object_list]


def test_company_feed_is_newest_first_and_holds_every_kind(world, okrs):
    public, pipeline, _, _ = okrs
    checkin(pipeline, 2, hours_ago=3, note="first")
    checkin(pipeline, 4, hours_ago=1)
    comment_post(acting=world.lead, target=public, body="Why so slow?")
    page = feed_page(world.viewer, COMPANY, list(selectors.KINDS), 1).object_list
    assert [item.at for item in page] == sorted((item.at for item in page), reverse=True)
    feed = [(item.kind, item.words, str(item.target)) for item in page]
    assert feed[0] == ("comments", "commented", "Grow sales")
    assert ("objectives", "wrote a new objective", "Grow sales") in feed
    checkins = [words for kind, words, _ in feed if kind == "checkins"]
    assert checkins == ["checked in 4", "checked in 2"]


def test_grades_carried_objectives_and_measure_values_show(world, okrs):
    public, _, _, _ = okrs
    objective_grade(
        acting=world.lead,
        objective=public,
        final_grade=0.5,
        retrospective="ok",
        grade_reason="Half way",
    )
    next_cycle = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    carried = carried_objective(None, public, next_cycle)
    perspective = perspective_create(acting=None, scorecard=world.scorecard, name="Activity")
    strategic = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=perspective, name="Delight"
    )
    nps = measure_create(
        acting=None, objective=strategic, name="NPS", owner=world.member, baseline=0, target=100
    )
    measure_value_record(acting=world.member, measure=nps, period=date(2026, 3, 1), actual=42)
    feed = kinds_and_words(world.viewer, COMPANY)
    assert ("grades", "graded", "Grow sales") in feed
    assert ("carried", "carried an objective into a new cycle", str(carried)) in feed
    assert ("values", "recorded 42 for Mar 2026", "NPS") in feed
    only_values = kinds_and_words(world.viewer, COMPANY, ["values"])
    assert only_values == [("values", "recorded 42 for Mar 2026", "NPS")]


def test_the_kinds_filter_keeps_only_those_kinds(world, okrs):
    public, pipeline, _, _ = okrs
    checkin(pipeline, 2, hours_ago=1)
    comment_post(acting=world.lead, target=public, body="Hm")
    assert {k for k, _, _ in kinds_and_words(world.lead, COMPANY, ["comments"])} == {"comments"}
    assert selectors.chosen_kinds(["nonsense"]) == list(selectors.KINDS)


def test_pages_are_bounded_and_in_order(world, okrs):
    _, pipeline, _, _ = okrs
    for n in range(selectors.PAGE_SIZE + 5):
        checkin(pipeline, n, hours_ago=100 - n)
    first = feed_page(world.lead, COMPANY, ["checkins"], 1)
    second = feed_page(world.lead, COMPANY, ["checkins"], "2")
    assert len(first.object_list) == selectors.PAGE_SIZE and len(second.object_list) == 5
    times = [item.at for item in first.object_list + second.object_list]
    assert times == sorted(times, reverse=True)
    assert feed_page(world.lead, COMPANY, ["checkins"], "x").number == 1  # bad input: page 1


def test_private_objectives_never_show_to_those_who_may_not_see_them(world, okrs):
    _, _, _, churn = okrs
    outsiders = (world.viewer, world.outsider, world.strat)
    everything = list(selectors.KINDS)
    before = {p.pk: feed_page(p, COMPANY, everything, 1).paginator.count for p in outsiders}
    checkin(churn, 3, hours_ago=1, note="secret note")
    comment_post(acting=world.member, target=churn, body="secret words")
    for outsider in outsiders:
        follow_set(acting=outsider, target=world.company, following=True)
        for scope in (COMPANY, person_scope(outsider), unit_scope(world.company)):
            page = feed_page(outsider, scope, everything, 1)
            shown = str([(i.target, i.detail) for i in page.object_list]).lower()
            assert "secret" not in shown and "churn" not in shown
        # Not even as a count.
        assert feed_page(outsider, COMPANY, everything, 1).paginator.count == before[outsider.pk]
    for insider in (world.member, world.lead, world.admin):
        assert ("comments", "commented", "Churn secret KR") in kinds_and_words(insider, COMPANY)


def test_following_automatically_and_by_choice(world, okrs):
    public, pipeline, _, _ = okrs
    # The member owns the pipeline: its check-ins are in their feed without a click.
    assert is_following(world.member, pipeline)
    assert not is_following(world.viewer, pipeline)
    checkin(pipeline, 2, hours_ago=1)
    assert "checkins" in {
        k for k, _, _ in kinds_and_words(world.member, person_scope(world.member))
    }
    assert kinds_and_words(world.viewer, person_scope(world.viewer)) == []
    # Commenting follows (the outsider sees the public objective; a viewer may not write).
    reader = world.outsider
    comment_post(acting=reader, target=public, body="Following along")
    assert is_following(reader, public)
    follow_set(acting=reader, target=public, following=False)
    assert not is_following(reader, public)
    assert kinds_and_words(reader, person_scope(reader)) == []
    # Following a unit brings its objectives and their key results' check-ins.
    follow_set(acting=reader, target=world.company, following=True)
    assert "checkins" in {kind for kind, _, _ in kinds_and_words(reader, person_scope(reader))}
    follow_set(acting=reader, target=world.company, following=True)  # twice: one row
    assert Follow.objects.filter(person=reader, unit=world.company).count() == 1


def test_nobody_follows_what_they_may_not_see(world, okrs):
    _, _, private, _ = okrs
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        follow_set(acting=world.viewer, target=private, following=True)
    assert not Follow.objects.exists()


def test_unit_feed_holds_the_subtree_only(world, okrs):
    _, pipeline, _, _ = okrs
    checkin(pipeline, 2, hours_ago=1)
    assert "checkins" in {k for k, _, _ in kinds_and_words(world.viewer, unit_scope(world.sales))}
    assert kinds_and_words(world.viewer, unit_scope(world.support)) == []


def feed_queries(person, kinds) -> int:
    """The queries of one feed page, its items read as the page reads them."""
    with CaptureQueriesContext(connection) as queries:
        page = feed_page(person, COMPANY, kinds, 1)
        shown = [(i.actor and str(i.actor), str(i.target), i.url) for i in page.object_list]
        assert shown and page.paginator.num_pages >= 1
    return len(queries)


@pytest.mark.parametrize("kinds", [["checkins"], list(selectors.KINDS)])
def test_queries_per_page_are_bounded_not_per_item(world, okrs, kinds):
    public, pipeline, _, _ = okrs
    checkin(pipeline, 1, hours_ago=10)
    comment_post(acting=world.lead, target=public, body="first")
    few = feed_queries(world.lead, kinds)
    for n in range(30):
        checkin(pipeline, n, hours_ago=9 - n / 10)
        comment_post(acting=world.member, target=public, body=f"note {n}")
    # A full page costs no more than two items: the page, its count, one query per kind.
    assert feed_queries(world.lead, kinds) <= few <= 2 + len(kinds) + 1


def test_pages_and_switch(world, okrs, client):
    public, pipeline, private, _ = okrs
    checkin(pipeline, 2, hours_ago=1, note="on its way")
    client.force_login(world.viewer)
    for url in (
        reverse("activity"),
        reverse("activity-company"),
        reverse("unit-activity", args=[world.sales.pk]) + "?page=999&kind=checkins",
    ):
        assert client.get(url).status_code == 200
    page = client.get(reverse("objective", args=[public.pk])).content.decode()
    assert reverse("objective-follow", args=[public.pk]) in page and ">Follow<" in page
    answer = client.post(reverse("objective-follow", args=[public.pk]), {"following": "1"})
    assert answer.status_code == 302 and answer.url == reverse("objective", args=[public.pk])
    assert is_following(world.viewer, public)
    assert ">Following<" in client.get(reverse("objective", args=[public.pk])).content.decode()
    assert "on its way" in client.get(reverse("activity")).content.decode()
    assert (
        client.post(reverse("objective-follow", args=[private.pk]), {"following": "1"}).status_code
        == 404
    )
    assert client.get(reverse("objective-follow", args=[public.pk])).status_code == 405
    # A "next" elsewhere is not followed.
    away = client.post(
        reverse("unit-follow", args=[world.sales.pk]),
        {"following": "1", "next": "https://evil.example/"},
    )
    assert away.url == reverse("unit", args=[world.sales.pk])


def test_api_feeds_and_follow(world, okrs):
    public, pipeline, private, churn = okrs
    checkin(pipeline, 2, hours_ago=2)
    checkin(churn, 3, hours_ago=1, note="secret note")
    api = token_client(world.viewer)
    feed = api.get("/api/v1/activity/company?kind=checkins").json()
    assert [item["target"]["title"] for item in feed["items"]] == ["Pipeline to 2M"]
    assert feed["count"] == 1
    assert api.get("/api/v1/activity").json()["items"] == []
    assert api.post(f"/api/v1/objectives/{public.pk}/follow").json() == {"following": True}
    assert api.get("/api/v1/activity?kind=objectives").json()["count"] == 1
    assert api.delete(f"/api/v1/objectives/{public.pk}/follow").json() == {"following": False}
    assert api.post(f"/api/v1/objectives/{private.pk}/follow").status_code == 404
    assert api.get(f"/api/v1/units/{world.sales.pk}/activity").status_code == 200
    assert api.get("/api/v1/units/999999/activity").status_code == 404
