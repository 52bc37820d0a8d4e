"""The cycle chosen in the top bar stays chosen on every page until it is changed, each
page says which cycle it shows, and an id that names no cycle is ignored, never a 500."""

import re
from datetime import date

import pytest
from django.urls import reverse

from lodestar.okrs.services import cycle_create, key_result_create, objective_create

MENU = '<select id="nav-cycle" name="cycle">'


@pytest.fixture
def planning(world):
    """Q1 2027, in planning, where Sales has an objective (and the lead a key result)."""
    cycle = cycle_create(acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31))
    objective = objective_create(
        acting=None, cycle=cycle, title="Open the north", unit=world.sales, owner=world.lead
    )
    key_result_create(
        acting=None,
        objective=objective,
        title="Sign ten northern dealers",
        owner=world.lead,
        baseline=0,
        target=10,
    )
    return cycle


def selected(html: str) -> str:
    """The name of the cycle the top bar's menu shows as chosen."""
    menu = html[html.index(MENU) : html.index("</select>", html.index(MENU))]
    return re.search(r"<option value=\"\d+\" selected>([^<]+) \(", menu)[1]


def test_the_menu_shows_the_same_page_in_another_cycle(world, planning, signed_in):
    html = signed_in(world.lead).get(reverse("unit", args=[world.sales.pk])).content.decode()
    assert f'<form class="cycle-switch" method="get" action="/units/{world.sales.pk}/">' in html


def test_a_cycle_chosen_on_one_page_stays_chosen_on_the_next(world, planning, signed_in):
    client = signed_in(world.lead)
    client.get(f"{reverse('okr-tree')}?cycle={planning.pk}")
    for url in (
        reverse("dashboard"),
        reverse("unit", args=[world.sales.pk]),
        reverse("person", args=[world.lead.pk]),
        reverse("my-key-results"),
        reverse("okr-tree"),
        reverse("okr-unit", args=[world.sales.pk]),
        reverse("heatmap"),
    ):
        html = client.get(url).content.decode()
        assert "Showing Q1 2027 (planning)" in html, url
        assert selected(html) == "Q1 2027", url
    client.get(f"{reverse('dashboard')}?cycle={world.cycle.pk}")
    html = client.get(reverse("my-key-results")).content.decode()
    assert "Showing Q4 2026 (active)" in html and selected(html) == "Q4 2026"


def test_the_unit_page_lists_the_chosen_cycles_objectives(world, planning, signed_in):
    client = signed_in(world.member)
    page = reverse("unit", args=[world.sales.pk])
    north = planning.okr_objectives.get()
    row = f'<a href="{reverse("objective", args=[north.pk])}">Open the north</a>'
    html = client.get(page).content.decode()
    assert "No OKR objective in Q4 2026." in html and row not in html
    html = client.get(f"{page}?cycle={planning.pk}").content.decode()
    assert "OKR objectives in Q1 2027" in html and row in html


def test_my_key_results_and_the_person_page_honour_the_choice(world, planning, signed_in):
    client = signed_in(world.lead)
    assert "Sign ten northern dealers" not in client.get(reverse("my-key-results")).content.decode()
    mine = client.get(f"{reverse('my-key-results')}?cycle={planning.pk}").content.decode()
    assert "Sign ten northern dealers" in mine
    person = client.get(reverse("person", args=[world.lead.pk])).content.decode()
    assert "Open the north" in person and "Sign ten northern dealers" in person


def test_the_dashboard_and_the_menu_agree(world, planning, signed_in):
    client = signed_in(world.viewer)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Showing Q4 2026 (active)" in html and selected(html) == "Q4 2026"
    html = client.get(f"{reverse('dashboard')}?cycle={planning.pk}").content.decode()
    assert "Q1 2027, planning" in html and selected(html) == "Q1 2027"


def test_between_cycles_the_last_closed_one_is_shown_everywhere(world, planning, signed_in):
    from lodestar.okrs.services import cycle_close

    cycle_close(acting=None, cycle=world.cycle)
    client = signed_in(world.member)
    for url in (reverse("dashboard"), reverse("okr-tree"), reverse("my-key-results")):
        html = client.get(url).content.decode()
        assert "Showing Q4 2026 (closed)" in html and selected(html) == "Q4 2026", url


def test_on_a_cycles_own_page_the_menu_leaves_for_the_other(world, planning, signed_in):
    client = signed_in(world.member)
    answer = client.get(f"{reverse('cycle', args=[planning.pk])}?cycle={world.cycle.pk}")
    assert answer.status_code == 302 and answer.url == reverse("cycle", args=[world.cycle.pk])


@pytest.mark.parametrize("hostile", ["x", "999999", "-1", "0", "1e3", "", "9" * 40, "²"])
def test_an_id_naming_no_cycle_is_ignored(world, planning, signed_in, hostile):
    client = signed_in(world.outsider)
    client.get(f"{reverse('dashboard')}?cycle={planning.pk}")
    for url in (
        reverse("dashboard"),
        reverse("okr-tree"),
        reverse("okr-unit", args=[world.support.pk]),
        reverse("unit", args=[world.sales.pk]),
        reverse("my-key-results"),
        reverse("person", args=[world.lead.pk]),
        reverse("heatmap"),
        reverse("alignment"),
    ):
        answer = client.get(f"{url}?cycle={hostile}")
        assert answer.status_code == 200, url
        assert selected(answer.content.decode()) == "Q1 2027", url  # the choice stands


def test_a_session_naming_a_deleted_cycle_falls_back_to_the_active_one(world, planning, signed_in):
    from lodestar.okrs.models import Cycle

    later = cycle_create(acting=None, name="Q2 2027", start=date(2027, 4, 1), end=date(2027, 6, 30))
    client = signed_in(world.member)
    client.get(f"{reverse('dashboard')}?cycle={later.pk}")
    Cycle.objects.filter(pk=later.pk).delete()
    html = client.get(reverse("okr-tree")).content.decode()
    assert "Showing Q4 2026 (active)" in html and selected(html) == "Q4 2026"
