"""Import and export time for spreadsheets of 10,000 and 100,000 rows: a generated
organisation (units, a ten-year scorecard with measures, a year's OKR cycle with
objectives and key results) whose rows are mostly its history, check-ins and monthly
measure values, imported as an admin into an empty installation, then exported again.
While the import runs, another connection checks in on a key result of its own every
half second: how long the longest of those waited is what the import costs everyone else.

python bench/exchange.py [ROWS ...] [--one-by-one]   # default 10000 100000; SQLite in a temp folder
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/lodestar_bench python bench/exchange.py

`--one-by-one` imports through the services row by row (the reference path) instead of the
bulk path. `bench/run.py` runs it as the measurement "import" (BENCH_IMPORT_ROWS rows,
10,000 by default) in a separate process on an empty database of the same kind: a
temporary SQLite file, or BENCH_IMPORT_DATABASE_URL (default: the bench database's name +
`_import`).
"""

import json
import os
import signal
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


def setup_database() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='lodestar-bench-')}/bench.sqlite3"
        os.environ["BENCH_DATABASE_URL"] = url  # the prober's process opens the same file
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
    import django

    django.setup()
    return url


def setup_empty_database() -> None:
    url = setup_database()
    from django.core.management import call_command

    if "postgres" in url:
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)


def book_rows(total: int) -> dict[str, list[list]]:
    """`total` rows: ~84 % check-ins, ~15 % monthly measure values, the rest the
    organisation they belong to (units, a scorecard, objectives, measures, key results)."""
    today = date.today()
    start, end = today - timedelta(days=300), today + timedelta(days=65)
    first_month = date(today.year - 10, today.month, 1)  # ten years of finished months
    months = 120
    units = max(2, total // 5000)
    strategic = max(1, total // 5000)
    measures = max(1, total * 15 // 100 // months)
    objectives = max(1, total // 1250)
    key_results = max(1, total // 300)
    structure = units + 1 + 4 + strategic + measures + 1 + objectives + key_results
    checkins = total - structure - measures * months
    rows = {
        "units": [["key", "name", "kind", "parent"], ["u0", "Company", "company", None]]
        + [[f"u{i}", f"Team {i}", "team", "u0"] for i in range(1, units)],
        "scorecards": [
            ["key", "unit", "name", "period_start", "period_end"],
            ["sc", "u0", "Ten years", first_month, date(today.year, today.month, 1)],
        ],
        "perspectives": [["key", "scorecard", "name", "position"]]
        + [[f"p{i}", "sc", name, i] for i, name in enumerate(PERSPECTIVES)],
        "strategic_objectives": [["key", "perspective", "name"]]
        + [[f"s{i}", f"p{i % 4}", f"Strategic objective {i}"] for i in range(strategic)],
        "measures": [["key", "objective", "name", "baseline", "target"]]
        + [[f"m{i}", f"s{i % strategic}", f"Measure {i}", 0, 100] for i in range(measures)],
        # Finished periods lock after a few days: an admin changes them with a comment.
        "measure_values": [["measure", "period", "actual", "comment"]]
        + [
            [f"m{i}", add_months(first_month, month), (i + month) % 100, "imported"]
            for i in range(measures)
            for month in range(months)
        ],
        "cycles": [
            ["key", "name", "start", "end", "state"],
            ["c", "Bench year", start, end, "active"],
        ],
        "objectives": [["key", "cycle", "title", "unit", "contributes_to"]]
        + [
            [f"o{i}", "c", f"Objective {i}", f"u{i % units}", f"s{i % strategic}"]
            for i in range(objectives)
        ],
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
        moment = f"{day.isoformat()}T{8 + step % 10:02d}:{step % 60:02d}:00+00:00"
        rows["checkins"].append([f"k{kr}", moment, step * 3 % 100, 7])
    return rows


PERSPECTIVES = ("Learning", "Processes", "Customers", "Finance")


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class Statements:
    """Counts this thread's SQL statements (a connection's execute wrapper)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Prober:
    """Another writer in its own process (its own connection, its own interpreter: a
    thread would wait on this one's Python, not on the database): a check-in on a key
    result of its own every half second while the import runs; how long each took."""

    def __init__(self, key_result_id: int):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--probe", str(key_result_id)],
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            text=True,
        )

    def stop(self) -> tuple[list[float], list[str]]:
        self.process.send_signal(signal.SIGTERM)
        found = json.loads(self.process.communicate()[0].split(RESULT_PREFIX)[-1])
        return found["waits"], found["failures"]


def probe(key_result_id: int) -> None:
    """The prober's process: check in until told to stop, then print the waits."""
    waits, failures, stopping = [], [], []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    setup_database()
    from lodestar.okrs.models import KeyResult
    from lodestar.okrs.services import checkin_create

    while not stopping:
        time.sleep(0.5)
        started = time.perf_counter()
        try:
            key_result = KeyResult.objects.get(pk=key_result_id)
            checkin_create(acting=None, key_result=key_result, value=1, confidence=5)
        except Exception as error:
            failures.append(repr(error))
        waits.append(time.perf_counter() - started)
    print(RESULT_PREFIX + json.dumps({"waits": waits, "failures": failures[:3]}), flush=True)


def probe_key_result(owner) -> int:
    """A key result outside the workbook, in a cycle still in planning (the import's
    activation closes only running cycles)."""
    from lodestar.okrs.services import cycle_create, key_result_create, objective_create
    from lodestar.org.services import unit_create

    unit = unit_create(acting=None, name="Elsewhere", kind="company")
    today = date.today()
    cycle = cycle_create(acting=None, name="Probe", start=today, end=today + timedelta(days=90))
    objective = objective_create(acting=None, cycle=cycle, title="Probe", unit=unit)
    return key_result_create(
        acting=None, objective=objective, title="Probe", owner=owner, target=10
    ).pk


def exchange_timed(size: int, one_by_one: bool = False, say=lambda line: None) -> dict:
    """Import a workbook of `size` rows into the emptied database while another writer
    checks in, then export it all."""
    from django.core.management import call_command
    from django.db import connection

    from lodestar.exchange.exporter import export_rows, xlsx_bytes
    from lodestar.exchange.importer import import_book
    from lodestar.exchange.reader import read_bytes
    from lodestar.exchange.tests.conftest import workbook
    from lodestar.org.services import person_create

    call_command("flush", "--no-input", verbosity=0)
    admin = person_create(acting=None, username="admin", role="admin")
    probe = probe_key_result(admin)
    data = workbook(book_rows(size))
    started = time.perf_counter()
    book = read_bytes(data, "bench.xlsx")
    read_s = time.perf_counter() - started
    prober, statements = Prober(probe), Statements()
    with connection.execute_wrapper(statements):
        report = import_book(book, acting=admin, say=say, one_by_one=one_by_one)
    import_s = time.perf_counter() - started
    waits, failures = prober.stop()
    assert report.ok, [str(p) for p in report.problems[:5]]
    started = time.perf_counter()
    rows = export_rows(acting=admin)
    exported = xlsx_bytes(rows)
    waits = sorted(waits) or [0.0]
    return {
        "rows": size,
        "path": "one by one" if one_by_one else "bulk",
        "vendor": connection.vendor,
        "workbook_kb": len(data) / 1024,
        "read_s": read_s,
        "import_s": import_s,
        "statements": statements.count,
        "probe_checkins": len(waits) if waits != [0.0] else 0,
        "probe_failures": failures,
        "probe_median_s": waits[len(waits) // 2],
        "probe_max_s": waits[-1],
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


def refused(failures: list[str]) -> str:
    return f", refused: {'; '.join(failures)}" if failures else ""


def main(sizes: list[int], as_json: bool, one_by_one: bool) -> None:
    setup_empty_database()
    for size in sizes:
        say = (lambda line: None) if as_json else (lambda line: print(f"  {line}", flush=True))
        found = exchange_timed(size, one_by_one, say)
        if as_json:
            print(RESULT_PREFIX + json.dumps(found), flush=True)
            continue
        print(
            f"{size:>7} rows ({found['vendor']}, {found['path']}, {found['workbook_kb']:.0f} KB): "
            f"read {found['read_s']:.1f} s, read + validate + import {found['import_s']:.1f} s "
            f"({size / found['import_s']:.0f} rows/s, {found['statements']} statements); "
            f"a concurrent check-in every 0.5 s: {found['probe_checkins']} done, median "
            f"{found['probe_median_s'] * 1000:.0f} ms, longest {found['probe_max_s'] * 1000:.0f} ms"
            f"{refused(found['probe_failures'])}"
            f"; export {found['exported_rows']} rows to XLSX {found['export_s']:.1f} s "
            f"({found['exported_kb']:.0f} KB)",
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        probe(int(sys.argv[2]))
        sys.exit()
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    main(
        [int(arg) for arg in arguments] or [10_000, 100_000],
        "--json" in sys.argv,
        "--one-by-one" in sys.argv,
    )
