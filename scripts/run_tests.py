"""Runs the whole suite: checks, lint, then pytest on SQLite and on PostgreSQL.

PostgreSQL is TEST_DATABASE_URL when set, else the server on 127.0.0.1:5432 (user
postgres) when one answers. Which databases ran is said plainly at the end. Each pass runs
on TEST_WORKERS parallel workers (pytest-xdist; default 3, 0 for none). The two passes run
at the same time (much of a pass waits: on servers started by tests, browsers, the
database), each writing to var/test-<database>.log, which is printed when it ends;
TEST_PASSES_ONE_BY_ONE=1 runs them one after the other instead.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

LOGS = Path(__file__).resolve().parent.parent / "var"

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/lodestar"


def run(command: list[str], env: dict[str, str] | None = None) -> int:
    print("$", " ".join(command), flush=True)
    return subprocess.call(command, env={**os.environ, **(env or {})})


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES
    try:
        import psycopg

        conninfo = url.rsplit("/", 1)[0] + "/postgres"
        psycopg.connect(conninfo.replace("postgres://", "postgresql://"), connect_timeout=3).close()
    except Exception as error:  # any failure means: no PostgreSQL here
        print(f"PostgreSQL not reachable at {url} ({error.__class__.__name__}): skipped")
        return None
    return url


def run_side_by_side(command: list[str], passes: dict[str, dict[str, str]]) -> dict[str, int]:
    """Each pass in its own process at once, its output in its own log, printed whole when
    it ends (interleaved lines of two runs would be unreadable)."""
    LOGS.mkdir(exist_ok=True)
    running = {}
    for db, env in passes.items():
        log = LOGS / f"test-{db.lower()}.log"
        print(f"$ {' '.join(command)}  # {db}, output in {log}", flush=True)
        handle = log.open("w")
        process = subprocess.Popen(
            command, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT
        )
        running[db] = (process, handle, log, time.monotonic())
    results = {}
    while running:
        for db, (process, handle, log, started) in list(running.items()):
            if process.poll() is None:
                continue
            handle.close()
            minutes = (time.monotonic() - started) / 60
            print(f"\n===== {db} ({minutes:.1f} min) =====\n{log.read_text()}", flush=True)
            results[db] = process.returncode
            del running[db]
        time.sleep(1)
    return results


def main() -> int:
    python = sys.executable
    sqlite = {"DATABASE_URL": "sqlite:///var/test.sqlite3"}
    steps = [
        [python, "-m", "ruff", "check", "."],
        [python, "-m", "ruff", "format", "--check", "."],
        [python, "-m", "lodestar", "check"],
        [python, "-m", "lodestar", "makemigrations", "--check", "--dry-run"],
    ]
    for step in steps:
        if run(step, sqlite):
            return 1
    if not (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    ):
        print(
            "Browser tests: SKIPPED - no Chromium here (apt-get install chromium, or set CHROMIUM)"
        )
    pytest = [python, "-m", "pytest", "-n", os.environ.get("TEST_WORKERS", "3"), *sys.argv[1:]]
    passes = {"SQLite": sqlite}
    url = postgres_url()
    if url:
        passes["PostgreSQL"] = {"DATABASE_URL": url}
    if os.environ.get("TEST_PASSES_ONE_BY_ONE"):
        results = {db: run(pytest, env) for db, env in passes.items()}
    else:
        results = run_side_by_side(pytest, passes)
    print("\n".join(f"{db}: {'passed' if code == 0 else 'FAILED'}" for db, code in results.items()))
    if not url:
        print("PostgreSQL: not run (no server reachable)")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
