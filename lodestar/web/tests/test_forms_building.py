"""Building a scorecard or an OKR quickly: defaults, "save and add another", add buttons
where the work is, grouped pickers, only linkable measures, a milestone's done switch."""

import re

import pytest
from django.urls import reverse

from lodestar.okrs.models import KeyResult, Objective
from lodestar.okrs.services import key_result_create, objective_create
from lodestar.org.services import unit_create
from lodestar.strategy.models import Perspective, StrategicObjective
from lodestar.strategy.services import measure_create, strategic_objective_create
from lodestar.web.forms.pickers import INDENT

ANOTHER = {"another": "1"}


@pytest.fixture
def retention(world) -> StrategicObjective:
    return strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        code="C1",
        name="Retain customers",
    )


@pytest.fixture
def sales_okr(world) -> Objective:
    return objective_create(
        acting=None, cycle=world.cycle, title="Sell more", unit=world.sales, owner=world.lead
    )


def objective_data(world, **overrides) -> dict:
    return {
        "cycle": world.cycle.pk,
        "title": "Win back lost buyers",
        "unit": world.sales.pk,
        "owner": world.lead.pk,
        "kind": "committed",
        "visibility": "public",
        "weight": "1",
        **overrides,
    }


KEY_RESULT = {"title": "Win 5 back", "kind": "metric", "baseline": "0", "target": "5"}


# Defaults -----------------------------------------------------------------------------
def test_a_lead_starts_an_objective_in_the_active_cycle_for_their_unit_as_its_owner(
    world, signed_in
):
    form = signed_in(world.lead).get(reverse("objective-new")).context["form"]
    assert (form.initial["cycle"], form.initial["unit"], form.initial["owner"]) == (
        world.cycle.pk,
        world.sales.pk,
        world.lead.pk,
    )
    html = form.as_div()
    assert f'<option value="{world.sales.pk}" selected>' in html


def test_the_query_still_overrides_the_defaults(world, signed_in):
    url = f"{reverse('objective-new')}?unit={world.inside_sales.pk}"
    form = signed_in(world.lead).get(url).context["form"]
    assert form.initial["unit"] == str(world.inside_sales.pk)


def test_someone_in_no_unit_gets_no_unit_but_still_the_cycle_and_themself(world, signed_in):
    form = signed_in(world.strat).get(reverse("objective-new")).context["form"]
    assert form.initial["unit"] is None
    assert (form.initial["cycle"], form.initial["owner"]) == (world.cycle.pk, world.strat.pk)


def test_a_new_key_result_is_owned_by_its_writer(world, sales_okr, signed_in):
    url = reverse("key-result-new", args=[sales_okr.pk])
    form = signed_in(world.lead).get(url).context["form"]
    assert form.initial["owner"] == world.lead.pk


# Save and add another ------------------------------------------------------------------
def test_save_and_add_another_objective_keeps_cycle_unit_and_parent(world, sales_okr, signed_in):
    client = signed_in(world.lead)
    response = client.post(
        reverse("objective-new"),
        {**objective_data(world, unit=world.inside_sales.pk, parent=sales_okr.pk), **ANOTHER},
    )
    assert Objective.objects.filter(title="Win back lost buyers").exists()
    expected = (
        f"{reverse('objective-new')}?cycle={world.cycle.pk}"
        f"&unit={world.inside_sales.pk}&parent={sales_okr.pk}"
    )
    assert response["Location"] == expected
    fresh = client.get(expected).context["form"]
    assert not fresh.is_bound
    assert fresh.initial["unit"] == str(world.inside_sales.pk)
    assert fresh.initial["parent"] == str(sales_okr.pk)


def test_a_plain_save_opens_the_new_objective_to_add_its_key_results(world, signed_in):
    response = signed_in(world.lead).post(reverse("objective-new"), objective_data(world))
    objective = Objective.objects.get(title="Win back lost buyers")
    assert response["Location"] == reverse("objective", args=[objective.pk])


def test_key_results_are_added_one_after_another_then_back_to_their_objective(
    world, sales_okr, signed_in
):
    client = signed_in(world.lead)
    url = reverse("key-result-new", args=[sales_okr.pk])
    first = client.post(url, {**KEY_RESULT, "owner": world.lead.pk, "weight": "1", **ANOTHER})
    assert first["Location"] == url
    last = client.post(
        url, {**KEY_RESULT, "title": "Win 9 back", "owner": world.lead.pk, "weight": "1"}
    )
    assert last["Location"] == reverse("objective", args=[sales_okr.pk])
    assert sorted(sales_okr.key_results.values_list("title", flat=True)) == [
        "Win 5 back",
        "Win 9 back",
    ]


