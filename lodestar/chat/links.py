"""Signed one-click check-in links: for one person and one key result, for seven days,
once. The token is Django's signing (`signing.dumps` with a salt of its own, so no other
signed value of Lodestar passes for one) over the person, the key result and a random
nonce; the nonce's row (`UsedCheckinLink`) is written with the check-in."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.urls import reverse

SALT = "lodestar.chat.checkin-link"
VALID_FOR = timedelta(days=7)


class LinkRefused(Exception):
    """Why a link does not work, in words for the page."""


@dataclass(frozen=True)
class CheckinLink:
    person_id: int
    key_result_id: int
    nonce: str


def checkin_link(person, key_result) -> str:
    """The link's path (messages make it absolute)."""
    token = signing.dumps(
        {"p": person.pk, "k": key_result.pk, "n": secrets.token_hex(16)}, salt=SALT, compress=True
    )
    return reverse("chat-checkin", args=[token])


def read_link(token: str) -> CheckinLink:
    try:
        found = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.SignatureExpired:
        raise LinkRefused(
            "This check-in link has expired: links work for seven days. "
            "Check in from My key results instead."
        ) from None
    except signing.BadSignature:
        raise LinkRefused("This check-in link is not valid (was it copied whole?).") from None
    return CheckinLink(found["p"], found["k"], found["n"])
