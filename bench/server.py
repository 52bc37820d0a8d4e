"""A gunicorn server on loopback for the HTTP measurements, and a token to call it with."""

import io
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

WORKERS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, rollup: str = "queued"):
    """`gunicorn lodestar.wsgi -w 4` on a free port, the strategy roll-up `rollup`
    ("queued": with one `lodestar worker --queue rollup` beside it); yields its URL."""
    url = f"http://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "ROLLUP_STRATEGY": rollup,
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    bind = url.removeprefix("http://")
    command = [
        str(gunicorn),
        "lodestar.wsgi",
        "-w",
        str(WORKERS),
        "-b",
        bind,
        "--log-level",
        "error",
        # A loaded machine may take longer than gunicorn's 30 s to serve a worker's first
        # request (the URL conf is imported then); a killed worker would only start again.
        "--timeout",
        "120",
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    worker = None
    if rollup == "queued":
        worker = subprocess.Popen(
            [sys.executable, "-m", "lodestar", "worker", "--queue", "rollup", "--interval", "0.2"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
    with serving(url, server, worker):
        yield url


@contextmanager
def production(database_url: str, log: Path, workers: list[list[str]], rollup: str = "queued"):
    """gunicorn as production runs it (`-c python:lodestar.gunicorn_conf`: WEB_CONCURRENCY
    workers, two per CPU plus one by default, gunicorn's 30 s timeout) on a free port, its
    error log (where worker timeouts are written) in `log`; beside it one process for each
    `lodestar <worker>` command line (the background jobs), their errors in `log` too.
    Yields the server's URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "ROLLUP_STRATEGY": rollup,
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with open(log, "ab") as errors:
        server = subprocess.Popen(
            [str(gunicorn), "-c", "python:lodestar.gunicorn_conf"],
            env=env,
            stdout=subprocess.DEVNULL,  # the access log: the bench times each request itself
            stderr=errors,
        )
        jobs = [
            subprocess.Popen(
                [sys.executable, "-m", "lodestar", *worker],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
            for worker in workers
        ]
        with serving(f"http://127.0.0.1:{port}", server, *jobs):
            yield f"http://127.0.0.1:{port}"


@contextmanager
def serving(url: str, *processes: subprocess.Popen | None):
    """Waits until the server at `url` answers, yields; stops the processes afterwards."""
    try:
        for _ in range(300):
            try:
                requests.get(f"{url}/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise SystemExit("The server did not start.")
        yield
    finally:
        running = [process for process in processes if process is not None]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=40)  # gunicorn lets a busy worker finish for 30 s
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def api_token(username: str = "admin") -> str:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("token", "create", username, "--name", "bench", stdout=out)
    return out.getvalue().split()[-1]
