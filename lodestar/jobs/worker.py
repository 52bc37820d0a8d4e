"""`lodestar worker`: django-tasks-db's worker (its claim: `SELECT … FOR UPDATE SKIP LOCKED`
on PostgreSQL, an exclusive transaction on SQLite; several workers never run one job
twice), kept alive and accountable.

- A database error (PostgreSQL restarted, the connection killed, SQLite's file gone for a
  moment) closes the connections, waits 1, 2, 4, 5, 5 … seconds and goes on claiming;
  the job it was running is marked failed once the database answers again.
- A thread beside it beats (`WorkerBeat`, every few seconds: `/health` knows it lives),
  enqueues the periodic jobs of its queues (`schedule`), marks failed the jobs of workers
  that died mid-job (their beat went stale) and prunes old results.
"""

import contextlib
import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connection, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult

from lodestar.jobs.models import WorkerBeat
from lodestar.jobs.schedule import schedule_tick

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
BEAT_EVERY = timedelta(seconds=5)
BEAT_STALE = timedelta(seconds=30)  # a worker not heard of for this long has stopped
REAP_EVERY = timedelta(seconds=30)
PRUNE_EVERY = timedelta(hours=1)
BACKOFF_FIRST, BACKOFF_MOST = 1.0, 5.0


class WorkerLost(Exception):
    """Recorded as the error of a job whose worker stopped while running it."""


def new_worker_id() -> str:
    host = socket.gethostname()[:30]
    return f"{host}-{os.getpid()}-{get_random_string(8)}"


def backoff(seconds: float) -> float:
    """Sleep, and the next wait: doubling, at most BACKOFF_MOST."""
    time.sleep(seconds)
    return min(seconds * 2, BACKOFF_MOST)


def drop_connections() -> None:
    """Close this thread's connections after a database error; the next query reconnects."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DATABASE_ERRORS:
            conn.connection = None  # already dead: forget it


def alive_worker_ids(now) -> set[str]:
    return set(
        WorkerBeat.objects.filter(beat_at__gte=now - BEAT_STALE).values_list("worker_id", flat=True)
    )


def reap(now, me: str = "") -> int:
    """Mark failed the running jobs whose worker stopped beating; how many. A worker never
    reaps its own: on SQLite a long import's transaction may hold up its beat."""
    alive = alive_worker_ids(now) | {me}
    running = DBTaskResult.objects.running().filter(started_at__lt=now - BEAT_STALE)
    reaped = 0
    for job in running:
        if not job.worker_ids or job.worker_ids[-1] not in alive:
            job.set_failed(WorkerLost("The worker running this job stopped before it ended."))
            reaped += 1
    return reaped


def prune() -> None:
    """Finished results leave after a day (failed ones after 14, for the operator)."""
    call_command(
        "prune_db_task_results", queue_name="*", min_age_days=1, failed_min_age_days=14,
        verbosity=0,
    )  # fmt: skip


class Beat(threading.Thread):
    """The worker's second thread: heartbeat, schedule, reaper, pruning. It has its own
    database connection and outlives database errors as the worker does."""

    def __init__(self, worker: "Worker"):
        super().__init__(name="lodestar-worker-beat", daemon=True)
        self.worker = worker
        self.stopping = threading.Event()
        self.looks: dict = {}
        self.next_beat = self.next_reap = self.next_prune = timezone.now()

    def run(self) -> None:
        wait = BACKOFF_FIRST
        while not self.stopping.is_set():
            try:
                self.tick(timezone.now())
                wait = BACKOFF_FIRST
            except DATABASE_ERRORS as error:
                log.warning("worker %s: database error, retrying: %s", self.worker.worker_id, error)
                drop_connections()
                wait = backoff(wait)
                continue
            self.stopping.wait(1)
        connection.close()

    def tick(self, now) -> None:
        if now >= self.next_beat:
            self.beat(now)
            self.next_beat = now + BEAT_EVERY
        schedule_tick(self.worker.queue_names, now, self.looks)
        if now >= self.next_reap:
            if reaped := reap(now, self.worker.worker_id):
                log.warning(
                    "worker %s: %s jobs of stopped workers failed", self.worker.worker_id, reaped
                )
            self.next_reap = now + REAP_EVERY
        if now >= self.next_prune:
            prune()
            WorkerBeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
            self.next_prune = now + PRUNE_EVERY

    def beat(self, now) -> None:
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker.worker_id,
            defaults={"beat_at": now},
            create_defaults={
                "beat_at": now,
                "started_at": now,
                "queues": ",".join(self.worker.queue_names),
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )


class Worker(DatabaseWorker):
    def __init__(self, *, queue_names: list[str], interval: float = 1.0, batch: bool = False):
        super().__init__(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=new_worker_id(),
            excluded_queue_names=[],
        )
        self.interrupted: DBTaskResult | None = None  # the job a database error cut short

    def run(self) -> None:
        beat = None if self.batch else Beat(self)
        if beat:
            beat.start()
        try:
            self.run_surviving()
        finally:
            if beat:
                beat.stopping.set()
                beat.join(timeout=5)
                self.forget()

    def run_surviving(self) -> None:
        """django-tasks-db's loop, begun again after each database error."""
        wait = BACKOFF_FIRST
        while self.running:
            try:
                self.fail_interrupted()
                super().run()
                return  # batch mode: nothing more to run
            except DATABASE_ERRORS as error:
                log.warning("worker %s: database error, retrying: %s", self.worker_id, error)
                drop_connections()
                self.startup_delay = False
                wait = backoff(wait)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except DATABASE_ERRORS:
            self.interrupted = db_task_result  # its failure could not be written yet
            raise

    def fail_interrupted(self) -> None:
        if self.interrupted is not None:
            self.interrupted.set_failed(
                WorkerLost("The database went away while this job ran; it was not finished.")
            )
            self.interrupted = None

    def forget(self) -> None:
        """A worker that stops says so: its beat goes at once."""
        with contextlib.suppress(*DATABASE_ERRORS):  # else it goes stale instead
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
