"""End-to-end tests in a real Chromium (Debian's `chromium`, driven by Playwright).

Chromium is found as $CHROMIUM, `chromium` or `chromium-browser` on the PATH; without one
these tests are skipped (scripts/run_tests.py says so in one line). Screenshots of the pages
they visit are kept in test-artifacts/screenshots/ for people to look at.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots"


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


def pytest_collection_modifyitems(items):
    if chromium_path():
        return
    skip = pytest.mark.skip(reason="no Chromium on this machine (install Debian's chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium():
    # Playwright's sync API keeps an event loop in this thread; the ORM calls that the
    # tests make between browser steps are still plain synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab (1280×900) whose relative URLs go to the live server."""
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def demo(transactional_db, demo_rows):
    """The demo organisation, committed, so that the live server's own connection sees it."""
    from lodestar.conftest import load_demo

    load_demo(demo_rows)


@pytest.fixture
def screenshot():
    """`screenshot(page, "dashboard")` keeps a full-page PNG as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(tab, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(tab, username: str, password: str) -> None:
    tab.goto("/login/")
    tab.get_by_label("User name").fill(username)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(lambda url: "/login/" not in url)


def field(tab, label: str):
    """The form field captioned `label` (a required one's caption ends in " *"), not
    its filter box, whose name starts with "Filter"."""
    return tab.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))
