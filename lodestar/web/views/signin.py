"""The sign-in page, and the page a locked-out sign-in gets (django-axes calls `locked_out`,
AXES_LOCKOUT_CALLABLE).

Each attempt during the lock restarts the cool-off, so "try again in N minutes" is the whole
cool-off counted from this very attempt."""

import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lodestar.org.first_run import someone_can_administer
from lodestar.sso.offer import sso_offer
from lodestar.web.views.passkeys import passkey_sign_in_offered

TOO_MANY_REQUESTS = 429


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes},
        status=TOO_MANY_REQUESTS,
    )


class SignIn(auth_views.LoginView):
    """Django's sign-in page, with the company's single sign-on beside the password; while
    nobody can sign in, the setup page instead. With SSO_ONLY, a password signs in only the
    break-glass admins."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.sso = sso_offer()
        if self.sso is None and not someone_can_administer():
            return redirect("first-run")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        return {**context, "sso": self.sso, "passkey_sign_in": passkey_sign_in_offered()}

    def render_to_response(self, context, **kwargs) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if self.sso:  # the button's form ends at the provider (browsers check redirects too)
            response._csp_update = {"form-action": [self.sso.origin]}
        return response

    def form_valid(self, form):
        if self.sso and self.sso.only and form.get_user().username not in settings.SSO_BREAK_GLASS:
            form.add_error(None, f"Sign in with {settings.OIDC_NAME}: passwords are off here.")
            return self.form_invalid(form)
        return super().form_valid(form)
