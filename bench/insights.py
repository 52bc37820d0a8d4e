"""Insight cost on the demo: the alerts (what the dashboard and unit pages ask for), the
whole alignment report, every forecast and the weekly digests of all unit leads.

python bench/insights.py            # SQLite in a temporary folder
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/lodestar_bench python bench/insights.py
"""

from common import setup_demo_database, timed


def main() -> None:
    setup_demo_database()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lodestar.insights.alerts import alerts_for
    from lodestar.insights.alignment import alignment_report
    from lodestar.insights.digest import weekly_digests
    from lodestar.insights.forecast import forecasts
    from lodestar.insights.snapshot import load
    from lodestar.org.models import Person

    def fresh(username: str) -> Person:
        return Person.objects.get(username=username)  # no cached permissions

    for username in ("admin", "ae.one"):
        with CaptureQueriesContext(connection) as queries:
            alerts = alerts_for(fresh(username))
        print(f"alerts for {username}: {len(alerts)} alerts, {len(queries)} queries")
        timed(f"alerts for {username}", lambda u=username: alerts_for(fresh(u)), repeat=20)
    timed("whole alignment report (admin)", lambda: alignment_report(fresh("admin")), repeat=20)
    timed("every key result forecast", lambda: forecasts(load(fresh("admin"))), repeat=20)
    timed("weekly digests of every unit lead", weekly_digests, repeat=5)


if __name__ == "__main__":
    main()