def test_strategic_objectives_are_added_in_a_row_within_their_perspective(world, signed_in):
    client = signed_in(world.strat)
    url = reverse("strategic-objective-new", args=[world.scorecard.pk])
    customer = world.perspective("Customer")
    data = {"name": "Be loved", "perspective": customer.pk, "weight": "1"}
    response = client.post(url, {**data, **ANOTHER})
    assert response["Location"] == f"{url}?perspective={customer.pk}"
    assert client.get(response["Location"]).context["form"].initial["perspective"] == str(
        customer.pk
    )
    plain = client.post(url, {**data, "name": "Be trusted"})
    assert plain["Location"] == reverse("scorecard", args=[world.scorecard.pk])
    assert set(customer.strategic_objectives.values_list("name", flat=True)) == {
        "Be loved",
        "Be trusted",
    }


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("perspective-new", {"name": "Community", "weight": "1"}),
        ("theme-new", {"name": "Speed"}),
    ],
)
def test_scorecard_items_are_added_one_after_another(world, signed_in, name, data):
    url = reverse(name, args=[world.scorecard.pk])
    response = signed_in(world.strat).post(url, {**data, **ANOTHER})
    assert response["Location"] == url


def test_measures_are_added_one_after_another_then_back_to_the_scorecard(
    world, retention, signed_in
):
    client = signed_in(world.strat)
    url = reverse("measure-new", args=[retention.pk])
    data = {
        "name": "Churn",
        "direction": "lower",
        "baseline": "10",
        "target": "5",
        "frequency": "monthly",
        "weight": "1",
    }
    assert client.post(url, {**data, **ANOTHER})["Location"] == url
    plain = client.post(url, {**data, "name": "Renewals", "direction": "higher", "target": "20"})
    assert plain["Location"] == reverse("scorecard", args=[world.scorecard.pk])
    assert retention.measures.count() == 2


def test_initiatives_are_added_one_after_another_for_the_same_objectives(
    world, retention, signed_in
):
    data = {"budget": "1000", "spent": "0", "status": "planned", "percent_complete": "0"}
    response = signed_in(world.strat).post(
        reverse("initiative-new"),
        {"name": "Call churned buyers", "strategic_objectives": [retention.pk], **data, **ANOTHER},
    )
    assert response["Location"] == f"{reverse('initiative-new')}?objective={retention.pk}"
    assert retention.initiatives.get().name == "Call churned buyers"


def test_the_second_button_is_on_create_forms_only(world, sales_okr, signed_in):
    client = signed_in(world.lead)
    button = '<button type="submit" name="another" value="1">Save and add another</button>'
    assert button in client.get(reverse("objective-new")).content.decode()
    assert button in client.get(reverse("key-result-new", args=[sales_okr.pk])).content.decode()
    edit = client.get(reverse("objective-edit", args=[sales_okr.pk])).content.decode()
    assert button not in edit


def test_a_refused_save_and_add_another_keeps_the_form_with_its_errors(world, signed_in):
    response = signed_in(world.lead).post(
        reverse("objective-new"), {**objective_data(world, title=""), **ANOTHER}
    )
    assert response.status_code == 400
    assert not Objective.objects.filter(unit=world.sales, title="").exists()


# Add buttons in place -------------------------------------------------------------------
def test_each_perspective_band_offers_an_objective_in_it(world, signed_in):
    html = signed_in(world.strat).get(reverse("scorecard", args=[world.scorecard.pk])).content
    html = html.decode()
    new = reverse("strategic-objective-new", args=[world.scorecard.pk])
    for perspective in Perspective.objects.filter(scorecard=world.scorecard):
        assert f'href="{new}?perspective={perspective.pk}">Add objective' in html
    viewer = signed_in(world.viewer).get(reverse("scorecard", args=[world.scorecard.pk]))
    assert f"{new}?perspective=" not in viewer.content.decode()


def test_an_objective_offers_a_child_objective_and_a_key_result(world, sales_okr, signed_in):
    html = signed_in(world.lead).get(reverse("objective", args=[sales_okr.pk])).content.decode()
    assert f'href="{reverse("objective-new")}?parent={sales_okr.pk}">Add child objective' in html
    assert html.count(f'href="{reverse("key-result-new", args=[sales_okr.pk])}"') == 2
    viewer = signed_in(world.viewer).get(reverse("objective", args=[sales_okr.pk]))
    assert "Add child objective" not in viewer.content.decode()


# Pickers -----------------------------------------------------------------------------
def test_contributes_to_is_ticks_grouped_by_scorecard_and_perspective(world, retention, signed_in):
    growth = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        code="F1",
        name="Grow revenue",
    )
    html = signed_in(world.lead).get(reverse("objective-new")).content.decode()
    fieldset = re.search(
        r'<fieldset class="field" id="id_contributes_to_fieldset">.*?</fieldset>', html, re.S
    )
    assert fieldset, "no fieldset of ticks"
    ticks = fieldset.group(0)
    assert "<legend>Contributes to (strategic objectives)</legend>" in ticks
    financial = ticks.index(f"<label>{world.scorecard} › Financial</label>")
    customer = ticks.index(f"<label>{world.scorecard} › Customer</label>")
    # Top band first, as on the scorecard page; each objective by code and name.
    assert (
        financial < ticks.index("F1 Grow revenue") < customer < ticks.index("C1 Retain customers")
    )
    assert f'type="checkbox" name="contributes_to" value="{growth.pk}"' in ticks
    assert 'class="filterable"' in ticks


