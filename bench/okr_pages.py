"""Page timings on the demo for the OKR pages, and the check-in POST (the form post and
the fetch variant), with Django's test client: median and p90 of several loads and the
SQL queries of one.

python bench/okr_pages.py
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/lodestar_bench python bench/okr_pages.py
"""

import itertools

from common import setup_demo_database, timed

REPEAT = 15


def main() -> None:
    setup_demo_database()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from lodestar.okrs.models import Cycle, KeyResult, Objective
    from lodestar.org.models import Person

    ceo = Person.objects.get(username="ceo")
    client = Client()
    client.force_login(ceo)
    # A team lead who owns key results, for the pages about one's own work.
    lead = Person.objects.get(username="onb.lead")
    lead_client = Client()
    lead_client.force_login(lead)
    active = Cycle.objects.get(state="active")
    closed = Cycle.objects.filter(state="closed").first()
    # The shared key result with a linked measure: the longest roll-up a check-in makes.
    shared = max(
        KeyResult.objects.filter(cycle=active, linked_measure__isnull=False),
        key=lambda kr: kr.okr_objectives.count(),
    )
    pages = {
        "okr tree": reverse("okr-tree"),
        "okr tree filtered": reverse("okr-tree") + "?status=at_risk",
        "cycles": reverse("cycle-list"),
        "cycle (closed, review)": reverse("cycle", args=[closed.pk]),
        "objective": reverse("objective", args=[Objective.objects.filter(cycle=active).first().pk]),
        "key result": reverse("key-result", args=[shared.pk]),
        "person (CEO)": reverse("person", args=[ceo.pk]),
    }
    own_pages = {
        "my key results (team lead)": reverse("my-key-results"),
        "person (team lead)": reverse("person", args=[lead.pk]),
    }
    for visitor, urls in ((client, pages), (lead_client, own_pages)):
        for label, url in urls.items():
            with CaptureQueriesContext(connection) as queries:
                response = visitor.get(url)
            assert response.status_code == 200, (url, response.status_code)
            timed(
                f"{label} ({len(queries)} queries)",
                lambda u=url, v=visitor: v.get(u),
                repeat=REPEAT,
            )

    values = itertools.count(1)
    checkin = reverse("checkin", args=[shared.pk])

    def post(**headers):
        response = client.post(checkin, {"value": next(values), "confidence": 7}, **headers)
        assert response.status_code in (200, 302), response.status_code

    with CaptureQueriesContext(connection) as queries:
        post()
    timed(f"check-in POST ({len(queries)} queries)", post, repeat=REPEAT)
    timed("check-in fetch (JSON)", lambda: post(HTTP_X_REQUESTED_WITH="fetch"), repeat=REPEAT)


if __name__ == "__main__":
    main()
