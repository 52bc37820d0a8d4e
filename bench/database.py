"""The benchmark database of a size: built once with `lodestar demo --size`, then reused.

SQLite: var/bench-<size>.sqlite3. PostgreSQL: the database `lodestar_bench_w` on
127.0.0.1 (or BENCH_DATABASE_URL), rebuilt when it holds another size.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
POSTGRES_NAME = "lodestar_bench_w"
# People in each size's organisation (how a reused database says what it holds).
PEOPLE = {"small": 21, "medium": 1_000, "enterprise": 10_000}


def database_url(size: str, db: str) -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if db == "sqlite":
        return f"sqlite:///{ROOT}/var/bench-{size}.sqlite3"
    return f"{POSTGRES}/{POSTGRES_NAME}"


def lodestar(url: str, *args: str, quiet: bool = True) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "lodestar", *args],
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if quiet else None,
    )
    return result.stdout or ""


def people_in(url: str) -> int | None:
    script = "from lodestar.org.models import Person; print(Person.objects.count())"
    try:
        return int(lodestar(url, "shell", "-c", script).split()[-1])
    except (subprocess.CalledProcessError, ValueError, IndexError):
        return None


def recreate(url: str, db: str) -> None:
    if db == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(size: str, db: str) -> tuple[str, float | None]:
    """The database URL, and the build time in seconds when it had to be built."""
    url = database_url(size, db)
    (ROOT / "var").mkdir(exist_ok=True)
    if db == "postgres" and not os.environ.get("BENCH_DATABASE_URL"):
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            if not connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [POSTGRES_NAME]
            ).fetchone():
                connection.execute(f'CREATE DATABASE "{POSTGRES_NAME}"')
    held = people_in(url)
    if held is not None and abs(held - PEOPLE[size]) <= PEOPLE[size] // 10:
        print(f"Reusing the {size} organisation in {url}", flush=True)
        lodestar(url, "migrate", "--no-input")  # built by an older release, perhaps
        return url, None
    if held:
        print(f"{url} holds another organisation ({held} people): rebuilding", flush=True)
        recreate(url, db)
    lodestar(url, "migrate", "--no-input")
    started = time.perf_counter()
    lodestar(url, "demo", "--size", size, quiet=False)
    return url, time.perf_counter() - started