def test_units_are_offered_as_an_indented_tree(world, signed_in):
    unit_create(acting=None, name="Field Sales", parent=world.sales)
    html = signed_in(world.strat).get(reverse("objective-new")).content.decode()
    select = re.search(r'<select name="unit".*?</select>', html, re.S).group(0)
    labels = [
        label.replace("&nbsp;", "\u00a0") for label in re.findall(r">([^<]+)</option>", select)
    ]
    assert labels[1:] == [
        "Acme",
        INDENT + "Sales",
        INDENT * 2 + "Field Sales",
        INDENT * 2 + "Inside Sales",
        INDENT + "Support",
    ]
    assert 'class="filterable"' in select


def test_a_lead_is_offered_only_measures_they_may_record_grouped_by_scorecard(
    world, retention, sales_okr, signed_in
):
    own = measure_create(
        acting=None, objective=retention, name="Churn", baseline=10, target=5, owner=world.lead
    )
    others = measure_create(
        acting=None, objective=retention, name="NPS", baseline=10, target=50, owner=world.member
    )
    url = reverse("key-result-new", args=[sales_okr.pk])
    lead_form = signed_in(world.lead).get(url)
    assert set(lead_form.context["form"].fields["linked_measure"].queryset) == {own}
    html = lead_form.content.decode()
    assert f'<optgroup label="{world.scorecard} › C1 Retain customers">' in html
    strat_form = signed_in(world.strat).get(url).context["form"]
    assert set(strat_form.fields["linked_measure"].queryset) == {own, others}
    refused = signed_in(world.lead).post(
        url, {**KEY_RESULT, "owner": world.lead.pk, "weight": "1", "linked_measure": others.pk}
    )
    assert refused.status_code == 400
    assert not KeyResult.objects.filter(linked_measure=others).exists()


def test_an_edit_keeps_the_measure_already_linked(world, retention, sales_okr, signed_in):
    others = measure_create(
        acting=None, objective=retention, name="NPS", baseline=10, target=50, owner=world.member
    )
    key_result = key_result_create(
        acting=None,
        objective=sales_okr,
        title="NPS 50",
        owner=world.lead,
        baseline=10,
        target=50,
        linked_measure=others,
    )
    form = signed_in(world.lead).get(reverse("key-result-edit", args=[key_result.pk]))
    assert others in form.context["form"].fields["linked_measure"].queryset


def test_the_filter_script_comes_from_our_own_files(world, signed_in):
    html = signed_in(world.lead).get(reverse("objective-new")).content.decode()
    assert re.search(r'<script src="[^"]*web/select_filter[^"]*\.js" defer></script>', html)


# A milestone's done switch -----------------------------------------------------------------
@pytest.fixture
def launch(world, sales_okr) -> KeyResult:
    return key_result_create(
        acting=None,
        objective=sales_okr,
        title="Launch the partner portal",
        owner=world.lead,
        kind="milestone",
        baseline=0,
        target=1,
    )


def test_a_milestone_is_checked_in_with_a_done_switch(world, launch, signed_in):
    client = signed_in(world.lead)
    page = client.get(reverse("key-result", args=[launch.pk])).content.decode()
    assert 'type="checkbox" name="done" value="1" id="checkin-done">' in page
    assert 'name="value"' not in page
    client.post(reverse("checkin", args=[launch.pk]), {"done": "1", "confidence": "9"})
    launch.refresh_from_db()
    assert (launch.current, launch.score) == (1.0, 1.0)
    page = client.get(reverse("key-result", args=[launch.pk])).content.decode()
    assert 'id="checkin-done" checked>' in page
    client.post(reverse("checkin", args=[launch.pk]), {"confidence": "4"})
    launch.refresh_from_db()
    assert (launch.current, launch.score) == (0.0, 0.0)


def test_my_key_results_shows_the_done_switch_for_a_milestone(world, launch, signed_in):
    html = signed_in(world.lead).get(reverse("my-key-results")).content.decode()
    assert f'name="done" value="1" id="kr{launch.pk}-done"' in html
    assert f'id="kr{launch.pk}-value"' not in html


def test_a_milestone_counted_in_percentages_keeps_its_number(world, sales_okr, signed_in):
    rollout = key_result_create(
        acting=None,
        objective=sales_okr,
        title="Roll out to every region",
        owner=world.lead,
        kind="milestone",
        baseline=0,
        target=100,
    )
    client = signed_in(world.lead)
    page = client.get(reverse("key-result", args=[rollout.pk])).content.decode()
    assert 'name="value"' in page
    assert 'name="done"' not in page
    client.post(reverse("checkin", args=[rollout.pk]), {"value": "40", "confidence": "6"})
    rollout.refresh_from_db()
    assert rollout.score == 0.4


def test_a_metric_check_in_still_needs_its_value(world, sales_okr, signed_in):
    key_result = key_result_create(
        acting=None, objective=sales_okr, title="Deals", owner=world.lead, target=10
    )
    response = signed_in(world.lead).post(
        reverse("checkin", args=[key_result.pk]), {"done": "1", "confidence": "5"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    key_result.refresh_from_db()
    assert key_result.current == 0
