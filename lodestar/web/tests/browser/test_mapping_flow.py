"""A spreadsheet of a shape Lodestar has never seen moves in by mapping, in a real browser,
in under ten clicks: from the import page to the mapping page, the file chosen and read,
the two columns the proposal could not place given their fields, the preview read, the
import confirmed and done by the worker. A click is a link or button pressed, a file
chosen or a choice picked in a list; pages reached by a button are not clicks."""

import pytest
from django.core.management import call_command

from lodestar.okrs.models import KeyResult, Objective
from lodestar.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

SHEET = (
    "Goal / KR,Belongs under,Who,Squad,When,Aim,Now\n"
    "Win the mid-market,,lead,Sales,Q4 2026,,\n"
    "Sign 20 mid-market logos,Win the mid-market,lead,Sales,Q4 2026,20,6\n"
    "Cut the sales cycle to 30 days,Win the mid-market,member,Sales,Q4 2026,30,41\n"
)


def test_an_unknown_spreadsheet_moves_in_by_mapping_in_under_ten_clicks(page, world, tmp_path):
    sheet = tmp_path / "our-okrs.csv"
    sheet.write_text(SHEET)
    sign_in(page, "admin", "pw")
    page.goto("/import/")
    clicks = 0

    def click(locator) -> None:
        nonlocal clicks
        clicks += 1
        locator.click()
        page.wait_for_load_state()

    click(page.get_by_role("link", name="Import any spreadsheet by its columns"))
    clicks += 1
    page.get_by_label("Spreadsheet (.csv or .xlsx)").set_input_files(str(sheet))
    click(page.get_by_role("button", name="Read columns"))
    assert page.get_by_label("Goal / KR").input_value() == "title"
    assert page.get_by_label("Belongs under").input_value() == "parent"
    assert page.get_by_label("When").input_value() == "cycle"
    for column, field in (("Who", "Owner (e-mail, login or name)"), ("Squad", "Unit / team")):
        clicks += 1
        page.get_by_label(column, exact=True).select_option(label=field)
    click(page.get_by_role("button", name="Preview the import"))
    preview = page.locator("#preview").locator("..").inner_text()
    assert "objectives: 1 created" in preview and "key_results: 2 created" in preview
    assert "1 objectives have no strategic objective: link them after import" in preview
    click(page.get_by_role("button", name="Confirm the import"))
    assert "/import/jobs/" in page.url
    call_command("worker", "--batch", "--queue", "imports")  # as production's worker
    page.reload()
    assert "Imported" in page.locator("main").inner_text()
    print(f"\nmapping an unknown spreadsheet: {clicks} clicks")
    assert clicks < 10
    objective = Objective.objects.get(title="Win the mid-market")
    assert objective.unit == world.sales and objective.owner == world.lead
    cycle_time = KeyResult.objects.get(title="Cut the sales cycle to 30 days")
    assert (cycle_time.target, cycle_time.current, cycle_time.owner) == (30, 41, world.member)
