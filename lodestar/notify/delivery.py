"""Sending webhook deliveries: sign, claim, post, retry with exponential back-off.

Workers claim a due delivery with a conditional UPDATE (`workers.claim_due`, as the
notifications' workers do; optimistic lock, healthchecks style): `UPDATE … SET
next_attempt_at = <lease end> WHERE id = ? AND next_attempt_at = <as read>`. Only one
worker's UPDATE matches, so several workers are safe on SQLite and PostgreSQL, and a
worker that dies mid-send frees the row when its lease ends.
"""

import hashlib
import hmac
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from lodestar.notify import workers
from lodestar.notify.models import WebhookAttempt, WebhookDelivery
from lodestar.outbound import OutboundError, send

SIGNATURE_HEADER = "X-Lodestar-Signature"
TIMEOUT_SECONDS = 10
LEASE = timedelta(seconds=TIMEOUT_SECONDS * 3)


def max_attempts() -> int:
    return settings.WEBHOOK_MAX_ATTEMPTS


def first_retry() -> timedelta:
    return timedelta(seconds=settings.WEBHOOK_FIRST_RETRY_SECONDS)


def sign(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of the exact body bytes with the subscription's secret>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … doubling after each failed attempt, at most 6 hours."""
    return min(first_retry() * 2 ** (attempts - 1), timedelta(hours=6))


def claim_due() -> WebhookDelivery | None:
    """Claim the oldest due delivery for this worker, or None when nothing is due."""
    return workers.claim_due(WebhookDelivery, LEASE)


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Lodestar-Webhooks/1",
        "X-Lodestar-Event": delivery.event,
        "X-Lodestar-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(delivery.subscription.secret, body),
    }
    try:
        answer = send(
            "POST",
            delivery.subscription.url,
            who="The receiver",
            timeout=TIMEOUT_SECONDS,
            body=body,
            headers=headers,
        )
    except OutboundError as error:  # the gate's words, never the receiver's body
        return error.status, str(error)
    return answer.status, ""


def deliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a claimed delivery once and record the attempt; schedule a retry on failure."""
    started = time.monotonic()
    status_code, error = post(delivery)
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        response_status=status_code,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    delivery.attempts += 1
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, now
    elif delivery.attempts >= max_attempts():
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at"])
    return delivery


def deliver_due() -> int:
    """Send every delivery that is due now; returns how many were attempted."""
    return workers.send_due(claim_due, deliver)
