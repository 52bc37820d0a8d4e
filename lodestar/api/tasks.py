"""The API's housekeeping as a job, enqueued by `lodestar worker`'s schedule (no cron)."""

from django_tasks import task

from lodestar.api.idempotency import prune


@task(queue_name="default")
def idempotency_prune() -> int:
    """Forget the Idempotency-Keys older than 24 hours; how many."""
    return prune()
