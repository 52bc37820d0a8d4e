"""`lodestar sources demo`: on an installed demo organisation, three measures fill
themselves: one from SQL (an SQLite file under var/), one from a CSV document, and one
calculated from the first."""

import csv
import sqlite3
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from lodestar.okrs.models import KeyResult
from lodestar.sources.models import DataSource
from lodestar.sources.services import data_source_create
from lodestar.sources.sync import sync
from lodestar.strategy.models import Measure, MeasureValue, Scorecard
from lodestar.strategy.services import measure_create

CSV_PORT = 8765


def demo_sqlite() -> Path:
    return Path(settings.SOURCE_DATABASES["demo"]["NAME"])


def csv_folder() -> Path:
    return Path(settings.VAR_DIR) / "demo-sources"


def candidates(scorecard: Scorecard) -> list[Measure]:
    """Measures people fill today and no key result moves."""
    linked = KeyResult.objects.filter(linked_measure__isnull=False).values("linked_measure")
    return list(
        Measure.objects.filter(objective__scorecard=scorecard, values_from="people")
        .exclude(pk__in=linked)
        .filter(frequency="monthly")
        .order_by("pk")[:2]
    )


def history(measure: Measure) -> list[tuple[str, float]]:
    """The measure's recorded months as the source system has them, with this month's
    figure one per cent further on than what a person typed."""
    rows = [(v.period.isoformat(), v.actual) for v in MeasureValue.objects.filter(measure=measure)]
    this_month = timezone.localdate().replace(day=1).isoformat()
    if rows and rows[-1][0] == this_month:
        rows[-1] = (this_month, round(rows[-1][1] * 1.01, 2))
    elif rows:
        rows.append((this_month, round(rows[-1][1] * 1.01, 2)))
    return rows


def sql_demo(measure: Measure) -> DataSource:
    path = demo_sqlite()
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE IF EXISTS monthly_kpi")
        db.execute("CREATE TABLE monthly_kpi (month TEXT, amount REAL)")
        db.executemany("INSERT INTO monthly_kpi VALUES (?, ?)", history(measure))
    db.close()
    return data_source_create(
        acting=None,
        measure=measure,
        name=f"{measure.name} (warehouse)",
        kind=DataSource.Kind.SQL,
        connection="demo",
        query="SELECT month AS period, amount AS value FROM monthly_kpi ORDER BY month",
        interval_minutes=60,
    )


def csv_url(path: Path) -> str:
    root = settings.SOURCE_FILE_ROOT
    if root and path.resolve().is_relative_to(Path(root).resolve()):
        return path.resolve().as_uri()
    return f"http://127.0.0.1:{CSV_PORT}/{path.name}"


def csv_demo(measure: Measure) -> DataSource:
    folder = csv_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"measure-{measure.pk}.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["month", "value"])
        writer.writerows(history(measure))
    return data_source_create(
        acting=None,
        measure=measure,
        name=f"{measure.name} (CSV export)",
        kind=DataSource.Kind.HTTP,
        url=csv_url(path),
        format=DataSource.Format.CSV,
        period_field="month",
        value_field="value",
        interval_minutes=60,
    )


def calculated_demo(measure: Measure) -> Measure:
    return measure_create(
        acting=None,
        objective=measure.objective,
        name=f"{measure.name}, % of target (calculated)",
        unit_of_measure="%",
        baseline=round(100 * measure.baseline / measure.target, 2) if measure.target else 0,
        target=100,
        values_from=Measure.ValuesFrom.FORMULA,
        formula=f"[M{measure.pk}] / {measure.target:g} * 100",
    )


def sources_demo(say: Callable[[str], None]) -> bool:
    """Returns False when there is no demo or it already fills itself."""
    scorecard = Scorecard.objects.order_by("pk").first()
    if scorecard is None:
        say("No demo organisation: run `lodestar demo` first.")
        return False
    if DataSource.objects.exists():
        say("Data sources are already set up; nothing changed.")
        return False
    picked = candidates(scorecard)
    if len(picked) < 2:
        say("The demo has too few measures that people fill; nothing changed.")
        return False
    sql_measure, csv_measure = picked
    source = sql_demo(sql_measure)
    run = sync(source)
    say(
        f"SQL: “{sql_measure}” from {demo_sqlite()} — {run.rows_accepted} rows, {run.error or 'ok'}"
    )
    try:
        source = csv_demo(csv_measure)
    except ValidationError as error:
        say(
            f"CSV: “{csv_measure}” not set up ({' '.join(error.messages)}). Serve "
            f"{csv_folder()} with `python -m http.server {CSV_PORT} -d {csv_folder()}` and "
            "set SOURCE_ALLOWED_HOSTS=127.0.0.1 and OUTBOUND_ALLOWED_HOSTS=127.0.0.1 (or "
            "SOURCE_FILE_ROOT=var), then run again."
        )
    else:
        run = sync(source)
        outcome = run.error or "ok"
        say(f"CSV: “{csv_measure}” from {source.url} — {run.rows_accepted} rows, {outcome}")
    calculated = calculated_demo(sql_measure)
    say(f"Calculated: “{calculated}” = {calculated.formula}")
    return True
