"""What `/health` says of the jobs: per queue, how many wait and for how long the oldest
has waited, and whether a live worker serves it."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lodestar.jobs.models import WorkerBeat
from lodestar.jobs.worker import BEAT_STALE


@dataclass
class QueueState:
    waiting: int
    oldest_seconds: int | None  # how long the oldest waiting job has waited
    served: bool  # a live worker runs this queue

    def stuck(self) -> bool:
        too_old = (self.oldest_seconds or 0) > settings.JOBS_STALE_AFTER_SECONDS
        return bool(self.waiting) and (not self.served or too_old)


def live_queues(now) -> tuple[int, set[str]]:
    """How many workers beat recently, and the queues they serve ("*": every one)."""
    rows = WorkerBeat.objects.filter(beat_at__gte=now - BEAT_STALE).values_list("queues", flat=True)
    queues = {name for row in rows for name in row.split(",")}
    return len(rows), queues


def queue_states() -> tuple[int, dict[str, QueueState]]:
    now = timezone.now()
    workers, served = live_queues(now)
    waiting = {
        row["queue_name"]: row
        for row in DBTaskResult.objects.ready()
        .order_by()
        .values("queue_name")
        .annotate(count=Count("id"), oldest=Min("enqueued_at"))
    }
    states = {}
    for name in settings.TASKS["default"]["QUEUES"]:
        row = waiting.get(name)
        states[name] = QueueState(
            waiting=row["count"] if row else 0,
            oldest_seconds=int((now - row["oldest"]).total_seconds()) if row else None,
            served="*" in served or name in served,
        )
    return workers, states
