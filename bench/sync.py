"""Sync time for 2,000 SQL-sourced measures against one SQLite file: the first sync
(12 months of values for each, all new) and a re-sync where nothing changed.

python bench/sync.py                  # SQLite in a temporary folder
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/lodestar_bench python bench/sync.py
BENCH_MEASURES=500 python bench/sync.py
"""

import os
import sqlite3
import tempfile
import time
from pathlib import Path

import common  # noqa: F401  (puts the project on the path)

MEASURES = int(os.environ.get("BENCH_MEASURES", "2000"))
MONTHS = 12


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="lodestar-sync-bench-"))
    warehouse = folder / "warehouse.sqlite3"
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ["SOURCE_DATABASES"] = f"warehouse=sqlite:///{warehouse}"
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
    import django

    django.setup()
    from datetime import date

    from django.core.management import call_command
    from django.utils import timezone

    from lodestar.org.services import unit_create
    from lodestar.sources.models import DataSource
    from lodestar.sources.services import data_source_create
    from lodestar.strategy.models import MeasureValue
    from lodestar.strategy.services import (
        measure_create,
        scorecard_create,
        strategic_objective_create,
    )

    if "postgres" in url:
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)
    year = timezone.localdate().year
    with sqlite3.connect(warehouse) as db:
        db.execute("CREATE TABLE kpi (measure INTEGER, month TEXT, amount REAL)")
        db.execute("CREATE INDEX kpi_measure ON kpi (measure)")
        db.executemany(
            "INSERT INTO kpi VALUES (?, ?, ?)",
            [
                (n, date(year, month, 1).isoformat(), 10 + n % 7 + month)
                for n in range(MEASURES)
                for month in range(1, MONTHS + 1)
            ],
        )
    db.close()
    started = time.perf_counter()
    unit = unit_create(acting=None, name="Bench", kind="company")
    scorecard = scorecard_create(
        acting=None,
        unit=unit,
        name="Bench",
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
    )
    perspectives = list(scorecard.perspectives.all())
    objectives = [
        strategic_objective_create(
            acting=None,
            scorecard=scorecard,
            perspective=perspectives[n % len(perspectives)],
            name=f"Objective {n}",
        )
        for n in range(40)
    ]
    for n in range(MEASURES):
        measure = measure_create(
            acting=None, objective=objectives[n % 40], name=f"KPI {n}", baseline=0, target=40
        )
        data_source_create(
            acting=None,
            measure=measure,
            name=f"KPI {n}",
            kind="sql",
            connection="warehouse",
            query=f"SELECT month AS period, amount AS value FROM kpi WHERE measure = {n}",
        )
    print(f"{MEASURES} measures with SQL sources set up in {time.perf_counter() - started:.1f} s")
    for label in ("first sync (all values new)", "re-sync (nothing changed)"):
        DataSource.objects.update(next_sync_at=None)  # all due
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("sync", stdout=quiet)
        elapsed = time.perf_counter() - started
        print(
            f"lodestar sync, {label}: {elapsed:.1f} s for {MEASURES} measures "
            f"({elapsed / MEASURES * 1000:.1f} ms each; {url.split(':')[0]})"
        )
    assert MeasureValue.objects.count() == MEASURES * MONTHS


if __name__ == "__main__":
    main()
