"""Writes and lookups of personal API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from lodestar.api.models import ApiToken
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed_nothing
from lodestar.org.models import Person
from lodestar.validation import validated_save

TOKEN_PREFIX = "lds_"
# Recording every use would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_DAYS = 3650
EXPIRY_RULE = f"A token expires after 1 to {MAX_TOKEN_DAYS} days (or never: leave it empty)."


class TokenExpired(Exception):
    """The secret is right but the token's time is over: the caller is told so, not merely
    refused, so that a script's owner knows to make a new one."""

    def __init__(self, token: ApiToken):
        super().__init__(
            f"This token expired on {token.expires_in_utc}; "
            "make a new one at /settings/tokens/ or with `lodestar token create`."
        )


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(prefix: str) -> tuple[str, dict[str, str]]:
    """A bearer token's secret (shown once) and what is stored of it: its first characters,
    to tell tokens apart, and its hash."""
    secret = prefix + secrets.token_urlsafe(32)
    return secret, {"prefix": secret[:12], "hashed": token_hash(secret)}


class TokenReadOnly(Exception):
    """The token is right but may only read: said so, so that a script's owner knows why."""

    def __init__(self):
        super().__init__(
            "This token is read-only: it may read (GET) but not write. "
            "Make a token without 'read only' at /settings/tokens/ to write."
        )


@service
def api_token_create(
    *, acting: Actor, person: Person, name: str, days: int | None = None, read_only: bool = False
) -> tuple[ApiToken, str]:
    """Create a token, valid for `days` from now or, without them, until revoked; returns it
    with its secret, which is never stored nor shown again."""
    if not person.is_active:
        raise ValidationError({"person": ["An inactive person cannot hold tokens."]})
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": [EXPIRY_RULE]})
    secret, stored = new_secret(TOKEN_PREFIX)
    token = ApiToken(person=person, name=name, read_only=read_only, **stored)
    if days is not None:
        token.expires_at = timezone.now() + timedelta(days=days)
    changed_nothing()  # a way in: no kept figure reads it
    return validated_save(token), secret


@service
def api_token_revoke(*, acting: Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    changed_nothing()  # a way in: no kept figure reads it
    return token


def api_token_authenticate(secret: str, *, writes: bool = False) -> Person | None:
    """The active person holding this unrevoked token, or None; TokenExpired when its
    time is over, TokenReadOnly when a read-only token is used to write."""
    token = (
        ApiToken.objects.select_related("person")
        .filter(hashed=token_hash(secret), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.expired:
        raise TokenExpired(token)
    if writes and token.read_only:
        raise TokenReadOnly()
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
