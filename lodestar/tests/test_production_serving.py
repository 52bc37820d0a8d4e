"""Production serving: /health, request ids on responses and log lines, JSON logs, and
gunicorn with our config serving the app and its collected static files."""

import io
import json
import logging
import re
import socket
import subprocess
import time

import pytest
import requests
from django.conf import settings
from django.utils.module_loading import import_string

from lodestar.request_log import RequestIdFilter
from lodestar.tests.production import PYTHON, production_environment

HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of gunicorn says
PATIENCE = 30  # seconds: the machine may be busy; a worker's first request loads the app


def test_health_answers_ok_without_login(client, db):
    response = client.get("/health")
    assert response.status_code == 200
    answer = response.json()
    assert {key: answer[key] for key in ("status", "database", "workers")} == {
        "status": "ok",  # no job waits, so no worker is missed
        "database": "ok",
        "workers": 0,
    }
    assert answer["queues"]["imports"] == {"waiting": 0, "oldest_seconds": None, "served": False}
    assert "no-cache" in response["Cache-Control"]
    assert client.head("/health").status_code == 200  # as load balancers probe


def test_health_answers_503_when_the_database_cannot_be_reached(tmp_path):
    environment = production_environment(
        tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/missing-folder/db.sqlite3"
    )
    probe = "from django.test import Client; print(Client().get('/health', HTTP_HOST='127.0.0.1'))"
    result = subprocess.run(
        [PYTHON, "-m", "lodestar", "shell", "--no-imports", "-c", probe],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "status_code=503" in result.stdout, result.stderr
    assert "the database does not answer" in result.stderr  # logged with its cause


def test_every_response_carries_a_new_request_id(client, db):
    first, second = client.get("/health")["X-Request-ID"], client.get("/health")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_a_request_id_sent_by_the_proxy_is_kept(client, db):
    response = client.get("/health", headers={"X-Request-ID": "edge-7f3a"})
    assert response["X-Request-ID"] == "edge-7f3a"


def test_a_request_id_that_could_forge_log_lines_is_replaced(client, db):
    response = client.get("/health", headers={"X-Request-ID": "x" * 200})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.fixture
def json_log_lines():
    """The root logger also writes through LOGGING's JSON formatter into a buffer."""
    formatter_config = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(formatter_config.pop("()"))(**formatter_config)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_log_line_written_during_a_request_is_json_with_its_request_id(
    client, world, json_log_lines
):
    client.force_login(world.lead)
    client.get("/no-such-page/", headers={"X-Request-ID": "find-me-1"})
    [line] = [line for line in json_log_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == "find-me-1"
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page/"
    assert {"time", "level", "logger", "message", "request_id"} <= line.keys()


def test_log_lines_outside_a_request_have_no_request_id(json_log_lines):
    logging.getLogger("lodestar.test").warning("between requests")
    [line] = json_log_lines()
    assert line["request_id"] == "-"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lodestar_command(environment: dict[str, str], *arguments: str) -> None:
    subprocess.run(
        [PYTHON, "-m", "lodestar", *arguments, "-v", "0"],
        env=environment,
        check=True,
        timeout=120,
    )


def wait_for_health(url: str, server: subprocess.Popen) -> requests.Response:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped"
        try:
            return requests.get(f"{url}/health", timeout=PATIENCE)
        except requests.ConnectionError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer in {PATIENCE} s")


def test_gunicorn_serves_health_pages_and_static_files_with_json_logs(tmp_path):
    port = free_port()
    environment = production_environment(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path}/lodestar.sqlite3",
        STATIC_ROOT=str(tmp_path / "static"),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        LOG_FORMAT="json",
    )
    lodestar_command(environment, "migrate")
    lodestar_command(environment, "collectstatic", "--noinput")
    gunicorn = [PYTHON, "-m", "gunicorn", "-c", "python:lodestar.gunicorn_conf"]
    server = subprocess.Popen(
        gunicorn, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        health = wait_for_health(url, server)
        assert health.status_code == 200  # over plain HTTP: exempt from the HTTPS redirect
        assert (health.json()["status"], health.json()["database"]) == ("ok", "ok")
        login = requests.get(f"{url}/login/", headers=HTTPS, timeout=PATIENCE)
        assert login.status_code == 200
        stylesheet = re.search(r'href="(/static/web/lodestar\.[0-9a-f]{12}\.css)"', login.text)
        assert stylesheet, "the page links the hashed stylesheet"
        css = requests.get(f"{url}{stylesheet.group(1)}", headers=HTTPS, timeout=PATIENCE)
        assert css.status_code == 200
        assert "immutable" in css.headers["Cache-Control"]
        missing = requests.get(
            f"{url}/no-such-page/", headers={**HTTPS, "X-Request-ID": "trace-404"}, timeout=PATIENCE
        )
        assert missing.headers["X-Request-ID"] == "trace-404"
    finally:
        server.terminate()
        stdout, stderr = server.communicate(timeout=30)
    access = [json.loads(line) for line in stdout.splitlines()]
    assert any(
        line["logger"] == "gunicorn.access" and line["request_id"] == "trace-404" for line in access
    ), stdout
    errors = [json.loads(line) for line in stderr.splitlines()]
    assert any(
        line["logger"] == "django.request" and line["request_id"] == "trace-404" for line in errors
    ), stderr
