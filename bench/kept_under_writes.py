"""Kept figures under writes (issue 22): each page read as the admin, quiet and then
right after a check-in in another team (unit A), with how many reads computed a kept
figure (X-Lodestar-Computed) instead of serving it. A check-in in A should leave unit B's
page warm; with INSIGHTS_REFRESH=background the company's pages serve the kept figures
(with their age) while one refresh is queued.

Runs on the database DATABASE_URL names, as it is (build it first, e.g. with
`lodestar demo --size medium`):

    DATABASE_URL=sqlite:///var/bench-medium.sqlite3 INSIGHTS_REFRESH=inline N=10 \
        python bench/kept_under_writes.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "false")  # DEBUG logs every query: not what users run
os.environ.setdefault("STATIC_ROOT", "/tmp/lodestar-bench-static")  # pages need the manifest
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")

N = int(os.environ.get("N", "10"))


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from lodestar.computed import HEADER
    from lodestar.okrs.models import KeyResult
    from lodestar.okrs.services import checkin_create
    from lodestar.org.models import Person, Unit

    call_command("collectstatic", "--no-input", verbosity=0)
    admin = Person.objects.get(username="admin")
    teams = list(Unit.objects.filter(kind="team").order_by("pk"))
    a, b = teams[0], teams[-1]
    key_result = KeyResult.objects.filter(
        holdings__objective__unit=a, cycle__state="active"
    ).first()
    client = Client()
    client.force_login(admin)
    value = [0.0]

    def check_in() -> None:
        value[0] += 1
        checkin_create(
            acting=admin,
            key_result=KeyResult.objects.get(pk=key_result.pk),
            value=value[0],
            confidence=5,
        )

    def run(label: str, url: str, write: bool) -> None:
        client.get(url)
        samples, computed = [], 0
        for _ in range(N):
            if write:
                check_in()
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            computed += HEADER in response.headers
        samples.sort()
        p95 = samples[int(0.95 * (len(samples) - 1))]
        print(
            f"{label:40s} median {statistics.median(samples):8.1f} ms  p95 {p95:8.1f} ms  "
            f"computed {computed}/{N}",
            flush=True,
        )

    mode = os.environ.get("INSIGHTS_REFRESH", "default")
    print(f"unit A={a} (check-ins), unit B={b}; INSIGHTS_REFRESH={mode}")
    pages = (
        ("dashboard", "/"),
        ("unit B", f"/units/{b.pk}/"),
        ("unit A", f"/units/{a.pk}/"),
        ("alignment", "/alignment/"),
    )
    for name, url in pages:
        run(f"{name} quiet", url, False)
        run(f"{name} after a check-in in A", url, True)


if __name__ == "__main__":
    main()
