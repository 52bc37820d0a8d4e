"""One colour language: execution is an average of OKR scores and takes the OKR scale
(red < 0.4 <= yellow < 0.7 <= green) wherever it is shown - dashboard, heat map,
scorecard and strategic objective pages, API - while performance keeps the strategy
scale; each chip names its scale and a legend shows both where they meet."""

import re

import pytest
from django.urls import reverse

from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.strategy.models import StrategicObjective
from lodestar.strategy.services import strategic_objective_create

OKR_SCALE = "OKR scale: red below 0.4, yellow from 0.4, green from 0.7"


@pytest.fixture
def served(world) -> StrategicObjective:
    """A Financial strategic objective served by two yellow OKRs, 0.62 and 0.56: its
    execution is 0.59, and no measure gives it a performance (N/A)."""
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow revenue",
    )
    for unit, value in ((world.sales, 62), (world.support, 56)):
        objective = objective_create(
            acting=None,
            cycle=world.cycle,
            title=f"{unit.name} grows",
            unit=unit,
            contributes_to=[strategic],
        )
        key_result = key_result_create(
            acting=None, objective=objective, title=f"{unit.name} revenue", owner=world.lead
        )
        key_result.target = 100  # set before the check-in: 62 of 100 scores 0.62
        key_result.save()
        checkin_create(acting=None, key_result=key_result, value=value, confidence=6)
    strategic.refresh_from_db()
    assert strategic.execution == pytest.approx(0.59)
    return strategic


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def tile(page: str, label: str) -> tuple[str, str]:
    """(colour, words) of the tile with this label."""
    found = re.search(
        rf'<div class="tile status-(\w+)"[^>]*><span class="label">{re.escape(label)}</span>'
        r"(.*?)</div>",
        page,
        re.S,
    )
    assert found, label
    return found.group(1), text(found.group(2)).strip()


def test_the_dashboard_colours_execution_by_the_okr_scale(world, served, signed_in):
    page = signed_in(world.lead).get(reverse("dashboard")).content.decode()
    assert tile(page, "Scorecard execution") == ("yellow", "0.59 yellow")
    assert f'<span class="badge status-yellow" title="{OKR_SCALE}"><span class="score">0.59' in page


def test_the_strategic_objective_page_colours_execution_by_the_okr_scale(world, served, signed_in):
    page = signed_in(world.lead).get(reverse("strategic-objective", args=[served.pk]))
    page = page.content.decode()
    assert tile(page, "Execution (OKRs of Q4 2026)") == ("yellow", "0.59 yellow")


def test_the_scorecard_page_colours_execution_by_the_okr_scale(world, served, signed_in):
    page = signed_in(world.lead).get(reverse("scorecard", args=[world.scorecard.pk]))
    page = page.content.decode()
    assert tile(page, "Execution") == ("yellow", "0.59 yellow")
    assert "0.59</span> yellow" in page  # the perspective's and the objective's chips


def test_the_heat_map_colours_execution_by_the_okr_scale(world, served, signed_in):
    page = signed_in(world.lead).get(reverse("heatmap")).content.decode()
    execution = page.split("Execution: OKRs")[1]
    assert '<td class="cell status-yellow"><span class="badge status-yellow"' in execution
    assert "0.59</span> yellow" in execution
    assert "off target" not in execution


@pytest.mark.parametrize("page", ["dashboard", "heatmap", "scorecard", "strategic-objective"])
def test_a_legend_shows_both_scales_where_they_meet(world, served, signed_in, page):
    args = {"scorecard": [world.scorecard.pk], "strategic-objective": [served.pk]}.get(page, [])
    shown = text(signed_in(world.lead).get(reverse(page, args=args)).content.decode())
    assert "Strategy scale (performance of objectives, perspectives, scorecards):" in shown
    assert "off target below 0.7 warning from 0.7 on target from 0.9" in shown
    assert "OKR scale (OKR scores and execution): red below 0.4 yellow from 0.4" in shown


def test_a_tile_without_a_figure_says_n_a_once(world, served, signed_in):
    page = signed_in(world.lead).get(reverse("strategic-objective", args=[served.pk]))
    colour, words = tile(page.content.decode(), "Performance (measures)")
    assert (colour, words) == ("grey", "N/A")


def test_the_api_colours_execution_by_the_okr_scale(world, served, as_):
    objective = as_("viewer").get(f"/api/v1/strategic-objectives/{served.pk}").json()
    assert (objective["execution_colour"], objective["performance_colour"]) == ("yellow", "grey")
    summary = as_("viewer").get(f"/api/v1/scorecards/{world.scorecard.pk}/summary").json()
    assert summary["execution_colour"] == "yellow"
    financial = next(p for p in summary["perspectives"] if p["name"] == "Financial")
    assert financial["objectives"][0]["execution_colour"] == "yellow"
