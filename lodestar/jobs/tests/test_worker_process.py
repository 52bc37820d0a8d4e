"""`lodestar worker` as production runs it, on PostgreSQL: its connections killed under it
(as a database restart does), it reconnects, keeps beating and runs the next job."""

import os
import sys
import time

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lodestar.jobs.models import WorkerBeat
from lodestar.scores.tasks import strategy_drain_job
from lodestar.tests.test_multi_server import database_url, process

PATIENCE = 30  # seconds: a worker is back within this after its database was gone

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_terminate_backend kills a worker's connections; SQLite has none to kill",
    ),
    pytest.mark.django_db(transaction=True),
]


def wait_for(check, seconds: float = PATIENCE):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s")


def kill_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_worker_whose_connections_are_killed_reconnects_and_runs_the_next_job():
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "false", "LOG_LEVEL": "ERROR"}
    command = [sys.executable, "-m", "lodestar", "worker", "--queue", "rollup"]
    with process(command, env) as worker:
        beat = wait_for(lambda: WorkerBeat.objects.first())
        assert beat.queues == "rollup" and beat.pid == worker.pid
        first = strategy_drain_job.enqueue()
        wait_for(lambda: DBTaskResult.objects.filter(pk=first.id, status="SUCCESSFUL").exists())

        assert kill_other_connections() >= 1  # the worker's, and its beat's
        killed_at, started = timezone.now(), time.monotonic()
        second = strategy_drain_job.enqueue()
        wait_for(lambda: DBTaskResult.objects.filter(pk=second.id, status="SUCCESSFUL").exists())
        back_after = time.monotonic() - started
        wait_for(lambda: WorkerBeat.objects.filter(beat_at__gt=killed_at).exists())
        assert worker.poll() is None  # still running: nothing had to restart it
    print(f"worker ran a job {back_after:.1f} s after its connections were killed")
    assert back_after < PATIENCE
    assert not WorkerBeat.objects.exists()  # a worker that stops takes its beat away
