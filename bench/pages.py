"""Page timings on the demo: each strategy page and the dashboard loaded with Django's
test client as the CEO (median and p90 of several loads, and the SQL queries of one).

python bench/pages.py               # SQLite in a temporary folder
python bench/pages.py --save DIR    # also keep each page's HTML and the map's SVG in DIR
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/lodestar_bench python bench/pages.py
"""

import sys
from pathlib import Path

from common import setup_demo_database, timed

REPEAT = 15


def main() -> None:
    setup_demo_database()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from lodestar.org.models import Person, Unit
    from lodestar.strategy.models import Initiative, Measure, Scorecard, StrategicObjective

    client = Client()
    client.force_login(Person.objects.get(username="ceo"))
    company = Scorecard.objects.get(unit__parent__isnull=True)
    pages = {
        "dashboard": reverse("dashboard"),
        "scorecard list": reverse("scorecard-list"),
        "scorecard": reverse("scorecard", args=[company.pk]),
        "strategy map": reverse("strategy-map", args=[company.pk]),
        "strategy map svg": reverse("strategy-map-svg", args=[company.pk]),
        "strategic objective": reverse(
            "strategic-objective", args=[StrategicObjective.objects.get(code="C1").pk]
        ),
        "measure": reverse("measure", args=[Measure.objects.first().pk]),
        "initiative": reverse("initiative", args=[Initiative.objects.first().pk]),
        "heat map": reverse("heatmap"),
        "units": reverse("unit-list"),
        "unit": reverse("unit", args=[Unit.objects.get(name="Customer Success").pk]),
    }
    save = Path(sys.argv[sys.argv.index("--save") + 1]) if "--save" in sys.argv else None
    for label, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if save:
            save.mkdir(parents=True, exist_ok=True)
            suffix = ".svg" if url.endswith(".svg") else ".html"
            (save / (label.replace(" ", "-") + suffix)).write_bytes(response.content)
        timed(f"{label} ({len(queries)} queries)", lambda u=url: client.get(u), repeat=REPEAT)


if __name__ == "__main__":
    main()
