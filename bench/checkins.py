"""Check-ins per second over HTTP, against a real server on loopback.

Without --url it starts its own: a fresh SQLite database in a temporary directory,
migrations, the demo organisation, a token for the demo admin, then `lodestar runserver`
on 127.0.0.1. With --url and --token it targets a server you run (e.g. on PostgreSQL).

    python bench/checkins.py [--requests 500] [--threads 4] [--url URL --token TOKEN]
"""

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lodestar(*args: str, env: dict) -> str:
    command = [sys.executable, "-m", "lodestar", *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def start_server(workdir: str) -> tuple[subprocess.Popen, str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        "LODESTAR_VAR_DIR": workdir,
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
    }
    print("Preparing a database with the demo organisation…", flush=True)
    lodestar("migrate", "--no-input", env=env)
    lodestar("demo", env=env)
    token = lodestar("token", "create", "admin", "--name", "bench", env=env).split()[-1]
    url = f"http://127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lodestar",
            "runserver",
            url.removeprefix("http://"),
            "--noreload",
            "--skip-checks",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            requests.get(f"{url}/api/v1/openapi.json", timeout=10)
            return server, url, token
        except requests.RequestException:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("The server did not start.")


def checkin_bodies(url: str, headers: dict, total: int) -> tuple[list[dict], int]:
    """`total` check-in bodies on the active cycle's metric key results (up to 500 of them,
    read through the API), and how many key results they spread over."""
    active = requests.get(f"{url}/api/v1/cycles/?state=active", headers=headers, timeout=10)
    cycle = active.json()["items"][0]["id"]
    listing = requests.get(
        f"{url}/api/v1/key-results/?cycle={cycle}&limit=500", headers=headers, timeout=30
    ).json()["items"]
    key_results = [k for k in listing if k["kind"] == "metric"]
    rng = random.Random(1)
    bodies = []
    for _ in range(total):
        key_result = rng.choice(key_results)
        low, high = sorted((key_result["baseline"], key_result["target"]))
        bodies.append(
            {
                "key_result": key_result["id"],
                "value": round(rng.uniform(low, high), 2),
                "confidence": rng.randint(3, 9),
                "note": "bench",
            }
        )
    return bodies, len(key_results)


def run(url: str, token: str, total: int, threads: int) -> float:
    headers = {"Authorization": f"Bearer {token}"}
    bodies, spread = checkin_bodies(url, headers, total)
    sessions = [requests.Session() for _ in range(threads)]
    for session in sessions:
        session.headers.update(headers)

    def post(index: int) -> int:
        session = sessions[index % threads]
        return session.post(f"{url}/api/v1/checkins/", json=bodies[index], timeout=60).status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        statuses = list(pool.map(post, range(total)))
    elapsed = time.perf_counter() - started
    failures = [s for s in statuses if s != 201]
    if failures:
        raise SystemExit(f"{len(failures)} check-ins failed, e.g. HTTP {failures[0]}")
    rate = total / elapsed
    print(
        f"{total} check-ins over {threads} connections in {elapsed:.2f} s: "
        f"{rate:.1f} requests per second ({spread} key results)"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--url")
    parser.add_argument("--token")
    options = parser.parse_args()
    if options.url:
        if not options.url.startswith(("http://127.0.0.1", "http://localhost")):
            raise SystemExit("The benchmark only talks to a server on loopback.")
        run(options.url, options.token, options.requests, options.threads)
        return
    with tempfile.TemporaryDirectory() as workdir:
        server, url, token = start_server(workdir)
        try:
            run(url, token, options.requests, options.threads)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
