"""The top bar's "Strategy map" and "Scorecard" open the scorecard the page is about;
elsewhere the latest scorecard of one of the reader's units; else the company's."""

import re
from datetime import date

import pytest
from django.urls import reverse

from lodestar.strategy.services import scorecard_create, strategic_objective_create


@pytest.fixture
def sales_card(world):
    return scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


def top_bar_links(client, path: str) -> tuple[str, str]:
    html = client.get(path).content.decode()
    bar = html[html.index('<header class="topbar">') : html.index("</header>")]
    (strategy_map,) = re.findall(r'<a href="([^"]+)">Strategy map</a>', bar)
    (scorecard,) = re.findall(r'<a href="([^"]+)">Scorecard</a>', bar)
    return strategy_map, scorecard


def links_to(card) -> tuple[str, str]:
    return reverse("strategy-map", args=[card.pk]), reverse("scorecard", args=[card.pk])


def test_a_member_of_a_unit_with_a_scorecard_is_sent_to_it(world, sales_card, signed_in):
    assert top_bar_links(signed_in(world.member), reverse("okr-tree")) == links_to(sales_card)


def test_a_reader_whose_units_have_none_is_sent_to_the_company_s(world, sales_card, signed_in):
    assert top_bar_links(signed_in(world.outsider), reverse("okr-tree")) == links_to(
        world.scorecard
    )


def test_on_a_scorecard_s_pages_the_links_stay_on_that_scorecard(world, sales_card, signed_in):
    company_objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Keep customers",
    )
    member = signed_in(world.member)
    for path in (
        reverse("strategy-map", args=[world.scorecard.pk]),
        reverse("scorecard", args=[world.scorecard.pk]),
        reverse("strategic-objective", args=[company_objective.pk]),
    ):
        assert top_bar_links(member, path) == links_to(world.scorecard), path
    sales_map = reverse("strategy-map", args=[sales_card.pk])
    assert top_bar_links(signed_in(world.outsider), sales_map) == links_to(sales_card)
