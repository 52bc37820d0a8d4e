"""Enqueueing with django-tasks: the one helper our code adds to `task.enqueue`."""

from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult


def waiting(task: Task) -> bool:
    """Whether a job of this task waits to be run (enqueued, not yet claimed)."""
    return DBTaskResult.objects.filter(
        status="READY", task_path=task.module_path, queue_name=task.queue_name
    ).exists()


def enqueue_once(task: Task) -> bool:
    """Enqueue a job that takes no arguments (it finds its own work: due sources, due
    deliveries) unless one already waits: asking twice asks once. True when enqueued."""
    if waiting(task):
        return False
    task.enqueue()
    return True
