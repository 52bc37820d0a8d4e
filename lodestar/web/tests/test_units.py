"""The units list (the tree) and a unit's page: people, sub-units, scorecards, OKRs of
the active cycle with score and pace, and the alerts of its subtree."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from lodestar.insights.alerts import alerts_for
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.org.services import membership_set, person_create, unit_create
from lodestar.strategy.services import scorecard_create


@pytest.fixture(autouse=True)
def mid_november():
    with time_machine.travel(datetime(2026, 11, 16, 12, tzinfo=UTC), tick=False):
        yield


def okr(world, unit, title, visibility="public", progress=None):
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title=title,
        unit=unit,
        owner=world.member,
        visibility=visibility,
    )
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title=f"{title}: KR",
        owner=world.member,
        baseline=0,
        target=10,
    )
    if progress is not None:
        checkin_create(acting=None, key_result=key_result, value=progress * 10, confidence=8)
    return objective


def test_the_units_list_shows_the_tree_indented(world, signed_in):
    page = signed_in(world.viewer).get(reverse("unit-list")).content.decode()
    order = [page.index(f">{name}</a>") for name in ("Acme", "Sales", "Inside Sales", "Support")]
    assert order == sorted(order)
    assert 'class="indent-3"' in page  # Inside Sales, two levels down
    assert "FY2026" in page


def test_the_unit_page_shows_lead_members_sub_units_and_scorecards(world, signed_in):
    page = signed_in(world.viewer).get(reverse("unit", args=[world.sales.pk])).content.decode()
    assert f'Lead: <a href="{reverse("person", args=[world.lead.pk])}">Lead</a>' in page
    assert f'href="{reverse("person", args=[world.member.pk])}"' in page
    assert f'href="{reverse("unit", args=[world.inside_sales.pk])}"' in page
    company = signed_in(world.viewer).get(reverse("unit", args=[world.company.pk]))
    text = company.content.decode()
    assert f'href="{reverse("scorecard", args=[world.scorecard.pk])}"' in text
    assert "N/A" in text  # an empty scorecard has no score, not zero


def test_the_unit_page_lists_its_okrs_with_score_and_pace(world, signed_in):
    okr(world, world.sales, "Win the east", progress=0.5)
    okr(world, world.sales, "Never checked")
    okr(world, world.support, "Not ours")
    page = signed_in(world.viewer).get(reverse("unit", args=[world.sales.pk])).content.decode()
    assert "Win the east" in page and "0.50</span> yellow" in page
    # 16 Nov is 46 of 91 days in: expected 0.51, progress 0.5 is on track.
    assert '<span class="badge pace-on_track" title="Pace">on track</span>' in page
    # "Never checked" was just added: not started, neither stale nor red.
    assert '<span class="badge pace-not_started" title="Pace">not started</span>' in page
    assert "Not ours" not in page


def test_a_private_okr_shows_on_the_unit_page_only_to_those_who_may_see_it(world, signed_in):
    okr(world, world.sales, "Secret plan", visibility="private")
    url = reverse("unit", args=[world.sales.pk])
    assert "Secret plan" in signed_in(world.lead).get(url).content.decode()
    assert "Secret plan" in signed_in(world.member).get(url).content.decode()
    for person in (world.viewer, world.outsider, world.strat):
        assert "Secret plan" not in signed_in(person).get(url).content.decode()


def test_the_unit_page_lists_the_alerts_of_its_subtree(world, signed_in):
    okr(world, world.inside_sales, "Orphan below")
    okr(world, world.support, "Orphan elsewhere")
    page = signed_in(world.lead).get(reverse("unit", args=[world.sales.pk])).content.decode()
    alerts = alerts_for(world.lead, unit=world.sales)
    assert alerts
    for alert in alerts:
        assert escape(alert.message) in page and f'href="{alert.url}"' in page
    assert "Orphan below" in page and "Orphan elsewhere" not in page


def test_the_new_okr_button_shows_only_to_those_who_may_add_one(world, signed_in):
    url = reverse("unit", args=[world.sales.pk])
    new = reverse("objective-new")
    assert new in signed_in(world.member).get(url).content.decode()
    assert new not in signed_in(world.outsider).get(url).content.decode()


def test_unit_pages_query_counts_do_not_grow_with_the_data(world, signed_in):
    client = signed_in(world.lead)
    urls = [reverse("unit-list"), reverse("unit", args=[world.sales.pk])]
    client.get(urls[0])

    def counts() -> list[int]:
        found = []
        for url in urls:
            client.get(url)  # the alerts computed and kept: the count below reads them
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    okr(world, world.sales, "First", progress=0.2)
    before = counts()
    for n in range(4):
        team = unit_create(acting=None, name=f"Team {n}", parent=world.sales)
        scorecard_create(
            acting=None,
            unit=team,
            name="FY",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        person = person_create(acting=None, username=f"p{n}", first_name=f"P{n}", password="pw")
        membership_set(acting=None, person=person, unit=world.sales)
        okr(world, world.sales, f"More {n}", progress=0.3)
        okr(world, team, f"Team OKR {n}", visibility="private")
    assert counts() == before
    assert max(before) <= 20


def test_a_unit_that_does_not_exist_is_404(world, signed_in):
    assert signed_in(world.admin).get(reverse("unit", args=[999999])).status_code == 404


def test_the_favicon_is_found(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("web/favicon.svg")
    assert finders.find("web/favicon.svg")
