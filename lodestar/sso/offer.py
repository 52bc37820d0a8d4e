"""What the sign-in page offers when single sign-on is configured."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from lodestar.sso.provider import PROVIDER


@dataclass(frozen=True)
class Offer:
    name: str  # "Sign in with <name>"
    url: str  # where the button POSTs to start
    only: bool  # passwords off (but for the break-glass admins)
    origin: str  # the provider's, which the page's Content-Security-Policy lets forms go to


def sso_offer() -> Offer | None:
    configured = settings.SOCIALACCOUNT_PROVIDERS.get(PROVIDER)
    if not configured:
        return None
    app = configured["APPS"][0]
    issuer = urlsplit(app["settings"]["server_url"])
    return Offer(
        name=settings.OIDC_NAME,
        url=reverse(f"{PROVIDER}_login", kwargs={"provider_id": app["provider_id"]}),
        only=settings.SSO_ONLY,
        origin=f"{issuer.scheme}://{issuer.netloc}",
    )
