"""Who an OpenID Connect sign-in is (django-allauth calls these hooks): the rules of
docs/sso in the README.

- A domain not allowed is refused, whoever it is.
- An identity already linked signs its person in (unless deactivated).
- Otherwise the identity is linked to the person with the same e-mail only when the provider
  says the e-mail is verified: an unverified claim never takes over an account.
- Otherwise, with just-in-time creation on, a verified e-mail makes a new person with the
  default role (through `person_create`, like every person).
- At every sign-in the configured claims set the person's role and units.
"""

import logging
import re

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.shortcuts import render

from lodestar.org.models import Person
from lodestar.org.services import person_create
from lodestar.sso.claims import apply_claims, claims_of, email_verified

logger = logging.getLogger(__name__)
FORBIDDEN = 403


def refuse(request, reason: str):
    logger.warning("single sign-on refused: %s", reason)
    page = render(request, "sso/refused.html", {"reason": reason}, status=FORBIDDEN)
    raise ImmediateHttpResponse(page)


def domain_allowed(email: str) -> bool:
    allowed = {domain.lower() for domain in settings.OIDC_ALLOWED_DOMAINS}
    return not allowed or email.rpartition("@")[2].lower() in allowed


def free_username(email: str, preferred: str | None) -> str:
    """The provider's preferred name, else the e-mail's local part; made unique."""
    base = re.sub(r"[^\w.@+-]", "", preferred or email.partition("@")[0])[:140] or "person"
    name, number = base, 1
    while Person.objects.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


class SocialAccounts(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin) -> None:
        claims = claims_of(sociallogin)
        email = (claims.get("email") or "").strip()
        if not domain_allowed(email):
            refuse(
                request,
                f"Accounts of {email.rpartition('@')[2] or 'no domain'} may not sign in here.",
            )
        if sociallogin.is_existing:
            person = sociallogin.user
        else:
            if not email or not email_verified(claims):
                refuse(
                    request,
                    "Your identity provider has not confirmed your e-mail address, so it cannot "
                    "be matched to a Lodestar account. Ask your administrator.",
                )
            person = Person.objects.filter(email__iexact=email).first()
            if person is None:
                if not settings.OIDC_CREATE_PEOPLE:
                    refuse(
                        request,
                        f"There is no Lodestar account for {email}. Ask your administrator.",
                    )
                return  # allauth signs the new person up: `save_user`
            sociallogin.connect(request, person)
        if not person.is_active:
            refuse(request, "This account is deactivated. Ask your administrator.")
        apply_claims(person, claims)

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return settings.OIDC_CREATE_PEOPLE

    def save_user(self, request, sociallogin, form=None) -> Person:
        claims = claims_of(sociallogin)
        email = claims["email"].strip()
        person = person_create(
            acting=None,
            username=free_username(email, claims.get("preferred_username")),
            email=email,
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
            role=settings.OIDC_DEFAULT_ROLE,
        )
        sociallogin.user = person
        sociallogin.save(request)
        apply_claims(person, claims)
        return person
