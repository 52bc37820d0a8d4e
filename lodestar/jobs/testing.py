"""For tests: run the jobs that wait, now, in this process and this test's transaction.

`lodestar worker --batch` does the same in production's way, but django-tasks-db's loop
closes a connection it finds inside a transaction (as a test's is), so this runs each job
with the worker's own `run_task` after claiming it as the worker claims: the task, its
result row and its error are the real ones."""

from django_tasks_db.models import DBTaskResult

from lodestar.jobs.worker import Worker


def run_jobs(*queues: str) -> list[DBTaskResult]:
    """Run every waiting job (of these queues, or all), jobs they enqueue too; their rows."""
    worker = Worker(queue_names=list(queues) or ["*"], batch=True)
    ran = []
    while True:
        waiting = DBTaskResult.objects.ready()
        if queues:
            waiting = waiting.filter(queue_name__in=queues)
        job = waiting.get_locked()
        if job is None:
            return ran
        job.claim(worker.worker_id)
        worker.run_task(job)
        job.refresh_from_db()
        ran.append(job)
