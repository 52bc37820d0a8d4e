"""Several machines on one PostgreSQL: two app servers (gunicorn on two ports) and two
job workers (`lodestar worker`, every queue: each enqueues the periodic webhook and roll-up
jobs itself) under concurrent check-ins spread over both servers lose nothing and do
nothing twice: every check-in is stored once, the stored scores are those a recompute
gives after the drain, every webhook delivery reaches the receiver once. (The reminders'
job claims its rows the same way as the webhook job.)"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests
from django.db import connection

from lodestar.api.services import api_token_create
from lodestar.notify.models import WebhookDelivery
from lodestar.notify.services import webhook_subscription_create
from lodestar.notify.tests.test_webhooks import Receiver
from lodestar.okrs.models import CheckIn
from lodestar.scores.models import StrategyOwed
from lodestar.scores.rollup import recompute_all
from lodestar.scores.tests.test_concurrent_checkins import key_results, served_objective
from lodestar.scores.tests.test_rollup import stored_scores

CLIENTS, CHECKINS_PER_CLIENT = 8, 6
START_SECONDS, DRAIN_SECONDS = 90, 40

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several servers and workers share one database only on PostgreSQL "
        "(SQLite is one file on one machine)",
    ),
    pytest.mark.django_db(transaction=True),
]


def database_url() -> str:
    """The test database as a URL, for the processes started here."""
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def process(command: list[str], env: dict):
    # Their logs go nowhere: the assertions below say what went wrong.
    started = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield started
    finally:
        started.terminate()
        started.wait(timeout=20)


def app_server(stack: ExitStack, env: dict) -> str:
    """An app server as production runs one (lodestar.gunicorn_conf), two processes."""
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "-c", "python:lodestar.gunicorn_conf", "--graceful-timeout", "2"]
    server_env = {**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2"}
    stack.enter_context(process(command, server_env))
    return f"http://127.0.0.1:{port}"


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/health", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not start")


def check_in_over(servers: list[str], secret: str, targets) -> list[str]:
    """Each client posts its check-ins one after another, alternating servers; returns
    what went wrong (nothing, when every answer was 201)."""
    problems: list[str] = []
    start = threading.Barrier(CLIENTS)

    def client(number: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {secret}"
        start.wait()
        for step in range(CHECKINS_PER_CLIENT):
            body = {
                "key_result": targets[(number + step) % len(targets)].pk,
                "value": number * CHECKINS_PER_CLIENT + step,
                "confidence": 6,
                "note": f"client {number} step {step}",
            }
            server = servers[(number + step) % len(servers)]
            answer = session.post(f"{server}/api/v1/checkins/", json=body, timeout=60)
            if answer.status_code != 201:
                problems.append(f"{server}: HTTP {answer.status_code} {answer.text[:200]}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return problems


def drained() -> bool:
    pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
    return not pending.exists() and not StrategyOwed.objects.exists()


@pytest.mark.parametrize("rollup", ["inline", "queued"])
def test_two_servers_and_two_workers_lose_nothing_and_repeat_nothing(world, rollup, settings):
    """Queued: the servers note the strategy they owe and the two workers' roll-up jobs
    refresh it, beside their webhook jobs."""
    objective, measure = served_objective(world)
    targets = key_results(world, objective, 4, measure)
    receiver = Receiver()
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]  # the receiver is local: allowed by name
    webhook_subscription_create(acting=None, name="receiver", url=receiver.url, events=["*"])
    _, secret = api_token_create(acting=None, person=world.admin, name="multi-server")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "ROLLUP_STRATEGY": rollup,
        "OUTBOUND_ALLOWED_HOSTS": "127.0.0.1",
    }
    lodestar = [sys.executable, "-m", "lodestar"]
    with ExitStack() as stack:
        stack.callback(receiver.close)
        servers = [app_server(stack, env), app_server(stack, env)]
        for _ in range(2):
            stack.enter_context(process([*lodestar, "worker", "--interval", "0.2"], env))
        for server in servers:
            wait_until_up(server)
        assert check_in_over(servers, secret, targets) == []
        deadline = time.monotonic() + DRAIN_SECONDS
        while not drained() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert drained()

    notes = list(CheckIn.objects.values_list("note", flat=True))
    expected = {f"client {n} step {s}" for n in range(CLIENTS) for s in range(CHECKINS_PER_CLIENT)}
    assert len(notes) == len(expected) and set(notes) == expected

    incremental = stored_scores()
    recompute_all()
    assert stored_scores() == incremental

    received = Counter(int(hit["headers"]["X-Lodestar-Delivery"]) for hit in receiver.received)
    deliveries = dict(WebhookDelivery.objects.values_list("pk", "attempts"))
    assert received == Counter(deliveries)  # each delivery once, and nothing else
    assert set(deliveries.values()) == {1}
    announced = [
        json.loads(hit["body"])["data"]["checkin"]["id"]
        for hit in receiver.received
        if hit["headers"]["X-Lodestar-Event"] == "checkin.created"
    ]
    assert sorted(announced) == sorted(CheckIn.objects.values_list("pk", flat=True))
