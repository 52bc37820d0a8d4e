"""The OKR objective page: its facts, parent and children, the strategy it serves, its
key results, and edit links only for those who may change it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.strategy.services import strategic_objective_create


@pytest.fixture
def family(world):
    growth = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow",
    )
    parent = objective_create(
        acting=None, cycle=world.cycle, title="Win the market", unit=world.company
    )
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Sell more",
        unit=world.sales,
        owner=world.lead,
        parent=parent,
        kind="committed",
        contributes_to=[growth],
    )
    child = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Inside push",
        unit=world.inside_sales,
        parent=objective,
    )
    hidden_child = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Private push",
        owner=world.outsider,
        parent=objective,
        visibility="private",
    )
    deals = key_result_create(
        acting=None, objective=objective, title="Close deals", owner=world.member, target=4
    )
    checkin_create(acting=None, key_result=deals, value=1, confidence=2, author=world.member)
    return {
        "growth": growth,
        "parent": parent,
        "objective": objective,
        "child": child,
        "hidden_child": hidden_child,
        "deals": deals,
    }


def url(objective) -> str:
    return reverse("objective", args=[objective.pk])


def test_it_shows_the_objective_its_family_strategy_and_key_results(family, signed_in, world):
    page = signed_in(world.member).get(url(family["objective"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Committed" in html and "Everyone" in html
    assert url(family["parent"]) in html and url(family["child"]) in html
    assert "Private push" not in html
    assert reverse("strategic-objective", args=[family["growth"].pk]) in html
    assert reverse("key-result", args=[family["deals"].pk]) in html
    assert "0.25</span> red" in html  # score as a word beside its colour
    assert page.context["node"].key_results[0].pace == "at_risk"  # confidence 2 is low


@pytest.mark.parametrize(
    ("persona", "may_change"),
    [("lead", True), ("member", True), ("viewer", False), ("outsider", False)],
)
def test_edit_links_only_for_those_who_may_change(family, signed_in, world, persona, may_change):
    html = signed_in(getattr(world, persona)).get(url(family["objective"])).content.decode()
    edit = reverse("objective-edit", args=[family["objective"].pk])
    new_key_result = reverse("key-result-new", args=[family["objective"].pk])
    assert (edit in html) is may_change
    assert (new_key_result in html) is may_change


def test_a_private_objective_is_not_found_for_others(family, signed_in, world):
    assert signed_in(world.member).get(url(family["hidden_child"])).status_code == 404
    assert signed_in(world.outsider).get(url(family["hidden_child"])).status_code == 200


def test_it_marks_an_objective_that_serves_no_strategy(family, signed_in, world):
    html = signed_in(world.member).get(url(family["child"])).content.decode()
    assert "Serves no strategic objective" in html


def test_its_query_count_does_not_grow_with_children_or_key_results(family, signed_in, world):
    client = signed_in(world.lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(family["objective"])).status_code == 200
        return len(captured)

    few = queries()
    for index in range(5):
        objective_create(
            acting=None,
            cycle=world.cycle,
            title=f"Child {index}",
            unit=world.sales,
            parent=family["objective"],
        )
        key_result_create(
            acting=None,
            objective=family["objective"],
            title=f"KR {index}",
            owner=world.member,
            target=2,
        )
    assert queries() == few
    assert few <= 16  # 14, and 2 for the history (its entries, visible parents)
