"""What the job mechanism keeps beside django-tasks-db's own rows (`DBTaskResult`): who is
working (a heartbeat per worker), when each periodic job was last due, and the imports
people started from the page (with their summary, readable after the job's row is gone)."""

from django.conf import settings
from django.db import models


class WorkerBeat(models.Model):
    """One running `lodestar worker`: it rewrites `beat_at` every few seconds and deletes
    its row when it stops; a row not rewritten for `BEAT_STALE` is a worker that died."""

    worker_id = models.CharField(max_length=64, unique=True)
    queues = models.CharField(max_length=500)  # comma-separated; "*" is every queue
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host} ({self.queues})"


class Periodic(models.Model):
    """When a periodic job (named by its task's path) is next due. Workers claim the turn
    with a conditional UPDATE, so across any number of workers one enqueues it."""

    name = models.CharField(max_length=200, primary_key=True)
    next_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """A confirmed import from the page, run by a worker as the person who confirmed it.
    The file travels in the row (a worker may run on another machine) and is dropped once
    read; what the import did stays, for its person and the admins."""

    class Outcome(models.TextChoices):
        WAITING = "", "waiting or running"
        IMPORTED = "imported", "imported"
        REFUSED = "refused", "refused"
        FAILED = "failed", "failed"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    filename = models.CharField(max_length=255)
    data = models.BinaryField(default=b"")
    task_id = models.CharField(max_length=64, blank=True)  # its DBTaskResult
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    lines = models.JSONField(default=list)  # the report's lines: "units: 3 created"
    problems = models.JSONField(default=list)  # [{sheet, row, column, message}]
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"import of {self.filename} by {self.person_id}"
