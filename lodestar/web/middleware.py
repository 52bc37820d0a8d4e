"""Every request's one reader (`request.reader`): who is looking, built once from the
signed-in person and kept on them, so the services asked with `request.user` meet the same
reader. The API's token auth puts the token's person's reader here instead."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from lodestar.org.reader import Reader
from lodestar.org.second_factor import has_second_factor
from lodestar.org.second_factor_policy import second_factor_required

SESSION_FLAG = "second_factor"


class ReaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.reader = Reader.for_person(request.user)
        return self.get_response(request)


# Where a person who still owes their second factor may go: the code page, the passkey
# ceremony, signing out, and what needs no session (static files, health, the API's tokens,
# SCIM, SSO). Setting one up is open only to whoever owes none: a password alone must not
# replace the second factor it is asked for.
OPEN_WHILE_OWED = ("/account/verify/", "/account/passkey/", "/logout/", "/static/", "/health")
OPEN_WHILE_SETTING_UP = (*OPEN_WHILE_OWED, "/account/two-factor/")
NO_SESSION = ("/api/", "/scim/", "/sso/")


def remember_second_factor(sender, request, user, **kwargs) -> None:
    """At sign-in, once: whether this person has a second factor to ask for, so that no
    page asks the database again."""
    request.session[SESSION_FLAG] = has_second_factor(user)


class SecondFactorMiddleware:
    """After the password or SSO, nothing but the code page until the code is given; a role
    that must have a second factor (the admin's rule, org.second_factor_policy) sets one up
    first. After django-otp's OTPMiddleware, which knows whether this session gave its code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = request.user
        if user.is_authenticated and not path.startswith(NO_SESSION):
            owed = request.session.get(SESSION_FLAG)
            if owed and not user.is_verified() and not path.startswith(OPEN_WHILE_OWED):
                return redirect(f"{reverse('verify')}?{urlencode({'next': path})}")
            setting_up = path.startswith(OPEN_WHILE_SETTING_UP)
            if not owed and not setting_up and second_factor_required(user):
                messages.info(request, "Your role needs a second factor: set it up first.")
                return redirect("two-factor")
        return self.get_response(request)
