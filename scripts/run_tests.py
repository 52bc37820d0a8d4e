"""Runs the whole suite: checks, lint, then pytest on SQLite and again on PostgreSQL.

PostgreSQL is TEST_DATABASE_URL when set, else the server on 127.0.0.1:5432 (user
postgres) when one answers. Which databases ran is said plainly at the end. Each pass runs
on TEST_WORKERS parallel workers (pytest-xdist; default 3, 0 for none).
"""

import os
import shutil
import subprocess
import sys

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
    results = {"SQLite": run(pytest, sqlite)}
    url = postgres_url()
    if url:
        results["PostgreSQL"] = run(pytest, {"DATABASE_URL": url})
    print("\n".join(f"{db}: {'passed' if code == 0 else 'FAILED'}" for db, code in results.items()))
    if not url:
        print("PostgreSQL: not run (no server reachable)")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
