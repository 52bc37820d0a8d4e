"""Writes to webhook subscriptions."""

import secrets

from django.core.exceptions import ValidationError

from lodestar.notify.events import EVENTS
from lodestar.notify.models import WebhookSubscription
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed_nothing
from lodestar.outbound import validate as validate_url
from lodestar.validation import apply_changes, validated_save


def check_events(events: list[str]) -> None:
    unknown = [e for e in events if e != "*" and e not in EVENTS]
    if not events or unknown:
        known = ", ".join(EVENTS)
        raise ValidationError({"events": [f"Choose from: *, {known}."]})


@service
def webhook_subscription_create(
    *, acting: Actor, name: str, url: str, events: list[str], created_by=None, secret: str = ""
) -> WebhookSubscription:
    check_events(events)
    validate_url(url, "url")  # the outbound gate, again at each delivery
    subscription = WebhookSubscription(
        name=name,
        url=url,
        events=events,
        secret=secret or secrets.token_hex(32),
        created_by=created_by,
    )
    changed_nothing()  # where events go: no kept figure reads it
    return validated_save(subscription)


@service
def webhook_subscription_update(
    *,
    acting: Actor,
    subscription: WebhookSubscription,
    expected_version: int | None = None,
    **changes,
) -> WebhookSubscription:
    if "events" in changes:
        check_events(changes["events"])
    if changes.get("url"):
        validate_url(changes["url"], "url")
    changed_nothing()  # where events go: no kept figure reads it
    return apply_changes(subscription, changes, expected_version=expected_version)
