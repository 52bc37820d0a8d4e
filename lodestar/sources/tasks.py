"""Syncing the due data sources as a job (queue "sync"): `lodestar worker` enqueues it
while sources are due, and "Sync now" (page and API) enqueues it at once."""

from django_tasks import task

from lodestar.jobs.queue import enqueue_once
from lodestar.sources.sync import sync_due


@task(queue_name="sync")
def sources_sync() -> dict[str, int]:
    """Sync every source due now (those asked for first); how many synced and failed."""
    runs = sync_due()
    return {"synced": len(runs), "failed": sum(1 for run in runs if run.error)}


def sync_soon() -> None:
    """After `sync_request`: a worker syncs it now rather than at its next look."""
    enqueue_once(sources_sync)
