"""One perspective order everywhere: the scorecard's own `position`, top band first, as
the strategy map reads (Financial above Learning) - on the dashboard, the heat map, the
scorecard page, the quarterly review and the API."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape


@pytest.fixture
def order(world) -> list[str]:
    """The world's perspectives as the map stacks them, top band first."""
    names = list(world.scorecard.perspectives.order_by("-position").values_list("name", flat=True))
    assert names[0] == "Financial" and len(names) == 4
    return names


def appearance(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: page.index(escape(name)))


def test_the_dashboard_tiles_run_top_band_first(world, order, signed_in):
    page = signed_in(world.viewer).get(reverse("dashboard")).content.decode()
    tiles = page.split('id="perspectives-head"')[1]
    assert appearance(tiles, order) == order


def test_the_heat_map_columns_run_top_band_first(world, order, signed_in):
    page = signed_in(world.viewer).get(reverse("heatmap")).content.decode()
    header = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    columns = re.findall(r'<th scope="col">([^<]+)</th>', header)[1:]
    assert [c.replace("&amp;", "&") for c in columns] == order


def test_the_scorecard_page_runs_top_band_first(world, order, signed_in):
    page = signed_in(world.viewer).get(reverse("scorecard", args=[world.scorecard.pk]))
    headings = re.findall(r"<h2>([^<{]+?) <span", page.content.decode())
    assert [h.strip().replace("&amp;", "&") for h in headings] == order


def test_the_api_summary_runs_top_band_first(world, order, as_):
    summary = as_("viewer").get(f"/api/v1/scorecards/{world.scorecard.pk}/summary").json()
    assert [p["name"] for p in summary["perspectives"]] == order
