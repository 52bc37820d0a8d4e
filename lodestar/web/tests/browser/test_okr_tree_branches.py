"""The OKR tree in a real browser: a closed unit's row and a sub-objective link load their
branch in place (tree.js fetches the server-rendered fragment), without leaving the page."""

import pytest

from lodestar.okrs.services import objective_create
from lodestar.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def support(world):
    answer = objective_create(
        acting=None, cycle=world.cycle, title="Answer faster", unit=world.support
    )
    objective_create(
        acting=None, cycle=world.cycle, title="Reply in an hour", unit=world.sales, parent=answer
    )
    return answer


def test_a_units_branch_and_a_sub_objective_open_in_place(page, world, support, screenshot):
    sign_in(page, "member", "pw")
    page.goto("/okrs/")
    page.evaluate("window.stillHere = true")  # gone if the page reloads
    row = page.locator(f"#unit-{world.support.pk}")
    assert page.get_by_text("Answer faster").count() == 0
    row.get_by_role("link", name="Show its objectives").click()
    row.get_by_role("link", name="Answer faster").wait_for()
    assert row.get_by_role("link", name="Show its objectives").count() == 0
    row.get_by_role("link", name="Show 1 sub-objective").click()
    row.get_by_role("link", name="Reply in an hour").wait_for()
    assert page.evaluate("window.stillHere") is True
    assert page.url.endswith("/okrs/")
    screenshot(page, "okr-tree-branches")
