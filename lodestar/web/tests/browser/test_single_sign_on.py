"""Single sign-on end to end in Chromium, against a real OpenID Connect provider on loopback:
the sign-in page's button, the provider's own form, back to Lodestar signed in, then out."""

from urllib.parse import quote

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread

from lodestar.org.models import Person
from lodestar.settings import oidc_providers

pytestmark = pytest.mark.browser


def test_a_new_person_signs_in_with_the_company_account_and_out(page, live_server, settings, world):
    with run_server_in_thread() as server:
        provider = f"http://localhost:{server.server_port}"
        settings.SOCIALACCOUNT_PROVIDERS = oidc_providers(provider, "lodestar", "s3cret", "Acme")
        settings.OIDC_NAME = "Acme ID"
        settings.OIDC_UNITS_CLAIM = "lodestar_units"
        settings.SITE_URL = live_server.url  # where the provider sends the browser back
        claims = {"email": "ada@acme.example", "email_verified": True, "given_name": "Ada"}
        httpx.put(
            f"{provider}/users/{quote('ada@acme.example')}",
            json=claims | {"lodestar_units": ["Sales"]},
        )
        page.goto("/")
        page.get_by_role("button", name="Sign in with Acme ID").click()
        page.get_by_placeholder("sub").fill("ada@acme.example")
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_role("navigation", name="Main").is_visible()
        ada = Person.objects.get(email="ada@acme.example")
        assert ada.units.get().name == "Sales"
        page.get_by_role("button", name="Sign out").click()
        page.goto("/")
        assert "/login/" in page.url
