"""The main pages on the demo organisation in a real browser, at a desktop's and at a
phone's width: each renders, fits the screen (wide tables and pictures scroll or shrink
inside their own box), and is kept as a screenshot for people to look at."""

import pytest
from django.urls import reverse

from lodestar.conftest import load_demo
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.models import Unit
from lodestar.strategy.models import Measure, Scorecard, StrategicObjective
from lodestar.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, demo_rows):
    """Committed, so that the live server's own connection sees it."""
    load_demo(demo_rows)


def main_pages() -> list[tuple[str, str]]:
    scorecard = Scorecard.objects.get(unit__parent=None)
    key_result = KeyResult.objects.filter(cycle__state="active").order_by("pk").first()
    return [
        ("dashboard", reverse("dashboard")),
        ("strategy-map", reverse("strategy-map", args=[scorecard.pk])),
        ("scorecard", reverse("scorecard", args=[scorecard.pk])),
        (
            "strategic-objective",
            reverse("strategic-objective", args=[StrategicObjective.objects.first().pk]),
        ),
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
    ]


@pytest.mark.parametrize(("device", "width"), [("desktop", 1280), ("phone", 390)])
def test_the_main_pages_render_and_fit_the_screen(page, demo, screenshot, device, width):
    assert Objective.objects.exists()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "onb.lead", "lodestar-demo")
    too_wide = []
    for name, path in main_pages():
        response = page.goto(path)
        assert response.status == 200, f"{name} answered {response.status}"
        assert page.locator("h1").first.is_visible(), name
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            too_wide.append(f"{name} (+{overflow}px)")
        screenshot(page, f"{device}-{name}")
    assert not too_wide, f"wider than a {width}px screen: {too_wide}"


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
