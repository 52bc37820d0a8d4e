"""The one way a worker takes rows from an outbox (webhook deliveries, notifications):
a conditional UPDATE claims the oldest due row for a lease, so several workers may run
and none takes a row another holds; a worker sends what it claims until nothing is due."""

from collections.abc import Callable
from datetime import timedelta

from django.db import models
from django.utils import timezone


def claim_due(model: type[models.Model], lease: timedelta, *, related: tuple[str, ...] = ()):
    """The oldest pending row due now, claimed for `lease`; None when nothing is due."""
    now = timezone.now()
    pending = model.Status.PENDING
    due = (
        model.objects.filter(status=pending, next_attempt_at__lte=now)
        .select_related(*related)
        .order_by("next_attempt_at", "pk")
    )
    for row in due[:10]:
        claimed = model.objects.filter(
            pk=row.pk, status=pending, next_attempt_at=row.next_attempt_at
        ).update(next_attempt_at=now + lease)
        if claimed:
            row.next_attempt_at = now + lease
            return row
    return None


def send_due(claim: Callable[[], models.Model | None], send: Callable) -> int:
    """Send every row due now, one claim at a time; returns how many were attempted."""
    sent = 0
    while (row := claim()) is not None:
        send(row)
        sent += 1
    return sent
