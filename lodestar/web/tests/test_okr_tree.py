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
from lodestar.org.models import Unit
from lodestar.org.services import membership_set, person_create, unit_create
from lodestar.strategy.services import strategic_objective_create
from lodestar.web.pagedata import okrs as pagedata
from lodestar.web.pagedata.okr_units import UnitRow

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


def unit_rows(page) -> dict[str, UnitRow]:
    """Every unit row of the page, opened or not, by unit name."""
    found, stack = {}, list(page.context["units"])
    while stack:
        row = stack.pop()
        found[row.name] = row
        stack.extend(row.units)
    return found


def test_it_opens_the_units_down_to_the_readers_with_their_objectives(okrs, signed_in, world):
    page = signed_in(world.member).get(TREE)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Win the market") < html.index("Sell more")
    units = unit_rows(page)
    assert units["Acme"].opened and units["Sales"].opened and not units["Support"].opened
    [company] = units["Acme"].rows
    [sales] = units["Sales"].rows
    assert company.node.objective == okrs["company"]
    assert sales.node.objective == okrs["sales"]
    assert sales.node.colour == "green"
    assert sales.node.key_results[0].key_result == okrs["deals"]
    assert "0.80</span> green" in html
    assert reverse("strategic-objective", args=[okrs["delight"].pk]) in html
    assert "Answer faster" not in html  # Support's objectives wait behind its row


def test_a_units_row_sums_up_its_objectives_and_those_below(okrs, signed_in, world):
    objective_create(
        acting=None,
        cycle=world.cycle,
        title="Call back",
        unit=world.inside_sales,
        parent=okrs["sales"],
    )
    units = unit_rows(signed_in(world.member).get(TREE))
    assert units["Sales"].figures.objectives == 2  # its own and Inside Sales'
    assert units["Inside Sales"].figures.objectives == 1
    assert units["Acme"].figures.objectives == 4  # the secret plan is not the member's to see
    assert units["Sales"].figures.average == pytest.approx(0.8)  # "Call back" has no score
    assert units["Sales"].figures.counts == [("green", 1), ("grey", 1)]


def test_it_marks_objectives_that_serve_no_strategic_objective(okrs, signed_in, world):
    page = signed_in(world.outsider).get(TREE)
    units = unit_rows(page)
    assert units["Support"].rows[0].node.serves == []
    assert not units["Support"].rows[0].node.serves_through_parent
    # Support's objective and the outsider's own (personal, so in Support too).
    assert page.content.decode().count("Serves no strategic objective") == 2
    sales = unit_rows(signed_in(world.member).get(TREE))["Sales"].rows[0].node
    assert sales.serves_through_parent


def test_it_hides_private_objectives_of_others(okrs, signed_in, world):
    assert "Secret plan" not in signed_in(world.member).get(TREE).content.decode()
    assert "Secret plan" in signed_in(world.outsider).get(TREE).content.decode()


def test_a_private_objective_counts_only_for_those_who_may_see_it(okrs, signed_in, world):
    """Not as a row, a count, a colour nor inside an average."""
    hidden = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Quiet win",
        unit=world.support,
        owner=world.outsider,
        visibility="private",
    )
    done = key_result_create(
        acting=None, objective=hidden, title="Done", owner=world.outsider, target=1
    )
    checkin_create(acting=None, key_result=done, value=1, confidence=9, author=world.outsider)
    support = reverse("okr-unit", args=[world.support.pk])
    for reader, objectives, greens in ((world.member, 1, 0), (world.outsider, 3, 1)):
        figures = unit_rows(signed_in(reader).get(TREE))["Support"].figures
        assert (figures.objectives, figures.colours["green"]) == (objectives, greens)
        branch = signed_in(reader).get(support, headers={"X-Lodestar-Fragment": "1"})
        assert branch.context["unit"].figures.objectives == objectives
        assert ("Quiet win" in branch.content.decode()) == bool(greens)
    member = unit_rows(signed_in(world.member).get(TREE))["Support"].figures
    assert member.average is None  # "Answer faster" alone, with no score


def test_the_readers_objectives_outside_their_units_stand_on_their_own(okrs, signed_in, world):
    objective_create(
        acting=None, cycle=world.cycle, title="Help support", unit=world.support, owner=world.member
    )
    page = signed_in(world.member).get(TREE)
    assert [row.node.objective.title for row in page.context["own"]] == ["Help support"]
    assert "<h2>Your objectives</h2>" in page.content.decode()
    assert "<h2>Your objectives</h2>" not in signed_in(world.lead).get(TREE).content.decode()


def test_a_personal_objective_stands_in_its_owners_units(okrs, signed_in, world):
    objective_create(acting=None, cycle=world.cycle, title="My own goal", owner=world.member)
    units = unit_rows(signed_in(world.lead).get(TREE))
    assert "My own goal" in [row.node.objective.title for row in units["Sales"].rows]
    assert units["Sales"].figures.objectives == 2


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
    assert html.count("<details open>") == html.count("<summary>") == 2  # Support's are closed


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
    assert [(row.name, row.rows) for row in page.context["units"]] == [("Acme", [])]
    assert f"{reverse('okr-unit', args=[world.support.pk])}?cycle=" not in page.content.decode()


