"""Webhook deliveries and the week's reminders and digests as jobs, enqueued by
`lodestar worker`'s schedule; each claims its rows as before (`notify.workers`)."""

from django_tasks import task

from lodestar.notify.delivery import deliver_due
from lodestar.notify.rhythm import notify_run


@task(queue_name="webhooks")
def webhooks_send() -> int:
    """Send every webhook delivery due now; how many were attempted."""
    return deliver_due()


@task(queue_name="notify")
def notify_send() -> list[int]:
    """Plan this week's reminders and digests and send what is due: [new, attempted]."""
    return list(notify_run())
