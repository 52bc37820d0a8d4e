"""Writes and lookups of personal API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from lodestar.api.models import ApiToken
from lodestar.org.acting import Actor, service
from lodestar.org.models import Person
from lodestar.validation import validated_save

TOKEN_PREFIX = "lds_"
# Recording every use would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@service
def api_token_create(*, acting: Actor, person: Person, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is never stored nor shown again."""
    if not person.is_active:
        raise ValidationError({"person": ["An inactive person cannot hold tokens."]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(person=person, name=name, prefix=secret[:12], hashed=token_hash(secret))
    return validated_save(token), secret


@service
def api_token_revoke(*, acting: Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(secret: str) -> Person | None:
    """The active person holding this active token, or None."""
    token = (
        ApiToken.objects.select_related("person")
        .filter(hashed=token_hash(secret), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
