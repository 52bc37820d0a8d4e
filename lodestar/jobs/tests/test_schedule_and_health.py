"""The workers' own schedule enqueues a periodic job only when it has work and none waits,
one turn per interval however many workers ask; /health tells the queues' state."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lodestar.api.models import IdempotentRequest
from lodestar.api.tasks import idempotency_prune
from lodestar.jobs.models import WorkerBeat
from lodestar.jobs.schedule import schedule_tick
from lodestar.jobs.testing import run_jobs
from lodestar.jobs.worker import reap
from lodestar.notify.models import WebhookDelivery
from lodestar.notify.services import webhook_subscription_create
from lodestar.notify.tasks import notify_send, webhooks_send
from lodestar.okrs.services import checkin_create
from lodestar.scores.models import StrategyOwed
from lodestar.scores.tasks import strategy_drain_job
from lodestar.scores.tests.test_concurrent_checkins import key_results, served_objective

ROLLUP = strategy_drain_job.module_path


def waiting(task) -> int:
    return DBTaskResult.objects.ready().filter(task_path=task.module_path).count()


def check_in(world) -> None:
    """A check-in on a key result whose objective serves the strategy."""
    objective, _ = served_objective(world)
    [key_result] = key_results(world, objective, 1)
    checkin_create(acting=None, key_result=key_result, value=3, confidence=6)


def test_the_roll_up_job_is_enqueued_only_while_notes_wait_and_only_once(world, settings):
    settings.ROLLUP_STRATEGY = "queued"
    now = timezone.now()
    assert schedule_tick(["rollup"], now) == []  # nothing owed: no job
    check_in(world)
    assert StrategyOwed.objects.exists()
    later = now + timedelta(seconds=2)
    assert schedule_tick(["rollup"], later) == [ROLLUP]
    # Another worker in the same second: the turn is taken.
    assert schedule_tick(["rollup"], later) == []
    # The next turn: a job still waits, so none is added.
    assert schedule_tick(["rollup"], later + timedelta(seconds=2)) == []
    assert waiting(strategy_drain_job) == 1
    [job] = run_jobs("rollup")
    assert job.status == "SUCCESSFUL" and job.return_value > 0
    assert not StrategyOwed.objects.exists()


def test_a_worker_schedules_only_the_jobs_of_its_queues(world):
    now = timezone.now()
    assert schedule_tick(["imports"], now) == []
    assert schedule_tick(["notify"], now) == [notify_send.module_path]
    assert waiting(notify_send) == 1
    [job] = run_jobs()
    assert job.status == "SUCCESSFUL"


def test_a_due_webhook_delivery_gets_a_job_that_attempts_it(world, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]  # port 9 refuses: a failed attempt
    webhook_subscription_create(acting=None, name="r", url="http://127.0.0.1:9/", events=["*"])
    check_in(world)  # a check-in: deliveries written in its transaction
    due = WebhookDelivery.objects.filter(status="pending").count()
    assert due and schedule_tick(["webhooks"]) == [webhooks_send.module_path]
    [job] = run_jobs("webhooks")
    assert job.return_value == due  # each attempted once
    assert not WebhookDelivery.objects.filter(attempts=0).exists()


def test_health_says_degraded_when_jobs_wait_with_no_worker_or_too_long(client, db, settings):
    answer = client.get("/health").json()
    assert answer["status"] == "ok" and answer["workers"] == 0
    assert answer["queues"]["rollup"] == {"waiting": 0, "oldest_seconds": None, "served": False}
    notify_send.enqueue()
    response = client.get("/health")
    assert response.status_code == 200  # the app still serves: load balancers keep it
    assert response.json()["status"] == "degraded"
    assert response.json()["stuck_queues"] == ["notify"]
    now = timezone.now()
    WorkerBeat.objects.create(
        worker_id="w1", queues="*", host="h", pid=1, started_at=now, beat_at=now
    )
    answer = client.get("/health").json()
    assert answer["status"] == "ok" and answer["workers"] == 1
    assert answer["queues"]["notify"]["waiting"] == 1 and answer["queues"]["notify"]["served"]
    settings.JOBS_STALE_AFTER_SECONDS = 60
    DBTaskResult.objects.update(enqueued_at=now - timedelta(seconds=90))
    answer = client.get("/health").json()
    assert answer["status"] == "degraded" and answer["queues"]["notify"]["oldest_seconds"] >= 90
    WorkerBeat.objects.update(beat_at=now - timedelta(minutes=5))  # the worker died
    assert client.get("/health").json()["workers"] == 0


def test_a_job_whose_worker_stopped_is_marked_failed(db):
    result = notify_send.enqueue()
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim("gone-worker")
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    assert reap(timezone.now(), me="gone-worker") == 0  # a worker knows it is alive
    assert reap(timezone.now()) == 1
    job.refresh_from_db()
    assert job.status == "FAILED" and job.exception_class_path.endswith("WorkerLost")


def test_the_worker_command_names_the_queues_it_knows(db):
    with pytest.raises(CommandError, match="No queue named nope; the queues are default"):
        call_command("worker", queue=["nope"])


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_in_batch_mode_runs_what_waits_and_stops():
    first, other = notify_send.enqueue(), strategy_drain_job.enqueue()
    call_command("worker", queue=["notify"], batch=True, stdout=io.StringIO())
    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert statuses == {first.id: "SUCCESSFUL", other.id: "READY"}  # only its queue
    assert not WorkerBeat.objects.exists()


def test_the_idempotency_keys_are_pruned_by_a_periodic_job_not_cron(world):
    old = IdempotentRequest.objects.create(person=world.member, key="old", fingerprint="f")
    IdempotentRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    IdempotentRequest.objects.create(person=world.member, key="today", fingerprint="f")
    now = timezone.now()
    assert schedule_tick(["default"], now) == [idempotency_prune.module_path]
    assert schedule_tick(["default"], now + timedelta(minutes=30)) == []  # its turn is hourly
    [job] = run_jobs("default")
    assert job.status == "SUCCESSFUL" and job.return_value == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["today"]
    # Nothing expired: the next turn enqueues nothing.
    assert schedule_tick(["default"], now + timedelta(hours=2)) == []
