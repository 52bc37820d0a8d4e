"""A passkey end to end in Chromium, with the DevTools Protocol's virtual authenticator
standing in for the laptop's fingerprint reader: made and named on the second-factor page,
then asked after the password and given with one click, then signed in with alone; all
under the Content-Security-Policy."""

import pytest

from lodestar.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def authenticator(page, live_server, settings):
    """A platform authenticator that keeps discoverable credentials and verifies its user
    (as Touch ID or Windows Hello would), on a site served under a name (localhost)."""
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")
    page.goto("/login/", timeout=90_000)  # a busy machine's live server answers slowly at first
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    made = devtools.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    yield devtools, made["authenticatorId"]


def test_a_passkey_is_made_then_given_as_the_second_factor(page, world, authenticator):
    devtools, authenticator_id = authenticator
    refused: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    sign_in(page, "member", "pw")
    page.goto("/account/two-factor/")
    page.get_by_label("Name of the passkey").fill("Work laptop")
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_role("button", name="Make the passkey").click()
    page.get_by_text("Keep these recovery codes").wait_for()  # passkeys.js read the page again
    assert len(page.locator(".recovery-codes li").all()) == 10
    page.get_by_role("link", name="Done").click()
    assert page.get_by_role("cell", name="Work laptop", exact=True).is_visible()
    kept = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(kept["credentials"]) == 1 and kept["credentials"][0]["isResidentCredential"]

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "member", "pw")
    assert "/account/verify/" in page.url
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(lambda url: "/account/verify/" not in url)
    assert page.get_by_role("navigation", name="Main").is_visible()
    page.goto("/account/two-factor/")
    assert page.get_by_role("cell", name="never", exact=True).count() == 0  # last used: just now

    page.get_by_role("button", name="Sign out").click()
    page.goto("/login/?next=/okrs/")
    page.get_by_role("button", name="Use a passkey").click()  # no password at all
    page.wait_for_url(lambda url: "/login/" not in url)
    assert page.url.endswith("/okrs/")
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert refused == []
