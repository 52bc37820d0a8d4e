"""Passkeys through django-otp-webauthn: its views run the browser's two WebAuthn ceremonies
(registration from the second-factor page; authentication on the code page, or alone on the
sign-in page), its JavaScript is served by our static files, its configuration reaches the
page as a JSON data block (no inline script). What we add: the name chosen beforehand, the
session's second-factor flag and recovery codes for a first factor. A garbled or forged
answer is the library's (py_webauthn's) refusal: a 4xx JSON with a message, nothing kept."""

from django.conf import settings
from django.db import transaction
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions, views
from django_otp_webauthn.helpers import WebAuthnHelper

from lodestar.org.second_factor import PASSKEY, passkey_recovery_codes
from lodestar.web.middleware import SESSION_FLAG
from lodestar.web.views.account import signed_in_person

NAME = "passkey_name"  # the session's name for the passkey about to be made
CODES_ONCE = "recovery_codes_once"  # codes the second-factor page shows once


class NamedPasskeys(WebAuthnHelper):
    """The library's ceremonies, keeping a new passkey under the name chosen for it."""

    def create_credential(self, user, response, parsed_credential, original_data):
        passkey = super().create_credential(user, response, parsed_credential, original_data)
        passkey.name = self.request.session.pop(NAME, PASSKEY)
        return passkey

    def register_complete(self, user, state, data):
        with transaction.atomic():  # the passkey and its attestation, or neither
            return super().register_complete(user=user, state=state, data=data)


def passkey_sign_in_offered() -> bool:
    """Signing in with a passkey alone: where passkeys work at all, and not with SSO_ONLY."""
    return bool(settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN and passkeys_offered())


def passkeys_offered() -> bool:
    """SITE_URL is an origin browsers make passkeys for (settings.passkey_origins)."""
    return bool(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)


class ReadsAnyBody:
    """A body that is not UTF-8 is malformed like any other unreadable JSON (the library
    catches only JSONDecodeError, and json.loads raises UnicodeDecodeError for it: a 500)."""

    def _parse_request_data(self, request):
        try:
            return super()._parse_request_data(request)
        except UnicodeDecodeError as error:
            unreadable = "The passkey's answer is not UTF-8."
            raise exceptions.MalformedRequest(detail=unreadable) from error


class RegistrationBegin(ReadsAnyBody, views.BeginCredentialRegistrationView):
    pass


class AuthenticationBegin(ReadsAnyBody, views.BeginCredentialAuthenticationView):
    pass


class AuthenticationComplete(ReadsAnyBody, views.CompleteCredentialAuthenticationView):
    pass


class RegistrationComplete(ReadsAnyBody, views.CompleteCredentialRegistrationView):
    """A new passkey is a second factor in force: the session has just shown it, and a first
    second factor comes with its recovery codes."""

    def post(self, *args, **kwargs):
        answer = super().post(*args, **kwargs)
        self.request.session[SESSION_FLAG] = True
        codes = passkey_recovery_codes(acting=signed_in_person(self.request))
        if codes:
            self.request.session[CODES_ONCE] = codes
        return answer


# Named as the library's template tags reverse them (namespace "otp_webauthn"). Registering
# lives under the second-factor page; authenticating is open while the code is owed and
# before sign-in (web.middleware.OPEN_WHILE_OWED).
urlpatterns = [
    path(
        "two-factor/passkeys/begin",
        RegistrationBegin.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "two-factor/passkeys/complete",
        RegistrationComplete.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "passkey/begin",
        AuthenticationBegin.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "passkey/complete",
        AuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "passkey/messages.js",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