def test_a_closed_unit_opens_from_its_own_url(okrs, signed_in, world):
    below = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Faster first reply",
        unit=world.support,
        parent=okrs["support"],
    )
    html = signed_in(world.member).get(TREE).content.decode()
    assert "Faster first reply" not in html
    unit = f"{reverse('okr-unit', args=[world.support.pk])}?cycle={world.cycle.pk}"
    assert f'data-unit-branch href="{unit}">Show its objectives</a>' in html

    fragment = signed_in(world.member).get(unit, headers={"X-Lodestar-Fragment": "1"})
    body = fragment.content.decode()
    assert "<html" not in body and body.index("Answer faster") < body.index("Faster first reply")
    assert fragment.context["unit"].rows[1].node.objective == below  # nested under its parent
    as_page = signed_in(world.member).get(unit).content.decode()
    assert "<html" in as_page and reverse("objective", args=[below.pk]) in as_page
    assert signed_in(world.member).get(reverse("okr-unit", args=[0])).status_code == 404


def test_sub_objectives_in_other_units_stay_behind_a_branch_link(okrs, signed_in, world):
    below = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Faster first reply",
        unit=world.sales,
        parent=okrs["support"],
    )
    html = signed_in(world.outsider).get(TREE).content.decode()
    branch = reverse("okr-branch", args=[okrs["support"].pk])
    assert f'data-branch href="{branch}">Show 1 sub-objective</a>' in html
    fragment = signed_in(world.outsider).get(branch, headers={"X-Lodestar-Fragment": "1"})
    assert "Faster first reply" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    as_page = signed_in(world.outsider).get(branch).content.decode()
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
    tree = html[html.index('<ul class="unit-tree">') : html.index("</main>")]
    assert tree.count('<li class="okr-node') == 4
    assert tree.count("<li") == tree.count("</li>") == 4 + 3  # and Acme, Sales, Support
    assert tree.count("<ul") == tree.count("</ul>")
    assert html.index("Sell more") < html.index("Deeper") < html.index("Deepest")


def add_objectives(world, count: int) -> None:
    made = Unit.objects.filter(name__startswith="Department").count()
    for index in range(made, made + count):
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


def test_a_filter_matching_many_shows_the_first_and_says_so(world, signed_in, monkeypatch):
    monkeypatch.setattr(pagedata, "MATCHES_SHOWN", 2)
    add_objectives(world, 3)
    page = signed_in(world.member).get(TREE, {"owner": world.lead.username})
    assert [n.objective.title for n in page.context["roots"]] == ["Parent 0", "Parent 1"]
    assert "The first 2 of 3 matching objectives" in page.content.decode()
    one = signed_in(world.member).get(
        TREE, {"owner": world.lead.username, "unit": world.support.pk}
    )
    assert "matching objectives, in tree order" not in one.content.decode()


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
    assert few <= 17


def add_departments(world, count: int, objectives: int) -> None:
    """`count` departments under the company, each with `objectives` objectives of two
    checked-in key results, cascaded from the department's first."""
    for index in range(
        len(world.company.children.all()), len(world.company.children.all()) + count
    ):
        unit = unit_create(acting=None, name=f"Department {index}", parent=world.company)
        first = None
        for number in range(objectives):
            objective = objective_create(
                acting=None,
                cycle=world.cycle,
                title=f"Goal {index}.{number}",
                unit=unit,
                parent=first,
            )
            first = first or objective
            for kr_index in range(2):
                kr = key_result_create(
                    acting=None,
                    objective=objective,
                    title=f"KR {kr_index}",
                    owner=world.lead,
                    target=4,
                )
                checkin_create(acting=None, key_result=kr, value=kr_index + 1, confidence=7)


def test_the_company_leads_page_is_bounded_by_the_units_shown(world, signed_in):
    """A few hundred objectives: the CEO's page holds a summary row per department, and
    more objectives in them change its figures, not its size."""
    ceo = person_create(acting=None, username="ceo", first_name="Chief")
    membership_set(acting=None, person=ceo, unit=world.company, role="lead")
    client = signed_in(ceo)
    add_departments(world, 10, 10)
    few = client.get(TREE)
    for unit in Unit.objects.filter(name__startswith="Department"):
        for number in range(20):
            objective_create(acting=None, cycle=world.cycle, title=f"More {number}", unit=unit)
    assert Objective.objects.filter(cycle=world.cycle).count() == 300
    many = client.get(TREE)
    # A few bytes a unit row (its counts, a new colour's badge), none by objective.
    assert len(many.content) - len(few.content) < 100 * 10
    assert len(many.content) < 40_000
    assert "Goal 3.4" not in many.content.decode()
    row = unit_rows(many)["Department 3"]
    assert (row.figures.objectives, row.opened) == (30, False)


def test_a_units_branch_loads_in_a_fixed_number_of_queries(world, signed_in):
    client = signed_in(world.member)
    url = reverse("okr-unit", args=[world.company.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(url, headers={"X-Lodestar-Fragment": "1"})
        assert answer.status_code == 200
        return len(captured)

    objective_create(acting=None, cycle=world.cycle, title="Top", unit=world.company)
    add_departments(world, 2, 2)
    few = queries()
    add_departments(world, 3, 4)
    objective_create(acting=None, cycle=world.cycle, title="Top 2", unit=world.company)
    assert queries() == few <= 14


def test_the_demo_tree_loads_in_a_fixed_number_of_queries(
    demo_org, db, signed_in, django_assert_max_num_queries
):
    from lodestar.org.models import Person, Unit

    client = signed_in(Person.objects.get(username="ceo"))
    with django_assert_max_num_queries(16):
        page = client.get(TREE)
    assert page.status_code == 200
    [company] = page.context["units"]
    assert company.opened and all(not row.opened for row in company.units)
    branch = reverse("okr-unit", args=[Unit.objects.get(parent__isnull=True).pk])
    with django_assert_max_num_queries(16):
        assert client.get(branch, headers={"X-Lodestar-Fragment": "1"}).status_code == 200
