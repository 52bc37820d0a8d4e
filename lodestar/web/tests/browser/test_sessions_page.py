"""Where I am signed in, in a real browser: two browsers signed in, the first signs the
other out from its sessions page."""

import pytest

from lodestar.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_signing_out_everywhere_else_from_the_sessions_page(chromium, live_server, world):
    laptop, phone = (chromium.new_context(base_url=live_server.url) for _ in range(2))
    try:
        first, second = laptop.new_page(), phone.new_page()
        sign_in(first, "member", "pw")
        sign_in(second, "member", "pw")
        first.goto("/")
        first.locator("summary.person-name").click()  # the Settings menu
        first.get_by_role("link", name="Sessions and sign-ins").click()
        rows = first.locator("table.sessions tbody tr")
        assert rows.count() == 2
        assert first.get_by_text("This session").count() == 1
        first.get_by_role("button", name="Sign out everywhere else").click()
        assert first.locator("table.sessions tbody tr").count() == 1
        second.goto("/")
        assert "/login/" in second.url
        first.goto("/")
        assert "/login/" not in first.url
    finally:
        laptop.close()
        phone.close()
