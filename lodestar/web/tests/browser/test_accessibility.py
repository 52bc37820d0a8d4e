"""The main pages pass axe-core's accessibility rules in a real browser, at a desktop's
and a phone's width: no serious or critical violation (names of fields and links,
contrast, landmarks, ARIA used as specified)."""

import pytest
from django.urls import reverse

from lodestar.web.tests.browser.axe import SERIOUS_VIOLATIONS, axe_source
from lodestar.web.tests.browser.conftest import sign_in
from lodestar.web.tests.browser.test_pages_on_demo import SETTINGS_PAGES, WIDTHS, main_pages

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def axe() -> str:
    source, why_not = axe_source()
    if source is None:
        pytest.skip(f"accessibility rules not checked: {why_not}")
    return source


def violations_on(page, axe: str, pages: list[tuple[str, str]]) -> list[str]:
    # An init script runs before the page's own and is not an inline script, so the
    # Content-Security-Policy lets it in.
    page.context.add_init_script(script=axe)
    found = []
    for name, path in pages:
        assert page.goto(path).status == 200, name
        for violation in page.evaluate(SERIOUS_VIOLATIONS):
            found.append(f"{name}: {violation}")
    return found


@pytest.mark.parametrize(("device", "width"), WIDTHS)
def test_the_main_pages_have_no_serious_accessibility_violation(page, demo, axe, device, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "onb.lead", "lodestar-demo")
    found = violations_on(page, axe, main_pages())
    assert not found, "\n".join(found)


def test_the_settings_pages_have_no_serious_accessibility_violation(page, demo, axe):
    sign_in(page, "admin", "lodestar-demo")
    found = violations_on(page, axe, [(name, reverse(name)) for name in SETTINGS_PAGES])
    assert not found, "\n".join(found)
