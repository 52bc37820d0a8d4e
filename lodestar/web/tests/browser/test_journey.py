"""The issue's journey in a real browser: a unit lead signs in, writes an OKR objective
that contributes to a strategic objective, adds a key result linked to its measure, checks
in, and sees the dashboard and the strategy map change."""

import re

import pytest

from lodestar.strategy.models import StrategicObjective
from lodestar.strategy.services import measure_create, strategic_objective_create
from lodestar.web.tests.browser.conftest import field, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def retention(world) -> StrategicObjective:
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Retain our customers",
        owner=world.strat,
    )
    # The lead owns the measure: linking it to a key result needs the right to record it.
    measure_create(
        acting=None,
        objective=objective,
        name="Net revenue retention",
        baseline=90,
        target=110,
        owner=world.lead,
    )
    return objective


def map_box(page, name: str):
    return page.locator("svg a", has_text=name).first


def test_a_lead_writes_an_okr_checks_in_and_the_strategy_moves(page, world, retention, screenshot):
    sign_in(page, "lead", "pw")
    page.goto("/")
    assert "N/A" in map_box(page, "Retain our customers").text_content().upper()
    screenshot(page, "journey-1-dashboard-before")

    page.get_by_role("link", name="OKRs", exact=True).first.click()
    page.get_by_role("link", name="New objective").click()
    page.get_by_label("Title").fill("Keep every customer we win")
    field(page, "Unit").select_option(label="Sales")
    page.get_by_label(str(retention), exact=True).check()
    screenshot(page, "journey-2-new-objective")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/objectives/\d+/$"))
    assert page.get_by_role("link", name=re.compile("Retain our customers")).first.is_visible()

    page.get_by_role("link", name=re.compile("Add key result|New key result")).first.click()
    page.get_by_label("Title").fill("Raise net revenue retention from 90% to 110%")
    field(page, "Owner").select_option(label=str(world.lead))
    page.get_by_label("Baseline").fill("90")
    page.get_by_label("Target").fill("110")
    field(page, "Linked measure").select_option(label="Net revenue retention")
    page.get_by_role("button", name="Save", exact=True).click()
    # Back on the objective, where the new key result is listed.
    page.wait_for_url(re.compile(r"/objectives/\d+/$"))
    page.get_by_role("link", name="Raise net revenue retention from 90% to 110%").click()
    page.wait_for_url(re.compile(r"/key-results/\d+/$"))

    page.get_by_label(re.compile("New value")).fill("110")
    page.get_by_label("Confidence (0–10)").fill("9")
    page.get_by_label("Note").fill("Renewals closed early")
    page.get_by_role("button", name="Check in").click()
    page.wait_for_load_state()
    assert "1.00" in page.locator("main").inner_text()
    screenshot(page, "journey-3-key-result-after-check-in")

    page.goto("/")
    box = map_box(page, "Retain our customers").text_content().upper()
    assert "ON TARGET" in box
    assert page.get_by_text("Key results on track").is_visible()
    screenshot(page, "journey-4-dashboard-after")
    page.get_by_role("link", name="Strategy map").first.click()
    assert "ON TARGET" in map_box(page, "Retain our customers").text_content().upper()
    screenshot(page, "journey-5-strategy-map")
