"""Import and export time for spreadsheets of 10,000 and 100,000 rows: units, OKR
objectives, key results and a dated check-in history (most rows), imported through the
services into an empty installation, then exported again.

python bench/exchange.py [ROWS ...]     # default 10000 100000; SQLite in a temporary folder
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/lodestar_bench python bench/exchange.py

`bench/run.py` runs it as the measurement "import" (BENCH_IMPORT_ROWS rows, 10,000 by
default) in a separate process on an empty database of the same kind: a temporary SQLite
file, or BENCH_IMPORT_DATABASE_URL (default: the bench database's name + `_import`).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from registry import Bench, Result, measurement

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
RESULT_PREFIX = "result: "  # the line the runner reads back


def setup_empty_database() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='lodestar-bench-')}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if "postgres" in url:
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)


def book_rows(total: int) -> dict[str, list[list]]:
    """`total` rows: 1 % units, 4 % objectives, 15 % key results, 80 % check-ins."""
    today = date.today()
    start, end = today - timedelta(days=300), today + timedelta(days=65)
    units = max(1, total // 100)
    objectives = max(1, total * 4 // 100)
    key_results = max(1, total * 15 // 100)
    checkins = total - units - objectives - key_results - 1
    rows = {
        "units": [["key", "name", "kind", "parent"], ["u0", "Company", "company", None]]
        + [[f"u{i}", f"Team {i}", "team", "u0"] for i in range(1, units)],
        "cycles": [
            ["key", "name", "start", "end", "state"],
            ["c", "Bench year", start, end, "active"],
        ],
        "objectives": [["key", "cycle", "title", "unit"]]
        + [[f"o{i}", "c", f"Objective {i}", f"u{i % units}"] for i in range(objectives)],
        "key_results": [["key", "objective", "title", "baseline", "target", "weight"]]
        + [
            [f"k{i}", f"o{i % objectives}", f"Key result {i}", 0, 100, 1 + i % 3]
            for i in range(key_results)
        ],
        "checkins": [["key_result", "at", "value", "confidence"]],
    }
    per_kr = max(1, checkins // key_results)
    for i in range(checkins):
        kr, step = i % key_results, i // key_results
        day = start + timedelta(days=1 + (280 * step) // per_kr)
        rows["checkins"].append(
            [f"k{kr}", f"{day.isoformat()}T09:00:{step % 60:02d}+00:00", step * 3 % 100, 7]
        )
    return rows


def exchange_timed(size: int) -> dict:
    """Import a workbook of `size` rows into the emptied database, then export it all."""
    from django.core.management import call_command
    from django.db import connection

    from lodestar.exchange.exporter import export_rows, xlsx_bytes
    from lodestar.exchange.importer import import_book
    from lodestar.exchange.reader import read_bytes
    from lodestar.exchange.tests.conftest import workbook
    from lodestar.org.services import person_create

    call_command("flush", "--no-input", verbosity=0)
    admin = person_create(acting=None, username="admin", role="admin")
    data = workbook(book_rows(size))
    started = time.perf_counter()
    book = read_bytes(data, "bench.xlsx")
    read_s = time.perf_counter() - started
    report = import_book(book, acting=admin, say=lambda line: None)
    import_s = time.perf_counter() - started
    assert report.ok, [str(p) for p in report.problems[:5]]
    started = time.perf_counter()
    rows = export_rows(acting=admin)
    exported = xlsx_bytes(rows)
    return {
        "rows": size,
        "vendor": connection.vendor,
        "workbook_kb": len(data) / 1024,
        "read_s": read_s,
        "import_s": import_s,
        "export_s": time.perf_counter() - started,
        "exported_rows": sum(len(sheet) for sheet in rows.values()),
        "exported_kb": len(exported) / 1024,
    }


def scratch_database_url(bench: Bench) -> str:
    """An empty database of the bench's kind: the import flushes the one it runs on."""
    if os.environ.get("BENCH_IMPORT_DATABASE_URL"):
        return os.environ["BENCH_IMPORT_DATABASE_URL"]
    if bench.db == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='lodestar-import-')}/import.sqlite3"
    import psycopg

    server, name = bench.database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [f"{name}_import"]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}_import"')
    return f"{server}/{name}_import"


@measurement("import")
def import_and_export(bench: Bench) -> list[Result]:
    env = {**os.environ, "BENCH_DATABASE_URL": scratch_database_url(bench)}
    output = subprocess.run(
        [sys.executable, __file__, str(IMPORT_ROWS), "--json"],
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    found = json.loads(output.split(RESULT_PREFIX)[-1])
    return [
        Result(
            f"import {found['rows']:,} rows (XLSX)",
            found["import_s"] * 1000,
            found["import_s"] * 1000,
            None,
            None,
            found["rows"] / found["import_s"],
            found["workbook_kb"],
        ),
        Result(
            f"export {found['exported_rows']:,} rows (XLSX)",
            found["export_s"] * 1000,
            found["export_s"] * 1000,
            None,
            None,
            found["exported_rows"] / found["export_s"],
            found["exported_kb"],
        ),
    ]


def main(sizes: list[int], as_json: bool) -> None:
    setup_empty_database()
    for size in sizes:
        found = exchange_timed(size)
        if as_json:
            print(RESULT_PREFIX + json.dumps(found), flush=True)
            continue
        print(
            f"{size:>7} rows ({found['vendor']}, {found['workbook_kb']:.0f} KB): read "
            f"{found['read_s']:.1f} s, read + validate + import {found['import_s']:.1f} s "
            f"({size / found['import_s']:.0f} rows/s); export {found['exported_rows']} rows to "
            f"XLSX {found['export_s']:.1f} s ({found['exported_kb']:.0f} KB)",
            flush=True,
        )


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if arg != "--json"]
    main([int(arg) for arg in arguments] or [10_000, 100_000], "--json" in sys.argv)
