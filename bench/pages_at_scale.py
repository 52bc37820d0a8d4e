"""The read paths at scale: each page timed through Django's test client as the admin,
with its SQL queries and its floor, the raw SQL that fetches what the page shows, timed
alone (the page can hardly be faster than its floor); and the cycle's review as PDF.

Runs on the database DATABASE_URL names, as it is (build it first, e.g. with
`lodestar demo --size enterprise`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lodestar_bench_r python bench/pages_at_scale.py

Each `measure_<page>(client)` returns dict(name, median_ms, p95_ms, queries, floor_ms,
kilobytes), fields of `bench.registry.Result`: `bench/run.py` runs them all as the
measurement "pages" (and "review PDF").
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from registry import Bench, Result, measurement

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))


def samples_of(action: Callable[[], object], repeat: int = REPEAT) -> list[float]:
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        found.append((time.perf_counter() - started) * 1000)
    return sorted(found)


def p95(samples: list[float]) -> float:
    return samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def floor_ms(statements: list[tuple[str, list]]) -> float | None:
    """Median time of running the statements one after the other, fetching every row."""
    from django.db import connection

    if not statements:
        return None

    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return statistics.median(samples_of(run))


def measure(
    client, name: str, url: str, floor: list[tuple[str, list]], headers=None, repeat=REPEAT
) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = headers or {}
    client.get(url, headers=headers)  # warm: kept alerts written, as most readers find them
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url, headers=headers)
    count = len(queries)  # now: the log it reads is cleared by the next request
    assert answer.status_code == 200, (url, answer.status_code)
    samples = samples_of(lambda: client.get(url, headers=headers), repeat)
    floor_median = floor_ms(floor)
    return {
        "name": name,
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(p95(samples), 1),
        "queries": count,
        "floor_ms": None if floor_median is None else round(floor_median, 1),
        "kilobytes": round(len(answer.content) / 1024, 1),
    }


def active_cycle_id() -> int:
    from lodestar.okrs.models import Cycle

    return Cycle.objects.filter(state=Cycle.State.ACTIVE).values_list("pk", flat=True).first()


def department():
    from lodestar.org.models import Unit

    return Unit.objects.filter(kind="department").order_by("pk").first()


# What the insights read of the active cycle: its key results' pace inputs and the
# objectives holding them (the alerts are computed from these).
def insight_floor(cycle_id: int) -> list[tuple[str, list]]:
    return [
        (
            "SELECT o.id, o.title, o.unit_id, o.owner_id, o.parent_id, o.visibility "
            "FROM okrs_objective o WHERE o.cycle_id = %s",
            [cycle_id],
        ),
        (
            "SELECT h.objective_id, k.id, k.title, k.score, k.last_checkin_at, "
            "k.latest_confidence, k.owner_id, k.linked_measure_id FROM okrs_objectivekeyresult h "
            "JOIN okrs_keyresult k ON k.id = h.key_result_id WHERE k.cycle_id = %s",
            [cycle_id],
        ),
    ]


def measure_dashboard(client) -> dict:
    cycle = active_cycle_id()
    floor = [
        (
            "SELECT s.id, s.score, s.execution FROM strategy_scorecard s "
            "JOIN org_unit u ON u.id = s.unit_id WHERE u.parent_id IS NULL",
            [],
        ),
        ("SELECT id, name, score, execution FROM strategy_perspective", []),
        (
            "SELECT count(*), avg(score) FROM okrs_objective WHERE cycle_id = %s "
            "AND visibility = 'public'",
            [cycle],
        ),
    ]
    return measure(client, "dashboard", "/", floor)


def okr_tree_floor(cycle: int) -> list[tuple[str, list]]:
    return [
        (
            "SELECT id, parent_id, unit_id, owner_id, score FROM okrs_objective "
            "WHERE cycle_id = %s",
            [cycle],
        ),
        (
            "SELECT o.id, o.title, o.score, k.id, k.title, k.score FROM okrs_objective o "
            "LEFT JOIN okrs_objectivekeyresult h ON h.objective_id = o.id "
            "LEFT JOIN okrs_keyresult k ON k.id = h.key_result_id "
            "WHERE o.cycle_id = %s AND o.parent_id IS NULL",
            [cycle],
        ),
    ]


def measure_okr_tree(client) -> dict:
    return measure(client, "okr tree", "/okrs/", okr_tree_floor(active_cycle_id()))


def measure_okr_tree_ceo(_admin) -> dict:
    """The tree as the company's lead reads it: it opens at the reader's units, and the
    CEO's is the whole company (the admin's opens at none)."""
    from django.test import Client

    from lodestar.org.models import Person

    ceo = (
        Person.objects.filter(memberships__role="lead", memberships__unit__parent__isnull=True)
        .order_by("pk")
        .first()
    )
    client = Client()
    client.force_login(ceo)
    return measure(client, "okr tree (CEO)", "/okrs/", okr_tree_floor(active_cycle_id()))


def measure_alignment(client) -> dict:
    return measure(client, "alignment", "/alignment/", insight_floor(active_cycle_id()))


def measure_unit_page(client) -> dict:
    unit = department()
    cycle = active_cycle_id()
    floor = [
        (
            "WITH RECURSIVE below(id) AS (SELECT id FROM org_unit WHERE id = %s UNION "
            "SELECT u.id FROM org_unit u JOIN below b ON u.parent_id = b.id) "
            "SELECT o.id, o.title, o.score FROM okrs_objective o "
            "WHERE o.cycle_id = %s AND o.unit_id IN (SELECT id FROM below)",
            [unit.pk, cycle],
        ),
        ("SELECT id, name, score FROM strategy_scorecard WHERE unit_id = %s", [unit.pk]),
    ]
    return measure(client, "unit page (department)", f"/units/{unit.pk}/", floor)


def measure_cycle_review(client) -> dict:
    cycle = active_cycle_id()
    floor = [
        (
            "SELECT o.id, o.title, o.score, o.final_grade FROM okrs_objective o "
            "LEFT JOIN org_unit u ON u.id = o.unit_id WHERE o.cycle_id = %s "
            "ORDER BY u.name, o.title LIMIT 100",
            [cycle],
        ),
        (
            "SELECT kind, count(*) FROM okrs_objective WHERE cycle_id = %s GROUP BY kind",
            [cycle],
        ),
    ]
    return measure(client, "cycle review", f"/cycles/{cycle}/", floor)


def measure_alerts_api(client) -> dict:
    return measure(
        client, "api insights/alerts", "/api/v1/insights/alerts", insight_floor(active_cycle_id())
    )


def measure_key_results_api(client) -> dict:
    floor = [("SELECT * FROM okrs_keyresult ORDER BY id LIMIT 51", [])]
    return measure(client, "api key-results ?limit=50", "/api/v1/key-results/?limit=50", floor)


def measure_review_pdf(client) -> dict:
    """The cycle's integrated review as PDF; its floor is the same review as HTML (what
    the PDF costs on top of the page)."""
    cycle = active_cycle_id()
    html = measure(client, "review html", f"/cycles/{cycle}/report/", [], repeat=3)
    found = measure(client, "review PDF", f"/cycles/{cycle}/report.pdf", [], repeat=3)
    return {**found, "floor_ms": html["median_ms"]}


MEASURES = [
    measure_dashboard,
    measure_okr_tree,
    measure_okr_tree_ceo,
    measure_alignment,
    measure_unit_page,
    measure_cycle_review,
    measure_alerts_api,
    measure_key_results_api,
]


def signed_in_client():
    from django.test import Client

    from lodestar.org.models import Person

    reader = (
        Person.objects.filter(username="admin").first()
        or Person.objects.filter(role=Person.Role.ADMIN, is_active=True).order_by("pk").first()
    )
    client = Client()
    client.force_login(reader)
    return client


@measurement("pages")
def pages(bench: Bench) -> list[Result]:
    client = signed_in_client()
    return [Result(**measure_page(client)) for measure_page in MEASURES]


@measurement("review PDF")
def review_pdf(bench: Bench) -> list[Result]:
    return [Result(**measure_review_pdf(signed_in_client()))]


def main() -> None:
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    if active_cycle_id() is None:
        print("pages_at_scale: no active cycle in this database; build a demo first")
        return
    client = signed_in_client()
    print(f"{'page':32} {'median':>9} {'p95':>9} {'queries':>8} {'floor':>8} {'size':>8}")
    for measure_page in [*MEASURES, measure_review_pdf]:
        found = measure_page(client)
        floor = "" if found["floor_ms"] is None else f"{found['floor_ms']:.1f}ms"
        print(
            f"{found['name']:32} {found['median_ms']:>7.1f}ms {found['p95_ms']:>7.1f}ms "
            f"{found['queries']:>8} {floor:>8} {found['kilobytes']:>6.0f}KB",
            flush=True,
        )


if __name__ == "__main__":
    main()
