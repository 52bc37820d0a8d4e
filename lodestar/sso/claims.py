"""What the identity provider says about a person, and what Lodestar takes from it: the
role and the units, when the installation names the claims that carry them."""

import logging

from django.conf import settings

from lodestar.org.models import Membership, Person, Unit
from lodestar.org.services import membership_remove, membership_set, person_update

logger = logging.getLogger(__name__)


def claims_of(sociallogin) -> dict:
    """The ID token's claims with the userinfo answer's over them (it may hold more)."""
    data = sociallogin.account.extra_data or {}
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


def email_verified(claims: dict) -> bool:
    # Only a real true: providers send True, "true", or nothing at all.
    return claims.get("email_verified") in (True, "true", "True")


def apply_claims(person: Person, claims: dict) -> None:
    role_claim, units_claim = settings.OIDC_ROLE_CLAIM, settings.OIDC_UNITS_CLAIM
    if role_claim and role_claim in claims:
        role = str(claims[role_claim])
        if role not in Person.Role.values:
            logger.warning(
                "single sign-on: %s has an unknown role %r, kept %s", person, role, person.role
            )
        elif role != person.role:
            person_update(acting=None, person=person, role=role)
    if units_claim and units_claim in claims:
        named = claims[units_claim]
        names = {str(name) for name in (named if isinstance(named, list) else [named])}
        units = {unit.name: unit for unit in Unit.objects.filter(name__in=names)}
        for unknown in sorted(names - set(units)):
            logger.warning("single sign-on: %s names an unknown unit %r", person, unknown)
        held = {
            m.unit_id: m for m in Membership.objects.filter(person=person).select_related("unit")
        }
        for unit in units.values():
            if unit.pk not in held:
                membership_set(acting=None, person=person, unit=unit)
        for membership in held.values():
            if membership.unit.name not in units and membership.role != Membership.Role.LEAD:
                membership_remove(acting=None, person=person, unit=membership.unit)
