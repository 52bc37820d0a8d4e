"""Scorecard table, strategic objective, measure and initiative pages on a small crafted
organisation: the permission layer, private OKRs, the figures and their readings."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.okrs.services import key_result_create, objective_create
from lodestar.org.models import Person
from lodestar.strategy.services import (
    initiative_create,
    measure_create,
    measure_value_record,
    strategic_objective_create,
)


@pytest.fixture
def ceo(demo_org, db):
    return Person.objects.get(username="ceo")


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


# --- on a small crafted organisation --------------------------------------------------


@pytest.fixture
def strategy(world):
    """A company objective with a measure owned by the member, a public OKR of Sales and
    a private OKR of Inside Sales serving it, both with a key result on the measure."""
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        code="F1",
        name="Grow revenue",
        owner=world.strat,
    )
    measure = measure_create(
        acting=None, objective=objective, name="Revenue", baseline=0, target=100, owner=world.member
    )
    measure_value_record(acting=None, measure=measure, period=date(2026, 10, 1), actual=50)
    measure_value_record(acting=None, measure=measure, period=date(2026, 11, 1), actual=80)
    public = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Win the east region",
        unit=world.sales,
        owner=world.lead,
        contributes_to=[objective],
    )
    private = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Quietly test new pricing",
        unit=world.inside_sales,
        owner=world.member,
        visibility="private",
        contributes_to=[objective],
    )
    for okr, title in ((public, "East deals closed"), (private, "Pricing pilots signed")):
        key_result_create(
            acting=None,
            objective=okr,
            title=title,
            owner=okr.owner,
            baseline=0,
            target=10,
            linked_measure=measure,
        )
    initiative = initiative_create(
        acting=None,
        name="New CRM",
        strategic_objectives=[objective],
        owner=world.lead,
        budget=200000,
        spent=75000,
        percent_complete=30,
    )
    objective.refresh_from_db()
    return objective, measure, initiative


def test_it_shows_edit_links_only_to_those_who_may_change_the_scorecard(world, strategy, signed_in):
    _, measure, _ = strategy
    url = reverse("scorecard", args=[world.scorecard.pk])
    edit = reverse("scorecard-edit", args=[world.scorecard.pk])
    new_objective = reverse("strategic-objective-new", args=[world.scorecard.pk])
    for person in (world.admin, world.strat):
        page = signed_in(person).get(url).content.decode()
        assert edit in page and new_objective in page
        assert reverse("measure-edit", args=[measure.pk]) in page
    for person in (world.lead, world.member, world.viewer, world.outsider):
        page = signed_in(person).get(url).content.decode()
        assert edit not in page and new_objective not in page
        assert reverse("measure-edit", args=[measure.pk]) not in page


def test_the_owner_of_a_measure_may_record_its_values_but_not_edit_it(world, strategy, signed_in):
    _, measure, _ = strategy
    record = reverse("measure-value-new", args=[measure.pk])
    for name in ("scorecard", "measure"):
        args = [world.scorecard.pk] if name == "scorecard" else [measure.pk]
        page = signed_in(world.member).get(reverse(name, args=args)).content.decode()
        assert record in page
        assert reverse("measure-edit", args=[measure.pk]) not in page
        page = signed_in(world.outsider).get(reverse(name, args=args)).content.decode()
        assert record not in page


def test_a_private_okr_shows_only_to_those_who_may_see_it(world, strategy, signed_in):
    objective, measure, _ = strategy
    # page -> (what of the private OKR it would show, what of the public one)
    pages = {
        reverse("strategic-objective", args=[objective.pk]): (
            "Quietly test new pricing",
            "Win the east region",
        ),
        reverse("measure", args=[measure.pk]): ("Pricing pilots signed", "East deals closed"),
    }
    for person in (world.admin, world.lead, world.member):
        for url, (private, public) in pages.items():
            page = signed_in(person).get(url).content.decode()
            assert private in page and public in page
    for person in (world.strat, world.viewer, world.outsider):
        for url, (private, public) in pages.items():
            page = signed_in(person).get(url).content.decode()
            assert private not in page and public in page


def test_the_measure_page_charts_every_value_with_target_and_zones(world, strategy, signed_in):
    _, measure, _ = strategy
    page = signed_in(world.viewer).get(reverse("measure", args=[measure.pk])).content.decode()
    assert "target 100" in page
    assert "Nov 2026: 80" in page and "Oct 2026: 50" in page
    assert "on target" not in page and "0.80" in page  # 80 of 100 is yellow, not green
    assert "#fdf0c8" in page  # the yellow zone


def test_the_strategic_objective_page_reads_the_divergence(world, strategy, signed_in):
    objective, _, _ = strategy
    page = signed_in(world.viewer).get(reverse("strategic-objective", args=[objective.pk]))
    text = page.content.decode()
    # Measure at 0.8, OKRs not started (0.0): results without planned work behind them.
    assert objective.performance == pytest.approx(0.8) and objective.execution == 0
    assert "-0.80" in text
    assert "Performance runs ahead of execution" in text


def test_the_initiative_page_shows_earned_value_and_cost_variance(world, strategy, signed_in):
    _, _, initiative = strategy
    page = signed_in(world.viewer).get(reverse("initiative", args=[initiative.pk]))
    text = page.content.decode()
    assert "60,000" in text and "-15,000" in text and "over budget" in text
    assert 'class="chart bar"' in text and 'aria-label="30 % complete"' in text
    assert reverse("strategic-objective", args=[initiative.strategic_objectives.get().pk]) in text
    assert reverse("initiative-edit", args=[initiative.pk]) not in text
    owner_page = signed_in(world.lead).get(reverse("initiative", args=[initiative.pk]))
    assert reverse("initiative-edit", args=[initiative.pk]) in owner_page.content.decode()


@pytest.mark.parametrize(
    "name", ["scorecard", "strategy-map", "strategic-objective", "measure", "initiative"]
)
def test_a_page_for_nothing_is_404(world, signed_in, name):
    assert signed_in(world.admin).get(reverse(name, args=[999999])).status_code == 404


def test_strategy_pages_ask_to_sign_in(world, strategy, client):
    objective, _, _ = strategy
    response = client.get(reverse("strategic-objective", args=[objective.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
