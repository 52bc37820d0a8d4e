"""Every page carries a Content-Security-Policy that allows only our own files, and no
template holds what such a policy would block (inline script, handlers, style attributes)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from lodestar.web.tests.browser.test_pages_on_demo import main_pages

LODESTAR = Path(__file__).resolve().parents[2]
REQUIRED = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]
# What a strict policy blocks in a template: a <script> without src, an on…= handler,
# a style attribute or element, a javascript: URL.
BLOCKED = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style|javascript:",
    re.IGNORECASE,
)


def policy_of(response) -> str:
    assert "Content-Security-Policy" in response, response.request["PATH_INFO"]
    return response["Content-Security-Policy"]


pytestmark = pytest.mark.usefixtures("demo_org")


@pytest.fixture
def lead(db, client):
    from lodestar.org.models import Person

    client.force_login(Person.objects.get(username="onb.lead"))
    return client


def test_the_policy_allows_only_our_own_files_and_no_framing(client, db):
    policy = policy_of(client.get(reverse("login")))
    for directive in REQUIRED:
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_every_main_page_carries_the_policy(lead):
    for name, path in main_pages():
        response = lead.get(path)
        assert response.status_code == 200, name
        assert "script-src 'self'" in policy_of(response), name


def test_the_api_documentation_page_only_adds_data_images(lead):
    policy = policy_of(lead.get("/api/v1/docs"))
    assert "img-src 'self' data:" in policy
    assert "script-src 'self'" in policy


def test_no_template_holds_inline_script_handlers_or_styles():
    offending = []
    for template in LODESTAR.glob("*/templates/**/*.html"):
        for match in BLOCKED.finditer(template.read_text()):
            offending.append(f"{template.relative_to(LODESTAR)}: {match.group(0)}")
    assert not offending, offending
