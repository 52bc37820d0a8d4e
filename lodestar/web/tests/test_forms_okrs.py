"""Create, edit and delete pages of the OKRs and the cycle's buttons, through the test
client."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.okrs.services import cycle_create, key_result_create, objective_create
from lodestar.org.services import person_create, unit_create
from lodestar.strategy.models import StrategicObjective
from lodestar.strategy.services import measure_create, strategic_objective_create
from lodestar.web.tests.form_assertions import error_beside, labelled, page_queries


@dataclass
class Okrs:
    """A strategic objective; the Sales objective serving it with a key result of the
    member; a private Sales objective of the lead; a cycle in planning."""

    strategic: StrategicObjective
    sales: Objective
    key_result: KeyResult
    private: Objective
    next_cycle: Cycle


@pytest.fixture
def okrs(world) -> Okrs:
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Keep customers",
    )
    sales = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Delight our buyers",
        unit=world.sales,
        owner=world.lead,
        contributes_to=[strategic],
    )
    key_result = key_result_create(
        acting=None,
        objective=sales,
        title="Raise NPS to 40",
        owner=world.member,
        baseline=20,
        target=40,
    )
    private = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Quiet reorganisation",
        unit=world.sales,
        owner=world.lead,
        visibility="private",
    )
    next_cycle = cycle_create(
        acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    return Okrs(strategic, sales, key_result, private, next_cycle)


def form_urls(world, okrs: Okrs) -> dict[str, str]:
    return {
        "cycle-new": reverse("cycle-new"),
        "cycle-edit": reverse("cycle-edit", args=[okrs.next_cycle.pk]),
        "objective-new": reverse("objective-new"),
        "objective-edit": reverse("objective-edit", args=[okrs.sales.pk]),
        "key-result-new": reverse("key-result-new", args=[okrs.sales.pk]),
        "key-result-edit": reverse("key-result-edit", args=[okrs.key_result.pk]),
        "key-result-hold": reverse("key-result-hold", args=[okrs.sales.pk]),
    }


LABELLED = {
    "cycle-new": ["name", "start", "end"],
    "cycle-edit": ["name", "start", "end"],
    "objective-new": ["cycle", "title", "unit", "owner", "parent", "contributes_to", "weight"],
    "objective-edit": ["title", "unit", "parent", "contributes_to", "visibility"],
    "key-result-new": ["title", "owner", "kind", "baseline", "target", "linked_measure", "weight"],
    "key-result-edit": ["title", "owner", "target"],
    "key-result-hold": ["key_result", "weight"],
}


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_it_renders_every_okr_form_with_a_label_for_each_field(world, okrs, signed_in, name):
    response = signed_in(world.strat).get(form_urls(world, okrs)[name])
    html = response.content.decode()
    assert response.status_code == 200
    for field in LABELLED[name]:
        assert labelled(html, field), field
    assert "Cancel</a>" in html


# Cycles -------------------------------------------------------------------------------
def test_the_strategy_office_opens_a_cycle_in_planning(world, signed_in):
    response = signed_in(world.strat).post(
        reverse("cycle-new"), {"name": "Q2 2027", "start": "2027-04-01", "end": "2027-06-30"}
    )
    cycle = Cycle.objects.get(name="Q2 2027")
    assert response["Location"] == reverse("cycle", args=[cycle.pk])
    assert (cycle.start, cycle.end, cycle.state) == (
        date(2027, 4, 1),
        date(2027, 6, 30),
        "planning",
    )


def test_a_cycle_ending_before_it_starts_is_refused_beside_the_end(world, signed_in):
    response = signed_in(world.strat).post(
        reverse("cycle-new"), {"name": "Backwards", "start": "2027-06-30", "end": "2027-04-01"}
    )
    assert "Must be after start" in error_beside(response, "end")
    assert not Cycle.objects.filter(name="Backwards").exists()


def test_a_cycle_is_renamed(world, okrs, signed_in):
    signed_in(world.strat).post(
        reverse("cycle-edit", args=[okrs.next_cycle.pk]),
        {"name": "Q1 FY27", "start": "2027-01-01", "end": "2027-03-31"},
    )
    okrs.next_cycle.refresh_from_db()
    assert okrs.next_cycle.name == "Q1 FY27"


def test_activating_a_cycle_closes_the_running_one(world, okrs, signed_in):
    client = signed_in(world.strat)
    edit = client.get(reverse("cycle-edit", args=[okrs.next_cycle.pk])).content.decode()
    assert f'action="{reverse("cycle-activate", args=[okrs.next_cycle.pk])}"' in edit
    response = client.post(
        reverse("cycle-activate", args=[okrs.next_cycle.pk]), {"reason": "Reorganisation."}
    )
    assert response["Location"] == reverse("cycle", args=[okrs.next_cycle.pk])
    okrs.next_cycle.refresh_from_db()
    world.cycle.refresh_from_db()
    assert (okrs.next_cycle.state, world.cycle.state) == ("active", "closed")


def test_closing_a_cycle_keeps_scores_as_final_grades(world, okrs, signed_in):
    signed_in(world.strat).post(reverse("cycle-close", args=[world.cycle.pk]), {"reason": "Done."})
    okrs.sales.refresh_from_db()
    world.cycle.refresh_from_db()
    assert world.cycle.state == "closed"
    assert okrs.sales.final_grade == 0.0


def test_the_cycle_buttons_refuse_a_get_and_anyone_but_the_strategy_office(world, signed_in):
    url = reverse("cycle-close", args=[world.cycle.pk])
    assert signed_in(world.strat).get(url).status_code == 405
    assert signed_in(world.lead).post(url).status_code == 403
    world.cycle.refresh_from_db()
    assert world.cycle.state == "active"


def test_a_cycle_holding_objectives_is_not_deleted(world, okrs, signed_in):
    response = signed_in(world.strat).post(reverse("cycle-delete", args=[world.cycle.pk]))
    assert response.status_code == 409
    assert Cycle.objects.filter(pk=world.cycle.pk).exists()


# Objectives ---------------------------------------------------------------------------
def test_a_unit_lead_creates_an_objective_serving_a_strategic_objective(world, okrs, signed_in):
    response = signed_in(world.lead).post(
        reverse("objective-new"),
        {
            "cycle": world.cycle.pk,
            "title": "Shorten the sales cycle",
            "unit": world.inside_sales.pk,
            "owner": world.lead.pk,
            "parent": okrs.sales.pk,
            "contributes_to": [okrs.strategic.pk],
            "kind": "committed",
            "visibility": "public",
            "weight": "2",
        },
    )
    objective = Objective.objects.get(title="Shorten the sales cycle")
    assert response["Location"] == reverse("objective", args=[objective.pk])
    assert (objective.unit, objective.parent, objective.weight) == (
        world.inside_sales,
        okrs.sales,
        2.0,
    )
    assert list(objective.contributes_to.all()) == [okrs.strategic]


def test_the_new_objective_form_is_prefilled_from_the_query(world, okrs, signed_in):
    url = reverse("objective-new")
    query = f"?parent={okrs.sales.pk}&contributes_to={okrs.strategic.pk}"
    form = signed_in(world.lead).get(url + query).context["form"]
    assert form.initial["cycle"] == world.cycle.pk
    assert form.initial["unit"] == world.sales.pk
    assert form.initial["parent"] == str(okrs.sales.pk)
    assert form.initial["contributes_to"] == [str(okrs.strategic.pk)]
    other = signed_in(world.lead).get(f"{url}?cycle={okrs.next_cycle.pk}&unit={world.sales.pk}")
    assert other.context["form"].initial["cycle"] == str(okrs.next_cycle.pk)


def test_objective_choices_are_what_the_person_may_use(world, okrs, signed_in):
    other_cycle = objective_create(
        acting=None, cycle=okrs.next_cycle, title="Later", unit=world.sales
    )
    form = signed_in(world.member).get(reverse("objective-new")).context["form"]
    assert set(form.fields["unit"].queryset) == {world.sales}
    # Same cycle only, and never a private objective the member may not see.
    assert set(form.fields["parent"].queryset) == {okrs.sales}
    assert other_cycle not in form.fields["parent"].queryset
    assert set(form.fields["cycle"].queryset) == {world.cycle, okrs.next_cycle}


def test_an_objective_for_a_unit_the_person_may_not_write_for_is_refused(world, okrs, signed_in):
    response = signed_in(world.lead).post(
        reverse("objective-new"),
        {
            "cycle": world.cycle.pk,
            "title": "Take over support",
            "unit": world.support.pk,
            "kind": "aspirational",
            "visibility": "public",
            "weight": "1",
        },
    )
    assert "valid choice" in error_beside(response, "unit")
    assert not Objective.objects.filter(title="Take over support").exists()


def test_an_objective_without_unit_or_owner_is_refused_beside_the_owner(world, signed_in):
    response = signed_in(world.strat).post(
        reverse("objective-new"),
        {
            "cycle": world.cycle.pk,
            "title": "Nobody's",
            "kind": "aspirational",
            "visibility": "public",
            "weight": "1",
        },
    )
    assert "belongs to a unit or a person" in error_beside(response, "owner")
    assert not Objective.objects.filter(title="Nobody's").exists()


def test_a_member_writes_a_personal_objective_but_not_one_for_someone_else(world, signed_in):
    client = signed_in(world.member)
    personal = {
        "cycle": world.cycle.pk,
        "title": "Learn the product",
        "owner": world.member.pk,
        "kind": "aspirational",
        "visibility": "private",
        "weight": "1",
    }
    assert client.post(reverse("objective-new"), personal).status_code == 302
    assert Objective.objects.get(title="Learn the product").owner == world.member
    for_outsider = {**personal, "title": "Their goal", "owner": world.outsider.pk}
    assert client.post(reverse("objective-new"), for_outsider).status_code == 403
    assert not Objective.objects.filter(title="Their goal").exists()


def test_an_objective_that_would_be_its_own_ancestor_is_refused_beside_the_parent(
    world, okrs, signed_in
):
    child = objective_create(
        acting=None, cycle=world.cycle, title="Child", unit=world.inside_sales, parent=okrs.sales
    )
    response = signed_in(world.lead).post(
        reverse("objective-edit", args=[okrs.sales.pk]),
        {
            "title": okrs.sales.title,
            "unit": world.sales.pk,
            "owner": world.lead.pk,
            "parent": child.pk,
            "kind": "aspirational",
            "visibility": "public",
            "weight": "1",
        },
    )
    assert "cannot be its own ancestor" in error_beside(response, "parent")
    okrs.sales.refresh_from_db()
    assert okrs.sales.parent is None


def test_editing_an_objective_moves_its_contribution(world, okrs, signed_in):
    other = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow revenue",
    )
    response = signed_in(world.lead).post(
        reverse("objective-edit", args=[okrs.sales.pk]),
        {
            "title": "Delight our buyers",
            "unit": world.sales.pk,
            "owner": world.lead.pk,
            "contributes_to": [other.pk],
            "kind": "committed",
            "visibility": "public",
            "weight": "1",
        },
    )
    assert response["Location"] == reverse("objective", args=[okrs.sales.pk])
    okrs.sales.refresh_from_db()
    assert okrs.sales.kind == "committed"
    assert list(okrs.sales.contributes_to.all()) == [other]


def test_deleting_an_objective_takes_the_key_results_only_it_holds(world, okrs, signed_in):
    response = signed_in(world.lead).post(reverse("objective-delete", args=[okrs.sales.pk]))
    assert response["Location"] == reverse("okr-tree")
    assert not KeyResult.objects.filter(pk=okrs.key_result.pk).exists()


# Key results --------------------------------------------------------------------------
KEY_RESULT = {
    "title": "Close 12 enterprise deals",
    "kind": "metric",
    "baseline": "0",
    "target": "12",
    "weight": "1",
}


def test_a_key_result_is_added_and_the_objective_rescored(world, okrs, signed_in):
    measure = measure_create(
        acting=None,
        objective=okrs.strategic,
        name="Deals",
        baseline=0,
        target=12,
        owner=world.lead,
    )
    response = signed_in(world.lead).post(
        reverse("key-result-new", args=[okrs.sales.pk]),
        {**KEY_RESULT, "owner": world.member.pk, "linked_measure": measure.pk, "weight": "3"},
    )
    key_result = KeyResult.objects.get(title="Close 12 enterprise deals")
    assert response["Location"] == reverse("objective", args=[okrs.sales.pk])
    assert (key_result.owner, key_result.linked_measure, key_result.cycle) == (
        world.member,
        measure,
        world.cycle,
    )
    assert key_result.holdings.get().weight == 3.0
    assert list(okrs.sales.key_results.order_by("title")) == [key_result, okrs.key_result]


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"target": "0"}, "target", "baseline"),
        ({"baseline": "nan"}, "baseline", "Enter a number"),
        ({"weight": "-1"}, "weight", "greater than or equal to 0"),
        ({"owner": ""}, "owner", "This field is required"),
    ],
)
def test_a_bad_key_result_is_refused_beside_the_field_and_nothing_is_written(
    world, okrs, signed_in, posted, field, message
):
    response = signed_in(world.lead).post(
        reverse("key-result-new", args=[okrs.sales.pk]),
        {**KEY_RESULT, "owner": world.member.pk, **posted},
    )
    assert message in error_beside(response, field)
    assert not KeyResult.objects.filter(title=KEY_RESULT["title"]).exists()


def test_a_key_result_target_is_moved_and_the_score_follows(world, okrs, signed_in):
    response = signed_in(world.member).post(
        reverse("key-result-edit", args=[okrs.key_result.pk]),
        {
            "title": "Raise NPS to 30",
            "owner": world.member.pk,
            "kind": "metric",
            "baseline": "20",
            "target": "30",
        },
    )
    assert response["Location"] == reverse("key-result", args=[okrs.key_result.pk])
    okrs.key_result.refresh_from_db()
    assert (okrs.key_result.title, okrs.key_result.target) == ("Raise NPS to 30", 30)


def test_no_key_result_is_added_in_a_closed_cycle(world, okrs, signed_in):
    client = signed_in(world.strat)
    client.post(reverse("cycle-close", args=[world.cycle.pk]), {"reason": "Done."})
    response = client.post(
        reverse("key-result-new", args=[okrs.sales.pk]), {**KEY_RESULT, "owner": world.member.pk}
    )
    assert response.status_code == 400
    assert "is closed" in response.content.decode()
    assert not KeyResult.objects.filter(title=KEY_RESULT["title"]).exists()


def test_an_objective_holds_a_key_result_of_another_objective(world, okrs, signed_in):
    team = objective_create(
        acting=None, cycle=world.cycle, title="Team goal", unit=world.inside_sales
    )
    client = signed_in(world.lead)
    url = reverse("key-result-hold", args=[team.pk])
    new_page = client.get(reverse("key-result-new", args=[team.pk])).content.decode()
    assert f'href="{url}"' in new_page
    form = client.get(url).context["form"]
    assert set(form.fields["key_result"].queryset) == {okrs.key_result}
    response = client.post(url, {"key_result": okrs.key_result.pk, "weight": "2"})
    assert response["Location"] == reverse("objective", args=[team.pk])
    assert team.holdings.get().key_result == okrs.key_result
    assert set(okrs.key_result.okr_objectives.all()) == {okrs.sales, team}


def test_a_key_result_is_held_once_and_within_its_cycle(world, okrs, signed_in):
    later = objective_create(acting=None, cycle=okrs.next_cycle, title="Later", unit=world.sales)
    client = signed_in(world.lead)
    other_cycle = client.post(
        reverse("key-result-hold", args=[later.pk]),
        {"key_result": okrs.key_result.pk, "weight": "1"},
    )
    assert "valid choice" in error_beside(other_cycle, "key_result")
    again = client.post(
        reverse("key-result-hold", args=[okrs.sales.pk]),
        {"key_result": okrs.key_result.pk, "weight": "1"},
    )
    assert "valid choice" in error_beside(again, "key_result")
    assert okrs.key_result.holdings.count() == 1


# Permissions --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "sales", "private"),
    [
        ("admin", 200, 200),
        ("strat", 200, 404),  # the strategy office does not see private objectives
        ("lead", 200, 200),
        ("member", 200, 404),  # a member of Sales writes its public OKRs
        ("viewer", 403, 404),
        ("outsider", 403, 404),
    ],
)
def test_who_may_open_the_okr_forms(world, okrs, signed_in, persona, sales, private):
    client = signed_in(getattr(world, persona))
    pages = {
        sales: [
            reverse("objective-edit", args=[okrs.sales.pk]),
            reverse("key-result-new", args=[okrs.sales.pk]),
            reverse("objective-delete", args=[okrs.sales.pk]),
        ],
        private: [
            reverse("objective-edit", args=[okrs.private.pk]),
            reverse("key-result-new", args=[okrs.private.pk]),
        ],
    }
    for expected, urls in pages.items():
        for url in urls:
            assert client.get(url).status_code == expected, url


@pytest.mark.parametrize(
    ("persona", "status"),
    [("strat", 200), ("lead", 403), ("member", 403), ("viewer", 403)],
)
def test_only_the_strategy_office_opens_and_edits_cycles(world, okrs, signed_in, persona, status):
    client = signed_in(getattr(world, persona))
    assert client.get(reverse("cycle-new")).status_code == status
    assert client.get(reverse("cycle-edit", args=[okrs.next_cycle.pk])).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("member", 200), ("outsider", 403)])
def test_the_owner_of_a_key_result_edits_it(world, okrs, signed_in, persona, status):
    url = reverse("key-result-edit", args=[okrs.key_result.pk])
    assert signed_in(getattr(world, persona)).get(url).status_code == status


def test_a_private_key_result_is_not_found_by_those_who_may_not_see_it(world, okrs, signed_in):
    hidden = key_result_create(
        acting=None, objective=okrs.private, title="Hidden", owner=world.lead, target=3
    )
    url = reverse("key-result-edit", args=[hidden.pk])
    assert signed_in(world.outsider).get(url).status_code == 404
    assert signed_in(world.lead).get(url).status_code == 200


def test_a_viewer_may_not_start_an_objective(world, signed_in):
    assert signed_in(world.viewer).get(reverse("objective-new")).status_code == 403


# Query counts -------------------------------------------------------------------------
def grow_the_okrs(world, okrs: Okrs, size: int, start: int = 0) -> None:
    for n in range(start, start + size):
        unit = unit_create(acting=None, name=f"Squad {n}", parent=world.sales)
        person = person_create(acting=None, username=f"person{n}")
        objective = objective_create(
            acting=None,
            cycle=world.cycle,
            title=f"Objective {n}",
            unit=unit,
            owner=person,
            parent=okrs.sales,
            contributes_to=[okrs.strategic],
        )
        key_result_create(acting=None, objective=objective, title=f"KR {n}", owner=person, target=5)
        key_result_create(
            acting=None, objective=okrs.sales, title=f"Sales KR {n}", owner=world.member, target=5
        )
        strategic_objective_create(
            acting=None,
            scorecard=world.scorecard,
            perspective=world.perspective("Customer"),
            name=f"SO {n}",
        )
        measure_create(
            acting=None, objective=okrs.strategic, name=f"Measure {n}", baseline=0, target=1
        )


@pytest.mark.parametrize("persona", ["strat", "lead"])
def test_okr_form_pages_take_a_fixed_number_of_queries_whatever_the_size(
    world, okrs, signed_in, persona
):
    client = signed_in(getattr(world, persona))
    urls = form_urls(world, okrs)
    if persona == "lead":  # cycles are the strategy office's
        urls = {name: url for name, url in urls.items() if not name.startswith("cycle")}
    # One of each first: a list with nothing to offer skips its query.
    grow_the_okrs(world, okrs, 1)
    before = {name: page_queries(client, url) for name, url in urls.items()}
    assert max(before.values()) <= 16, before
    grow_the_okrs(world, okrs, 12, start=1)
    after = {name: page_queries(client, url) for name, url in urls.items()}
    assert after == before


# End to end ---------------------------------------------------------------------------
def test_a_unit_lead_writes_an_okr_serving_the_strategy_end_to_end(world, signed_in):
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Keep customers",
    )
    client = signed_in(world.lead)
    form_page = client.get(f"{reverse('objective-new')}?contributes_to={strategic.pk}")
    assert form_page.status_code == 200
    created = client.post(
        reverse("objective-new"),
        {
            "cycle": world.cycle.pk,
            "title": "Make renewals effortless",
            "unit": world.sales.pk,
            "owner": world.lead.pk,
            "contributes_to": [strategic.pk],
            "kind": "committed",
            "visibility": "public",
            "weight": "1",
        },
    )
    objective = Objective.objects.get(title="Make renewals effortless")
    assert created["Location"] == reverse("objective", args=[objective.pk])
    added = client.post(
        reverse("key-result-new", args=[objective.pk]),
        {
            **KEY_RESULT,
            "title": "Renewal rate 95 %",
            "owner": world.member.pk,
            "baseline": "80",
            "target": "95",
            "current": "80",
        },
    )
    assert added.status_code == 302
    key_result = objective.key_results.get()
    assert (key_result.baseline, key_result.target, key_result.owner) == (80, 95, world.member)
    objective.refresh_from_db()
    strategic.refresh_from_db()
    assert objective.score == 0.0
    assert strategic.execution == 0.0
