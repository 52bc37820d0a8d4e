"""Signing in and out in a real browser."""

import pytest

from lodestar.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_wrong_password_is_refused_with_a_message(page, world):
    page.goto("/")
    assert "/login/" in page.url  # every page needs a signed-in person
    page.get_by_label("User name").fill("lead")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert "/login/" in page.url


def test_a_person_signs_in_and_out(page, world):
    sign_in(page, "lead", "pw")
    assert page.get_by_role("navigation", name="Main").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.goto("/")
    assert "/login/" in page.url
