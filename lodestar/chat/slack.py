"""Slack's side: requests verified as Slack signs them, and calls to Slack's Web API.

Verification is slack_sdk's `SignatureVerifier` (v0 = HMAC-SHA256 of `v0:{timestamp}:
{body}` with the signing secret, compared in constant time, five minutes either way),
after our own check of the timestamp so that an old request is told apart from a forged
one. A signature accepted once is remembered for the window: the same signed body again
is a replay and refused. Calls to Slack (views.open, chat.postMessage, a response_url) go
through the outbound gate, with the bot token."""

import json
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from slack_sdk.signature import SignatureVerifier

from lodestar.chat.models import SeenSlackRequest
from lodestar.outbound import send

WINDOW_SECONDS = 5 * 60
TIMEOUT_SECONDS = 10


class NotFromSlack(Exception):
    """Why a request is refused (401), in a few words."""


def verify(body: bytes, headers) -> None:
    """Raise NotFromSlack unless Slack signed exactly this body, recently, for the first time."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > WINDOW_SECONDS:
        raise NotFromSlack("The request's timestamp is missing or older than five minutes.")
    verifier = SignatureVerifier(settings.SLACK_SIGNING_SECRET)
    if not verifier.is_valid(body=body, timestamp=timestamp, signature=signature):
        raise NotFromSlack("The request's signature is not Slack's.")
    remember(signature)


def remember(signature: str) -> None:
    now = timezone.now()
    SeenSlackRequest.objects.filter(seen_at__lt=now - timedelta(seconds=WINDOW_SECONDS)).delete()
    try:
        with transaction.atomic():
            SeenSlackRequest.objects.create(signature=signature[:80], seen_at=now)
    except IntegrityError:
        raise NotFromSlack("This request was already received (a replay).") from None


def call(method: str, payload: dict) -> dict:
    """A Web API method (`views.open`, `chat.postMessage`) with the bot token."""
    return post(
        settings.SLACK_API_URL.rstrip("/") + "/" + method,
        payload,
        {"Authorization": f"Bearer {settings.SLACK_BOT_TOKEN}"},
    )


def post(url: str, payload: dict, headers: dict | None = None) -> dict:
    answer = send(
        "POST",
        url,
        who="Slack",
        timeout=TIMEOUT_SECONDS,
        body=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        return json.loads(answer.body or b"{}")
    except ValueError:
        return {}  # a response_url answers "ok" in plain text
