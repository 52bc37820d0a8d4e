"""The two building journeys of the issue, performed in a real browser and counted: a
small scorecard (2 perspectives, 2 objectives, 1 measure) and one OKR objective with
three key results. A click is a link or button pressed; a field is an input filled, a
choice picked in a list or a box ticked. Pages reached by a save are not clicks. The
figures are printed (run with -s) and bounded, so that building cannot slow down again
unnoticed. Then the picker's filter box."""

import re

import pytest

from lodestar.okrs.models import Objective
from lodestar.strategy.models import Scorecard, StrategicObjective
from lodestar.strategy.services import strategic_objective_create
from lodestar.web.tests.browser.conftest import field, sign_in

pytestmark = pytest.mark.browser


class Counted:
    """The person's hands: every click and every field goes through here."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.fields = 0

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()
        self.page.wait_for_load_state()

    def fill(self, label: str, value: str) -> None:
        self.fields += 1
        field(self.page, label).fill(value)

    def pick(self, label: str, option: str) -> None:
        self.fields += 1
        field(self.page, label).select_option(label=option)

    def tick(self, label: str) -> None:
        self.fields += 1
        self.page.get_by_label(label, exact=True).check()

    def link(self, name: str) -> None:
        self.click(self.page.get_by_role("link", name=name, exact=True).first)

    def button(self, name: str) -> None:
        self.click(self.page.get_by_role("button", name=name, exact=True))


def test_a_small_scorecard_is_built_in_few_clicks(page, world):
    sign_in(page, "strat", "pw")
    page.goto("/scorecards/")
    hands = Counted(page)

    hands.link("New scorecard")
    hands.pick("Unit", "\u00a0\u00a0\u00a0Support")
    hands.fill("Name", "Support 2027")
    hands.button("Save")  # the period is this year unless changed
    card = Scorecard.objects.get(name="Support 2027")

    hands.link("Add perspective")
    hands.fill("Name", "Community")
    hands.button("Save and add another")
    hands.fill("Name", "Partners")
    hands.button("Save")
    page.wait_for_url(f"**/scorecards/{card.pk}/")

    hands.link("Add objective to Community")
    hands.fill("Name", "Answer fast")  # its perspective is chosen already
    hands.button("Save and add another")
    hands.fill("Name", "Delight users")
    hands.button("Save")
    page.wait_for_url(f"**/scorecards/{card.pk}/")

    hands.click(page.locator("tr", has_text="Answer fast").get_by_role("link", name="Add measure"))
    hands.fill("Name", "First reply (hours)")
    hands.pick("Direction", "Lower is better")
    hands.fill("Baseline", "24")
    hands.fill("Target", "4")
    hands.button("Save")
    page.wait_for_url(f"**/scorecards/{card.pk}/")

    community = card.perspectives.get(name="Community")
    assert set(community.strategic_objectives.values_list("name", flat=True)) == {
        "Answer fast",
        "Delight users",
    }
    assert card.perspectives.filter(name="Partners").exists()
    assert StrategicObjective.objects.get(name="Answer fast").measures.get().target == 4
    print(f"\nscorecard journey: {hands.clicks} clicks, {hands.fields} fields")
    assert (hands.clicks, hands.fields) == (10, 10)


def test_an_okr_with_three_key_results_is_written_in_few_clicks(page, world):
    retention = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        code="C1",
        name="Retain our customers",
    )
    sign_in(page, "lead", "pw")
    page.goto("/okrs/")
    hands = Counted(page)

    hands.link("New objective")  # cycle, unit and owner are the lead's already
    hands.fill("Title", "Keep every customer we win")
    hands.tick("C1 Retain our customers")
    hands.button("Save")
    objective = Objective.objects.get(title="Keep every customer we win")
    page.wait_for_url(f"**/objectives/{objective.pk}/")

    hands.link("Add key result")
    for title, baseline, target in (
        ("Renewal rate from 80 % to 95 %", "80", "95"),
        ("Churned accounts won back: 10", "0", "10"),
    ):
        hands.fill("Title", title)
        hands.fill("Baseline", baseline)
        hands.fill("Target", target)
        hands.button("Save and add another")
    hands.fill("Title", "Launch the renewal playbook")
    hands.pick("Kind", "Milestone")  # done or not done: baseline 0, target 1 as given
    hands.button("Save")
    page.wait_for_url(f"**/objectives/{objective.pk}/")

    assert objective.key_results.count() == 3
    assert (objective.cycle, objective.unit, objective.owner) == (
        world.cycle,
        world.sales,
        world.lead,
    )
    assert list(objective.contributes_to.all()) == [retention]
    print(f"\nOKR journey: {hands.clicks} clicks, {hands.fields} fields")
    assert (hands.clicks, hands.fields) == (6, 10)


def test_the_filter_box_narrows_a_picker_to_what_is_typed(page, world):
    for perspective, code, name in (
        ("Financial", "F1", "Grow revenue"),
        ("Customer", "C1", "Retain our customers"),
        ("Customer", "C2", "Win new markets"),
    ):
        strategic_objective_create(
            acting=None,
            scorecard=world.scorecard,
            perspective=world.perspective(perspective),
            code=code,
            name=name,
        )
    sign_in(page, "lead", "pw")
    page.goto("/objectives/new")
    picker = page.locator("#id_contributes_to")
    page.get_by_label("C2 Win new markets", exact=True).check()
    page.get_by_label("Filter Contributes to (strategic objectives)").fill("retain")
    assert picker.get_by_text("C1 Retain our customers").is_visible()
    assert not picker.get_by_text("F1 Grow revenue").is_visible()
    assert picker.get_by_text("C2 Win new markets").is_visible()  # chosen: stays in sight
    assert not picker.get_by_text(re.compile("› Financial")).is_visible()

    page.get_by_label("Filter Contributes to (strategic objectives)").fill("financial")
    assert picker.get_by_text("F1 Grow revenue").is_visible()  # its group's name matches
    page.get_by_label("Filter Contributes to (strategic objectives)").fill("")
    assert picker.get_by_text("C1 Retain our customers").is_visible()

    owner_filter = page.get_by_label("Filter Owner")
    owner_filter.fill("memb")
    owners = page.locator("#id_owner option:not([hidden])")
    assert "Member" in owners.all_inner_texts()
    assert "Outsider" not in owners.all_inner_texts()
    owner_filter.press("Enter")  # filters, never sends the half-filled form
    assert page.url.endswith("/objectives/new")
