"""The History section of an object's page and the history page of its own: newest
first, in plain words, as invisible as the object, private objectives never named."""

import pytest
from django.urls import reverse

from lodestar.okrs.services import objective_create, objective_update
from lodestar.strategy.services import measure_create, measure_update, strategic_objective_create


@pytest.fixture
def measure(world):
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight customers",
    )
    return measure_create(acting=None, objective=objective, name="NPS", baseline=0, target=50)


def history_section(response) -> str:
    html = response.content.decode()
    return html[html.index('id="history-heading"') :]


def test_a_measure_page_shows_who_changed_what_newest_first(world, measure, signed_in):
    measure_update(acting=world.strat, measure=measure, target=60, owner=world.member)
    measure_update(acting=world.admin, measure=measure, direction="lower", target=40)
    section = history_section(signed_in(world.viewer).get(reverse("measure", args=[measure.pk])))
    admin, strat, created = (
        section.index("· Admin ·"),
        section.index("· Strat ·"),
        section.index("· the system · created"),
    )
    assert admin < strat < created
    assert "Direction</span>: Higher is better → Lower is better" in section
    assert "Owner</span>: — → Member" in section
    assert "Target</span>: 50 → 60" in section
    assert "Earlier changes" not in section


@pytest.mark.parametrize(
    ("name", "attribute"),
    [
        ("scorecard", "scorecard"),
        ("unit", "sales"),
        ("cycle", "cycle"),
        ("person", "lead"),
    ],
)
def test_every_object_page_has_a_history(world, signed_in, name, attribute):
    page = signed_in(world.admin).get(reverse(name, args=[getattr(world, attribute).pk]))
    assert page.status_code == 200
    assert "created" in history_section(page)


def test_the_page_shows_the_latest_twenty_and_links_to_the_rest(world, measure, signed_in):
    for target in range(51, 76):
        measure_update(acting=world.strat, measure=measure, target=target)
    client = signed_in(world.strat)
    section = history_section(client.get(reverse("measure", args=[measure.pk])))
    assert section.count("<li>") == 20
    more = reverse("history", args=["measures", measure.pk]) + "?page=1"
    assert f'href="{more}"' in section
    full = history_section(client.get(more))
    assert full.count("<li>") == 26  # 25 changes and the creation: one page of 50
    assert "Earlier changes" not in full


def test_a_private_objectives_history_page_is_as_invisible_as_the_objective(world, signed_in):
    private = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Get promoted",
        owner=world.member,
        visibility="private",
    )
    url = reverse("history", args=["objectives", private.pk])
    assert signed_in(world.member).get(url).status_code == 200
    assert signed_in(world.outsider).get(url).status_code == 404
    assert signed_in(world.member).get(reverse("history", args=["nothing", 1])).status_code == 404


def test_a_private_parent_is_never_named_in_a_public_objectives_history(world, signed_in):
    private = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Get promoted",
        owner=world.member,
        visibility="private",
    )
    public = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    objective_update(acting=world.member, objective=public, parent=private)
    outsider_view = history_section(
        signed_in(world.outsider).get(reverse("objective", args=[public.pk]))
    )
    assert "Parent</span>: — → (hidden)" in outsider_view
    assert "Get promoted" not in outsider_view
    own_view = history_section(signed_in(world.member).get(reverse("objective", args=[public.pk])))
    assert "Parent</span>: — → Get promoted" in own_view
