"""The main pages on the demo organisation in a real browser, at a desktop's and at a
phone's width: each renders, fits the screen (no element reaches past its edge or out of
its card: wide tables scroll inside their own box, pictures shrink), keeps the top bar to
one row, and is kept as a screenshot for people to look at."""

import pytest
from django.urls import reverse

from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.models import Person, Unit
from lodestar.strategy.models import Initiative, Measure, Scorecard
from lodestar.web.tests.browser.conftest import sign_in
from lodestar.web.tests.browser.layout import (
    SCROLLING_SIDEWAYS,
    SHOWN_MAP,
    SPILLING,
    TOP_BAR_HEIGHT,
)

pytestmark = pytest.mark.browser


def main_pages() -> list[tuple[str, str]]:
    scorecard = Scorecard.objects.get(unit__parent=None)
    key_result = KeyResult.objects.filter(cycle__state="active").order_by("pk").first()
    initiative = Initiative.objects.order_by("pk").first()
    return [
        ("dashboard", reverse("dashboard")),
        ("strategy-map", reverse("strategy-map", args=[scorecard.pk])),
        ("scorecard", reverse("scorecard", args=[scorecard.pk])),
        (
            "strategic-objective",
            # one with an initiative: its table is the widest of the page
            reverse("strategic-objective", args=[initiative.strategic_objectives.first().pk]),
        ),
        ("initiative", reverse("initiative", args=[initiative.pk])),
        ("measure", reverse("measure", args=[Measure.objects.first().pk])),
        ("okr-tree", reverse("okr-tree")),
        ("objective", reverse("objective", args=[key_result.okr_objectives.first().pk])),
        ("key-result", reverse("key-result", args=[key_result.pk])),
        ("my-key-results", reverse("my-key-results")),
        ("heatmap", reverse("heatmap")),
        ("unit", reverse("unit", args=[Unit.objects.get(parent=None).pk])),
        ("alignment", reverse("alignment")),
        ("cycle", reverse("cycle", args=[Cycle.objects.get(state="closed").pk])),
        ("objective-new", reverse("objective-new")),
        ("cycle-report", reverse("cycle-report", args=[Cycle.objects.get(state="closed").pk])),
        ("person-report", reverse("person-report", args=[Person.objects.get(username="ceo").pk])),
    ]


SETTINGS_PAGES = ["webhook-log", "notification-settings", "api-tokens", "sources"]
# One row of links at a desktop's width; on a phone one row too, the links behind "Menu".
TOP_BAR_AT_MOST = 56
WIDTHS = [("desktop", 1280), ("phone", 390)]


def layout_problems(page, name: str) -> list[str]:
    problems = [f"{name}: {found}" for found in page.evaluate(SPILLING)]
    if page.viewport_size["width"] >= 1280:  # on a desktop no table needs to scroll
        problems += [f"{name}: {found}" for found in page.evaluate(SCROLLING_SIDEWAYS)]
    height = page.evaluate(TOP_BAR_HEIGHT)
    if height > TOP_BAR_AT_MOST:
        problems.append(f"{name}: the top bar is {height:.0f}px tall")
    return problems


@pytest.mark.parametrize(("device", "width"), WIDTHS)
def test_the_main_pages_render_and_fit_the_screen(page, demo, screenshot, device, width):
    assert Objective.objects.exists()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "onb.lead", "lodestar-demo")
    problems = []
    for name, path in main_pages():
        response = page.goto(path)
        assert response.status == 200, f"{name} answered {response.status}"
        assert page.locator("h1").first.is_visible(), name
        problems += layout_problems(page, name)
        screenshot(page, f"{device}-{name}")
    assert not problems, f"at {width}px: {problems}"


@pytest.mark.parametrize(("device", "width"), WIDTHS)
def test_the_settings_pages_fit_the_screen(page, demo, screenshot, device, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "admin", "lodestar-demo")
    problems = []
    for name in SETTINGS_PAGES:
        response = page.goto(reverse(name))
        assert response.status == 200, f"{name} answered {response.status}"
        problems += layout_problems(page, name)
        screenshot(page, f"{device}-{name}")
    assert not problems, f"at {width}px: {problems}"


@pytest.mark.parametrize(("device", "width"), WIDTHS)
def test_the_strategy_map_fits_its_card_readable_and_cuts_no_name(page, demo, device, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "onb.lead", "lodestar-demo")
    for scorecard in Scorecard.objects.all():
        page.goto(reverse("strategy-map", args=[scorecard.pk]))
        (shown,) = page.evaluate(SHOWN_MAP)  # one drawing for this width, the other hidden
        assert shown["container_left"] <= shown["left"] < shown["right"] <= shown["container_right"]
        assert shown["cut"] == [], f"names cut short on the map of {scorecard}"
        # Drawn at least at nine tenths of its own size: its 11px words stay readable.
        assert shown["font_scale"] >= 0.9, f"the map at {width}px: {shown['font_scale']:.2f}"


def test_on_a_phone_the_top_bar_folds_its_links_behind_a_menu_button(page, demo):
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, "onb.lead", "lodestar-demo")
    menu = page.get_by_role("button", name="Menu")
    links = page.get_by_role("navigation", name="Main")
    assert menu.get_attribute("aria-expanded") == "false" and not links.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    links.get_by_role("link", name="Heat map").click()
    page.wait_for_url("**/heatmap/")
    assert page.locator("h1").first.is_visible()


def test_the_keyboard_reaches_the_check_in_form_and_sends_it(page, demo):
    sign_in(page, "onb.lead", "lodestar-demo")
    key_result = KeyResult.objects.filter(cycle__state="active", owner__username="onb.lead")[0]
    page.goto(reverse("key-result", args=[key_result.pk]))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(60):  # through the navigation and the page, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "value":
            break
    else:
        pytest.fail("the check-in form cannot be reached with the keyboard")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("80")
    page.keyboard.press("Tab")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Checked in").wait_for()
    key_result.refresh_from_db()
    assert (key_result.current, key_result.latest_confidence) == (80, 7)
