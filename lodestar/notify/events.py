"""Events for outgoing webhooks. The services call these; each writes one delivery per
interested subscription in the caller's transaction, so an event exists exactly when the
change it reports was committed (and vanishes with a rollback).

    checkin.created             a key result was checked in
    key_result.status_changed   a check-in moved a key result's colour or pace
    measure_value.created       a measure got its value for a period
    measure_value.updated       a measure's value for a period was replaced
    cycle.activated / cycle.closed
"""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from lodestar.notify.models import WebhookDelivery, WebhookSubscription
from lodestar.scores.pace import key_result_pace
from lodestar.scores.words import key_result_colour_of

EVENTS = (
    "checkin.created",
    "key_result.status_changed",
    "measure_value.created",
    "measure_value.updated",
    "cycle.activated",
    "cycle.closed",
)


def active_subscriptions() -> list[WebhookSubscription]:
    return list(WebhookSubscription.objects.filter(active=True))


def emit(
    event: str, data: dict[str, Any], active: list[WebhookSubscription] | None = None
) -> list[WebhookDelivery]:
    """`active`: the active subscriptions, when the caller emits several events at once
    (read once, not per event)."""
    now = timezone.now()
    active = active_subscriptions() if active is None else active
    deliveries = []
    for subscription in (s for s in active if s.wants(event)):
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event=event, body="", next_attempt_at=now
        )
        envelope = {"id": delivery.pk, "event": event, "created_at": now, "data": data}
        delivery.body = json.dumps(envelope, cls=DjangoJSONEncoder, ensure_ascii=False)
        delivery.save(update_fields=["body"])
        deliveries.append(delivery)
    return deliveries


def key_result_status(key_result) -> dict[str, str]:
    """The colour and pace people see on a key result, to tell when a check-in moved them."""
    pace = key_result_pace(key_result, key_result.cycle)
    return {"colour": key_result_colour_of(key_result.score, pace), "pace": pace.value}


def checkin_created(checkin, status_before: dict[str, str]) -> None:
    key_result = checkin.key_result
    summary = {
        "id": key_result.pk,
        "title": key_result.title,
        "current": key_result.current,
        "progress": key_result.progress,
        "score": key_result.score,
    }
    active = active_subscriptions()  # one read for both events a check-in may send
    emit(
        "checkin.created",
        {
            "checkin": {
                "id": checkin.pk,
                "key_result": key_result.pk,
                "value": checkin.value,
                "confidence": checkin.confidence,
                "note": checkin.note,
                "author": checkin.author_id,
                "created_at": checkin.created_at,
            },
            "key_result": summary,
        },
        active,
    )
    status_after = key_result_status(key_result)
    if status_after != status_before:
        emit(
            "key_result.status_changed",
            {"key_result": summary, "before": status_before, "after": status_after},
            active,
        )


def measure_value_recorded(value, measure, created: bool) -> None:
    emit(
        "measure_value.created" if created else "measure_value.updated",
        {
            "measure_value": {
                "id": value.pk,
                "measure": measure.pk,
                "period": value.period,
                "actual": value.actual,
                "target": value.target,
                "comment": value.comment,
                "author": value.author_id,
            },
            "measure": {
                "id": measure.pk,
                "name": measure.name,
                "performance": measure.performance,
                "status": measure.status,
            },
        },
    )


def cycle_changed(cycle) -> None:
    event = {"active": "cycle.activated", "closed": "cycle.closed"}.get(cycle.state)
    if event:
        emit(
            event,
            {"cycle": {"id": cycle.pk, "name": cycle.name, "start": cycle.start, "end": cycle.end}},
        )
