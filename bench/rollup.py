"""Roll-up cost on the demo: one check-in (with its linked measure) and a full recompute.

python bench/rollup.py            # SQLite in a temporary folder
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/lodestar_bench python bench/rollup.py
"""

import sys

from common import setup_demo_database, timed


def main() -> None:
    setup_demo_database()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from lodestar.okrs.models import KeyResult
    from lodestar.okrs.services import checkin_create
    from lodestar.scores.rollup import recompute_all

    linked = KeyResult.objects.filter(cycle__state="active", linked_measure__isnull=False).first()
    plain = KeyResult.objects.filter(cycle__state="active", linked_measure__isnull=True).first()
    for label, key_result in (("check-in, linked measure", linked), ("check-in", plain)):
        value = iter(range(10_000))
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            checkin_create(
                acting=None, key_result=key_result, value=key_result.baseline, confidence=7
            )
        print(f"{label}: {len(queries)} queries")
        if "--sql" in sys.argv:
            print("\n".join(q["sql"][:160] for q in queries.captured_queries))
        timed(
            label,
            lambda kr=key_result, v=value: checkin_create(
                key_result=kr, value=kr.baseline + next(v) % 5, confidence=7
            ),
            repeat=50,
        )
    timed("full recompute of the demo", recompute_all, repeat=5)


if __name__ == "__main__":
    main()
