"""The embedded default under load: a server on one SQLite file answers 16 people checking
in at once without a 500 ("database is locked"), served by `lodestar runserver` (what
`make run` starts) and by gunicorn with the production config (several processes, one
file). Real HTTP against a real server process; the file is the test database's rows,
copied with VACUUM INTO, so the server needs no migrations of its own.

The p95 is printed (pytest -s); the Monday-morning bench (bench/monday.py) states it at the
demo's size."""

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.db import connection

from lodestar.api.services import api_token_create
from lodestar.okrs.services import key_result_create, objective_create
from lodestar.strategy.services import measure_create, strategic_objective_create

CLIENTS, EACH = 16, 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def key_results(world) -> list[int]:
    """Four key results of one objective serving the scorecard: every check-in rolls up
    through the same objective, perspective and scorecard rows."""
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Keep customers",
    )
    measure = measure_create(acting=None, objective=strategic, name="Churn", baseline=0, target=100)
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Customers stay", unit=world.sales,
        contributes_to=[strategic],
    )  # fmt: skip
    return [
        key_result_create(
            acting=None,
            objective=objective,
            title=f"K{index}",
            owner=world.member,
            baseline=0,
            target=100,
            linked_measure=measure if index == 0 else None,
        ).pk
        for index in range(4)
    ]


def server_command(kind: str, port: int) -> list[str]:
    if kind == "runserver":
        return [sys.executable, "-m", "lodestar", "runserver", f"127.0.0.1:{port}", "--noreload"]
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return [str(gunicorn), "-c", "python:lodestar.gunicorn_conf", "--workers", "4"]


@contextmanager
def served(kind: str, database_url: str, var: Path):
    """The app served by `kind` on a free port on `database_url`; yields its URL and a list
    that holds the server's error output once it has stopped."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LODESTAR_VAR_DIR": str(var),
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    server = subprocess.Popen(
        server_command(kind, port), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url, errors = f"http://127.0.0.1:{port}", []
    try:
        for _ in range(600):
            try:
                requests.get(f"{url}/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        yield url, errors
    finally:
        server.terminate()
        errors.append(server.communicate(timeout=30)[1].decode(errors="replace"))


@pytest.mark.parametrize("kind", ["runserver", "gunicorn"])
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default is SQLite")
@pytest.mark.django_db(transaction=True)  # committed rows, which VACUUM INTO copies
def test_sixteen_people_checking_in_at_once_on_sqlite_meet_no_500(world, tmp_path, kind):
    targets = key_results(world)
    _, token = api_token_create(acting=None, person=world.admin, name="load")
    path = tmp_path / "embedded.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    answers: list[tuple[int, float, str]] = []  # status, ms, the start of the answer
    with served(kind, f"sqlite:///{path}", tmp_path) as (url, errors):
        start = threading.Barrier(CLIENTS)

        def person(number: int) -> None:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
            start.wait()
            for step in range(EACH):
                body = {"key_result": targets[(number + step) % 4], "value": step, "confidence": 7}
                started = time.perf_counter()
                answer = session.post(f"{url}/api/v1/checkins/", json=body, timeout=120)
                ms = (time.perf_counter() - started) * 1000
                answers.append((answer.status_code, ms, answer.text[:300]))

        threads = [threading.Thread(target=person, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    refused = [(status, text) for status, _, text in answers if status != 201]
    assert len(answers) == CLIENTS * EACH
    assert refused == [], (refused[:3], errors[0][-2000:])
    times = sorted(ms for _, ms, _ in answers)
    p95 = times[round(0.95 * (len(times) - 1))]
    median = statistics.median(times)
    print(f"{kind}: {len(times)} check-ins, median {median:.0f} ms, p95 {p95:.0f} ms")


@pytest.mark.parametrize(
    "database_url",
    ["postgres://postgres@127.0.0.1:{port}/gone", "sqlite:///{var}/no-such-folder/gone.sqlite3"],
)
def test_a_database_that_is_really_gone_is_503_with_retry_after_not_500(tmp_path, database_url):
    """No stand-in for the failure: the server is given a database nobody answers for (a
    PostgreSQL port nothing listens on, an SQLite file in a folder that does not exist)."""
    url_of_gone = database_url.format(port=free_port(), var=tmp_path)
    with served("gunicorn", url_of_gone, tmp_path) as (url, _):
        page = requests.get(f"{url}/login/", timeout=30)
        api = requests.get(
            f"{url}/api/v1/units/", headers={"Authorization": "Bearer x"}, timeout=30
        )
    for answer in (page, api):
        assert answer.status_code == 503, (answer.url, answer.status_code, answer.text[:300])
        assert answer.headers["Retry-After"] == "30"
