"""The alignment page on crafted data (the `world` personas cannot share a module with the
demo, whose people have the same usernames)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.conftest import token_client
from lodestar.insights.alerts import alerts_for
from lodestar.insights.tests.helpers import NOW, okr, strategic
from lodestar.org.services import person_create

PAGE = reverse("alignment")


@pytest.fixture(autouse=True)
def at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


def test_its_query_count_does_not_grow_with_the_data(world, signed_in):
    client = signed_in(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(PAGE).status_code == 200
        return len(context)

    client.get(PAGE)  # the kept report's row exists from now on
    okr(world, "First", serves=[strategic(world, "First so")])
    before = count()  # computed again: a write in its unit made the kept report stale
    kept = count()
    for index in range(10):
        okr(world, f"More {index}", serves=[strategic(world, f"SO {index}")], key_results=index % 7)
    # 26: a stale figure's computation first claims its kept row (one computation at a time)
    assert count() == before <= 26
    assert count() == kept <= 10


def test_it_answers_for_an_organisation_with_no_cycle_and_no_scorecard(db, signed_in):
    alone = person_create(acting=None, username="alone", password="pw", role="admin")
    assert alerts_for(alone) == []
    page = signed_in(alone).get(PAGE)
    assert page.status_code == 200
    assert "No alert: nothing needs attention." in page.content.decode()
    api = token_client(alone)
    for path in ("alerts", "alignment", "quality", "conflicts", "pace", "evidence", "digest"):
        assert api.get(f"/api/v1/insights/{path}").status_code == 200, path
    assert api.get("/api/v1/insights/alignment").json()["cycle"] is None
