"""The heat map: units x perspectives, strategy (scorecard perspective scores) beside
execution (the OKRs of each unit's subtree, by the perspective they serve)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.okrs.services import key_result_create, objective_create
from lodestar.org.services import unit_create
from lodestar.strategy.services import (
    measure_create,
    measure_value_record,
    scorecard_create,
    strategic_objective_create,
)
from lodestar.web.pagedata.strategy import heat_map

COLUMNS = ["Financial", "Customer", "Internal Process", "Learning & Growth"]  # top band first


def scorecard_for(unit, name="FY2026"):
    return scorecard_create(
        acting=None,
        unit=unit,
        name=name,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


def scored_objective(scorecard, perspective: str, actual: float):
    objective = strategic_objective_create(
        acting=None,
        scorecard=scorecard,
        perspective=scorecard.perspectives.get(name=perspective),
        name=f"{perspective} goal",
    )
    measure = measure_create(
        acting=None, objective=objective, name="Figure", baseline=0, target=100
    )
    measure_value_record(acting=None, measure=measure, period=date(2026, 11, 1), actual=actual)
    return objective


def okr(world, unit, served, score_to: float, visibility="public", title="OKR"):
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title=title,
        unit=unit,
        owner=world.member,
        visibility=visibility,
        contributes_to=served,
    )
    key_result_create(
        acting=None,
        objective=objective,
        title=f"{title} KR",
        owner=world.member,
        baseline=0,
        target=10,
        current=score_to * 10,
    )
    return objective


@pytest.fixture
def matrix(world):
    company_customer = scored_objective(world.scorecard, "Customer", 80)
    sales_card = scorecard_for(world.sales)
    scored_objective(sales_card, "Financial", 95)
    okr(world, world.inside_sales, [company_customer], 0.5, title="Public")
    okr(world, world.inside_sales, [company_customer], 1.0, "private", title="Private")
    return company_customer, sales_card


def row(result, unit):
    return next(r for r in result.rows if r.unit == unit)


def test_each_cell_is_the_perspective_score_of_the_unit_scorecard(world, matrix):
    result = heat_map(world.admin, world.cycle)
    assert result.columns == COLUMNS
    assert row(result, world.company).scores == [None, pytest.approx(0.8), None, None]
    assert row(result, world.sales).scores == [pytest.approx(0.95), None, None, None]
    assert row(result, world.support).scorecard is None
    assert row(result, world.support).scores == [None, None, None, None]


def test_execution_counts_the_okrs_of_the_unit_subtree_the_person_may_see(world, matrix):
    lead_view = heat_map(world.lead, world.cycle)
    customer = COLUMNS.index("Customer")
    # Inside Sales serves the company's Customer objective; Sales and Acme hold it.
    for unit in (world.company, world.sales, world.inside_sales):
        score, count = row(lead_view, unit).execution[customer]
        assert (round(score, 2), count) == (0.75, 2)
    assert row(lead_view, world.support).execution[customer] == (None, 0)
    outsider_view = heat_map(world.outsider, world.cycle)
    assert row(outsider_view, world.sales).execution[customer] == (pytest.approx(0.5), 1)


def test_the_page_shows_scores_in_words_and_colours(world, matrix, signed_in):
    page = signed_in(world.outsider).get(reverse("heatmap")).content.decode()
    assert "0.80</span> warning" in page and "0.95</span> on target" in page
    assert "1 OKR" in page and "2 OKRs" not in page and "Private" not in page
    assert "Learning &amp; Growth" in page


def test_units_without_a_scorecard_get_one_line_not_empty_rows(world, matrix, signed_in):
    result = heat_map(world.admin, world.cycle)
    assert [r.unit for r in result.scored] == [world.company, world.sales]
    assert {r.unit for r in result.unscored} == {world.inside_sales, world.support}
    page = signed_in(world.outsider).get(reverse("heatmap")).content.decode()
    strategy, execution = page.split("<h2>Execution")
    assert "no scorecard" not in page
    assert strategy.count('<th scope="row"') == 2  # Acme and Sales, nothing empty
    assert "2 units without a scorecard, so with no row above:" in strategy
    for unit in (world.inside_sales, world.support):
        assert f'<a href="{reverse("unit", args=[unit.pk])}">{unit.name}</a>' in strategy
    assert execution.count('<th scope="row"') == 4  # the execution half keeps every unit


def test_heat_map_query_count_does_not_grow_with_units_scorecards_or_okrs(world, matrix, signed_in):
    company_customer, _ = matrix
    client = signed_in(world.lead)
    client.get(reverse("heatmap"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("heatmap")).status_code == 200
        return len(queries)

    before = count()
    for n in range(4):
        team = unit_create(acting=None, name=f"Team {n}", parent=world.sales)
        scored_objective(scorecard_for(team), "Customer", 10 * n)
        okr(world, team, [company_customer], 0.3, title=f"Team OKR {n}")
    assert count() == before <= 14
