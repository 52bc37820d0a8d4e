"""The Content-Security-Policy in a real browser: signed in, the main pages, the admin and the
API's documentation page run without Chromium refusing anything they ask for."""

import pytest

from lodestar.web.tests.browser.conftest import sign_in
from lodestar.web.tests.browser.test_pages_on_demo import main_pages

pytestmark = pytest.mark.browser

REFUSALS = ("Content Security Policy", "Refused to")


def refusals_while(tab, visit) -> list[str]:
    messages: list[str] = []
    tab.on("console", lambda message: messages.append(message.text))
    visit()
    return [text for text in messages if any(word in text for word in REFUSALS)]


def test_the_main_pages_break_no_rule_of_the_policy(page, demo):
    def visit():
        sign_in(page, "onb.lead", "lodestar-demo")
        for name, path in main_pages():
            response = page.goto(path)
            assert response.status == 200, name
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_load_state("load")
        # The cycle menu still opens the chosen cycle on the same page, from its static script.
        page.goto("/")
        page.select_option("#nav-cycle", index=0)
        page.wait_for_url("**/?cycle=*")

    assert refusals_while(page, visit) == []


def test_the_admin_and_the_api_documentation_break_no_rule_of_the_policy(page, demo):
    def visit():
        sign_in(page, "admin", "lodestar-demo")
        page.goto("/admin/")
        page.wait_for_load_state("load")
        page.goto("/api/v1/docs")
        page.get_by_text("Lodestar API").first.wait_for()
        page.wait_for_load_state("networkidle")

    assert refusals_while(page, visit) == []
