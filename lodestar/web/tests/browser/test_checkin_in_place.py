"""The check-in on "My key results" in a real browser: checkin.js posts it with fetch
and updates the row without reloading the page; the OKR pages are kept as screenshots."""

import pytest
from django.utils import timezone

from lodestar.okrs.models import CheckIn
from lodestar.okrs.services import key_result_create, objective_create
from lodestar.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def deals(world):
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Sell more", unit=world.sales
    )
    return key_result_create(
        acting=None,
        objective=objective,
        title="Close deals",
        owner=world.member,
        target=10,
        unit_label="deals",
    )


def test_a_check_in_updates_its_row_without_a_reload(page, world, deals, screenshot):
    sign_in(page, "member", "pw")
    page.goto("/my/")
    page.evaluate("window.stillHere = true")  # gone if the page reloads
    row = page.locator(f"#kr-{deals.pk}")
    row.get_by_label("Value (deals)").fill("7")
    row.get_by_label("Confidence (0–10)").fill("8")
    row.get_by_role("button", name="Check in").click()
    status = row.get_by_role("status")
    status.filter(has_text="Checked in").wait_for()
    assert page.evaluate("window.stillHere") is True
    assert "0.70 green" in row.locator('[data-field="score"]').inner_text()
    assert row.locator('[data-field="current"]').inner_text() == "7 deals"
    assert row.locator(".checkin-due").count() == 0
    made = CheckIn.objects.get(key_result=deals)
    assert made.value == 7
    shown = timezone.localtime(made.created_at).strftime("%-d %b")
    assert row.locator('[data-field="last-checkin"]').inner_text() == shown  # was "never"
    screenshot(page, "my-key-results")


def test_a_refused_check_in_says_why_in_the_row(page, world, deals):
    sign_in(page, "member", "pw")
    page.goto("/my/")
    row = page.locator(f"#kr-{deals.pk}")
    row.get_by_label("Value (deals)").fill("3")
    # The browser's own range check would stop 11 before it is sent: lift it.
    row.get_by_label("Confidence (0–10)").evaluate("field => field.removeAttribute('max')")
    row.get_by_label("Confidence (0–10)").fill("11")
    row.get_by_role("button", name="Check in").click()
    row.get_by_role("status").filter(has_text="confidence").wait_for()
    assert not CheckIn.objects.exists()


def test_the_okr_pages_render_for_screenshots(page, world, deals, screenshot):
    sign_in(page, "lead", "pw")
    for name, url in (
        ("okr-tree", "/okrs/"),
        ("key-result", f"/key-results/{deals.pk}/"),
        ("objective", f"/objectives/{deals.okr_objectives.get().pk}/"),
    ):
        page.goto(url)
        assert page.get_by_role("heading", level=1).is_visible()
        screenshot(page, name)


def test_a_milestone_is_checked_in_place_with_its_done_switch(page, world, deals):
    launch = key_result_create(
        acting=None,
        objective=deals.okr_objectives.get(),
        title="Launch the portal",
        owner=world.member,
        kind="milestone",
        baseline=0,
        target=1,
    )
    sign_in(page, "member", "pw")
    page.goto("/my/")
    row = page.locator(f"#kr-{launch.pk}")
    row.get_by_label("Done").check()
    row.get_by_label("Confidence (0–10)").fill("9")
    row.get_by_role("button", name="Check in").click()
    row.get_by_role("status").filter(has_text="Checked in").wait_for()
    assert "1.00 green" in row.locator('[data-field="score"]').inner_text()
    assert CheckIn.objects.get(key_result=launch).value == 1
