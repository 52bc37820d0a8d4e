"""The periodic jobs, enqueued by the workers themselves (no cron, no scheduler process).

Each worker looks at the table below every second; for each job of a queue it serves whose
turn has come, it claims the turn with a conditional UPDATE on `Periodic` (one worker
wins a turn, however many run) and enqueues the job only when there is work for it and no
such job already waits. So jobs never pile up, whatever the number of workers, and a job
that outlasts its interval is simply not enqueued again until it has been claimed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task

from lodestar.api.idempotency import KEPT as KEYS_KEPT
from lodestar.api.models import IdempotentRequest
from lodestar.api.tasks import idempotency_prune
from lodestar.conversation.notices import any_due as comment_notices_due
from lodestar.conversation.tasks import comment_digests_send
from lodestar.jobs.models import Periodic
from lodestar.jobs.queue import enqueue_once
from lodestar.notify.models import WebhookDelivery
from lodestar.notify.tasks import notify_send, webhooks_send
from lodestar.scores.models import StrategyOwed
from lodestar.scores.tasks import strategy_drain_job
from lodestar.sources.models import DataSource
from lodestar.sources.sync import is_due
from lodestar.sources.tasks import sources_sync


@dataclass(frozen=True)
class Every:
    task: Task
    interval: timedelta
    work: Callable[[datetime], bool]  # whether there is anything for it to do (cheap)

    @property
    def name(self) -> str:
        return self.task.module_path


def deliveries_due(now: datetime) -> bool:
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).exists()


def sources_due(now: datetime) -> bool:
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return (
        DataSource.objects.exclude(kind=DataSource.Kind.PUSH)
        .filter(is_due(now))
        .filter(free)
        .exists()
    )


def keys_expired(now: datetime) -> bool:
    return IdempotentRequest.objects.filter(created_at__lte=now - KEYS_KEPT).exists()


PERIODIC = [
    Every(strategy_drain_job, timedelta(seconds=1), lambda now: StrategyOwed.objects.exists()),
    Every(webhooks_send, timedelta(seconds=2), deliveries_due),
    Every(sources_sync, timedelta(seconds=10), sources_due),
    # Planning is idempotent (one row per recipient, kind and week): every minute is cheap.
    Every(notify_send, timedelta(seconds=60), lambda now: True),
    # A person's comment notices wait a quarter hour to go as one message.
    Every(comment_digests_send, timedelta(seconds=60), comment_notices_due),
    # Keys are kept 24 hours: forgotten within the hour after.
    Every(idempotency_prune, timedelta(hours=1), keys_expired),
]


def served(every: Every, queues: list[str]) -> bool:
    return "*" in queues or every.task.queue_name in queues


def turn_taken(every: Every, now: datetime) -> bool:
    """Claim this job's turn: True for the one worker whose UPDATE matched (or who wrote
    the job's first row)."""
    later = now + every.interval
    if Periodic.objects.filter(name=every.name, next_at__lte=now).update(next_at=later):
        return True
    _, created = Periodic.objects.get_or_create(name=every.name, defaults={"next_at": later})
    return created


def schedule_tick(
    queues: list[str], now: datetime | None = None, looks: dict[str, datetime] | None = None
) -> list[str]:
    """Enqueue the periodic jobs of these queues that are due and have work; their names.
    `looks` (a worker's own) spares the database a question before a job's interval has
    passed since this worker last asked."""
    now = now or timezone.now()
    looks = {} if looks is None else looks
    enqueued = []
    for every in PERIODIC:
        if not served(every, queues) or looks.get(every.name, now) > now:
            continue
        looks[every.name] = now + every.interval
        if turn_taken(every, now) and every.work(now) and enqueue_once(every.task):
            enqueued.append(every.name)
    return enqueued
