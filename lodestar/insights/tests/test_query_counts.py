from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.insights.alerts import alerts_for
from lodestar.insights.tests.helpers import NOW, check_in, measure, okr, strategic
from lodestar.org.changes import changed_everything
from lodestar.strategy.services import link_create


@pytest.fixture(autouse=True)
def at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


def add_rows(world, count: int) -> None:
    for index in range(count):
        so = strategic(world, f"Objective {index}")
        measure(so, f"Measure {index}", {date(2026, 9, 1): 1, date(2026, 11, 1): 9})
        objective = okr(world, f"OKR {index}", serves=[so] if index % 2 else [], key_results=3)
        check_in(objective.key_results.first(), 3, date(2026, 11, 2))
        if index:
            link_create(acting=None, cause=so, effect=strategic(world, f"Effect {index}"))


def queries(person) -> tuple[int, int]:
    person = type(person).objects.get(pk=person.pk)  # fresh: no cached permissions
    with CaptureQueriesContext(connection) as context:
        found = alerts_for(person)
    return len(context), len(found)


@pytest.mark.parametrize("persona", ["admin", "lead", "member"])
def test_the_alerts_query_count_does_not_grow_with_the_data(world, persona):
    person = getattr(world, persona)
    add_rows(world, 2)
    alerts_for(person)  # the kept row exists: both counts below compute and rewrite it
    changed_everything()
    few_queries, few_alerts = queries(person)
    for index in range(12):
        so = strategic(world, f"More {index}")
        okr(world, f"More OKR {index}", serves=[so], key_results=index % 7)
    many_queries, many_alerts = queries(person)
    assert many_alerts > few_alerts
    assert many_queries == few_queries
