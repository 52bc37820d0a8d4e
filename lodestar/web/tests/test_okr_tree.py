"""The OKR alignment tree: nesting, scores and pace, alignment marks, filters that keep
the tree, private objectives and a query count that does not grow with the data."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.okrs.models import Objective
from lodestar.okrs.services import (
    checkin_create,
    cycle_create,
    key_result_create,
    objective_create,
)
from lodestar.strategy.services import strategic_objective_create

TREE = reverse("okr-tree")


@pytest.fixture
def okrs(world):
    customer = world.perspective("Customer")
    delight = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=customer, name="Delight customers"
    )
    company = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Win the market",
        unit=world.company,
        contributes_to=[delight],
    )
    sales = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Sell more",
        unit=world.sales,
        owner=world.lead,
        parent=company,
    )
    support = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Answer faster",
        unit=world.support,
        owner=world.outsider,
    )
    secret = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Secret plan",
        owner=world.outsider,
        visibility="private",
    )
    deals = key_result_create(
        acting=None, objective=sales, title="Close deals", owner=world.member, baseline=0, target=10
    )
    checkin_create(acting=None, key_result=deals, value=8, confidence=8, author=world.member)
    return {
        "delight": delight,
        "company": company,
        "sales": sales,
        "support": support,
        "secret": secret,
        "deals": deals,
    }


def test_it_nests_objectives_under_their_parent_with_scores_and_key_results(okrs, signed_in, world):
    page = signed_in(world.member).get(TREE)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Win the market") < html.index("Sell more")
    company, sales = page.context["roots"][0], page.context["roots"][0].children[0]
    assert company.objective == okrs["company"]
    assert sales.objective == okrs["sales"]
    assert sales.colour == "green"
    assert sales.key_results[0].key_result == okrs["deals"]
    assert "0.80</span> green" in html
    assert reverse("strategic-objective", args=[okrs["delight"].pk]) in html


def test_it_marks_objectives_that_serve_no_strategic_objective(okrs, signed_in, world):
    page = signed_in(world.member).get(TREE)
    nodes = {n.objective.title: n for n in page.context["roots"]}
    assert nodes["Answer faster"].serves == []
    assert not nodes["Answer faster"].serves_through_parent
    assert nodes["Win the market"].children[0].serves_through_parent
    assert page.content.decode().count("Serves no strategic objective") == 1


def test_it_hides_private_objectives_of_others(okrs, signed_in, world):
    assert "Secret plan" not in signed_in(world.member).get(TREE).content.decode()
    assert "Secret plan" in signed_in(world.outsider).get(TREE).content.decode()


def test_a_unit_filter_keeps_the_ancestors_dimmed(okrs, signed_in, world):
    page = signed_in(world.member).get(TREE, {"unit": world.sales.pk})
    roots = page.context["roots"]
    assert [n.objective.title for n in roots] == ["Win the market"]
    assert roots[0].dimmed
    assert not roots[0].children[0].dimmed
    assert "Answer faster" not in page.content.decode()


def test_a_unit_filter_takes_the_personal_objectives_of_its_people(okrs, signed_in, world):
    objective_create(acting=None, cycle=world.cycle, title="My own goal", owner=world.member)
    page = signed_in(world.member).get(TREE, {"unit": world.sales.pk})
    assert "My own goal" in page.content.decode()
    other = signed_in(world.member).get(TREE, {"unit": world.support.pk})
    assert "My own goal" not in other.content.decode()


def test_every_objective_folds_with_details_and_summary(okrs, signed_in, world):
    html = signed_in(world.member).get(TREE).content.decode()
    assert html.count("<details open>") == html.count("<summary>") == 3


def test_owner_and_status_filters_choose_objectives(okrs, signed_in, world):
    client = signed_in(world.member)
    by_owner = client.get(TREE, {"owner": world.outsider.username}).context["roots"]
    assert [n.objective.title for n in by_owner] == ["Answer faster"]
    green = client.get(TREE, {"status": "green"}).context["roots"]
    assert [n.objective.title for n in green] == ["Win the market"]
    assert green[0].children[0].objective.title == "Sell more"
    on_track = client.get(TREE, {"status": "on_track"}).context["roots"]
    assert on_track[0].dimmed and on_track[0].children[0].pace == "on_track"


def test_it_shows_the_cycle_asked_for(okrs, signed_in, world):
    other = cycle_create(acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31))
    page = signed_in(world.member).get(TREE, {"cycle": other.pk})
    assert page.context["cycle"] == other
    assert page.context["roots"] == []


def test_branches_away_from_the_readers_unit_stay_closed_behind_a_link(okrs, signed_in, world):
    below = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Faster first reply",
        unit=world.support,
        parent=okrs["support"],
    )
    page = signed_in(world.member).get(TREE)
    html = page.content.decode()
    assert "Sell more" in html  # the member's own unit: opened
    assert "Faster first reply" not in html
    branch = reverse("okr-branch", args=[okrs["support"].pk])
    assert f'data-branch href="{branch}">Show 1 sub-objective</a>' in html

    fragment = signed_in(world.member).get(branch, headers={"X-Lodestar-Fragment": "1"})
    assert "Faster first reply" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    as_page = signed_in(world.member).get(branch).content.decode()
    assert "<html" in as_page and reverse("objective", args=[below.pk]) in as_page


def test_the_owners_unit_path_opens_for_the_owner(okrs, signed_in, world):
    objective_create(
        acting=None,
        cycle=world.cycle,
        title="Faster first reply",
        unit=world.support,
        parent=okrs["support"],
    )
    assert "Faster first reply" in signed_in(world.outsider).get(TREE).content.decode()


def test_a_private_branch_is_not_found_for_others(okrs, signed_in, world):
    branch = reverse("okr-branch", args=[okrs["secret"].pk])
    assert signed_in(world.member).get(branch).status_code == 404
    assert signed_in(world.outsider).get(branch).status_code == 200


def test_the_tree_rows_nest_as_deep_as_the_objectives(okrs, signed_in, world):
    deeper = objective_create(
        acting=None, cycle=world.cycle, title="Deeper", unit=world.sales, parent=okrs["sales"]
    )
    objective_create(
        acting=None, cycle=world.cycle, title="Deepest", unit=world.sales, parent=deeper
    )
    html = signed_in(world.member).get(TREE).content.decode()
    tree = html[html.index('<ul class="okr-tree">') : html.index("</main>")]
    assert tree.count('<li class="okr-node') == tree.count("</li>") == 5
    assert tree.count('<ul class="okr-tree">') == tree.count("</ul>") == 4
    assert html.index("Sell more") < html.index("Deeper") < html.index("Deepest")


def add_objectives(world, count: int) -> None:
    for index in range(count):
        parent = objective_create(
            acting=None,
            cycle=world.cycle,
            title=f"Parent {index}",
            unit=world.sales,
            owner=world.lead,
        )
        child = objective_create(
            acting=None,
            cycle=world.cycle,
            title=f"Child {index}",
            owner=world.member,
            parent=parent,
        )
        for kr_index in range(2):
            key_result_create(
                acting=None,
                objective=child,
                title=f"KR {index}.{kr_index}",
                owner=world.member,
                target=5,
            )


def queries_for(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TREE, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"unit": "sales", "status": "grey"}])
def test_its_query_count_does_not_grow_with_the_objectives(world, signed_in, params):
    if "unit" in params:
        params = {**params, "unit": world.sales.pk}
    client = signed_in(world.lead)
    add_objectives(world, 3)
    few = queries_for(client, params)
    add_objectives(world, 9)
    assert Objective.objects.count() == 24
    assert queries_for(client, params) == few
    assert few <= 16


def test_the_demo_tree_loads_in_a_fixed_number_of_queries(
    demo_org, db, signed_in, django_assert_max_num_queries
):
    from lodestar.org.models import Person

    client = signed_in(Person.objects.get(username="ceo"))
    with django_assert_max_num_queries(15):
        page = client.get(TREE)
    assert page.status_code == 200
    assert "Serves no strategic objective" in page.content.decode() or page.context["roots"]
