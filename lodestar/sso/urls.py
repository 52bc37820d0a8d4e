"""/sso/<provider>/login/ (a POST starts the sign-in) and its callback; allauth finds these
by the provider's package and names them after its id."""

import logging
from collections.abc import Callable

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.generic import RedirectView
from requests import RequestException

from lodestar.sso.provider import PROVIDER, SignedTokensAdapter

logger = logging.getLogger(__name__)
BAD_GATEWAY = 502
CANCELLED = "The sign-in was cancelled."
FAILED = "The sign-in did not succeed. Try again."
UNREACHABLE = "Your identity provider cannot be reached just now. Try again in a moment."


def step(view: type) -> Callable:
    def run(request: HttpRequest, provider_id: str) -> HttpResponse:
        try:
            return view.adapter_view(SignedTokensAdapter(request, provider_id))(request)
        except SocialApp.DoesNotExist as unknown:
            raise Http404("No such sign-in provider.") from unknown
        except (RequestException, OAuth2Error, ValueError, KeyError):
            # The provider's discovery document or keys: unreachable, or not what they claim.
            logger.exception("single sign-on: the identity provider answered nothing usable")
            return said(UNREACHABLE, BAD_GATEWAY)(request)

    return run


login = step(OAuth2LoginView)
callback = step(OAuth2CallbackView)


def said(reason: str, status: int = 403) -> Callable:
    def page(request: HttpRequest) -> HttpResponse:
        return render(request, "sso/refused.html", {"reason": reason}, status=status)

    return page


urlpatterns = [
    path("<str:provider_id>/login/", login, name=f"{PROVIDER}_login"),
    path("<str:provider_id>/login/callback/", callback, name=f"{PROVIDER}_callback"),
    # The pages allauth sends a sign-in to when it does not end signed in.
    path(
        "cancelled/", said("The sign-in was cancelled.", 200), name="socialaccount_login_cancelled"
    ),
    path(
        "error/", said("The sign-in did not succeed. Try again."), name="socialaccount_login_error"
    ),
    path(
        "no-account/",
        said("There is no Lodestar account for you yet. Ask your administrator."),
        name="socialaccount_signup",
    ),
    path("inactive/", said("This account is deactivated."), name="account_inactive"),
    path("accounts/", RedirectView.as_view(url="/"), name="socialaccount_connections"),
]
