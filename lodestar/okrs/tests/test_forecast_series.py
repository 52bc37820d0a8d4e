"""The trend's points kept on the key result (issue 22, finding 5): a check-in computes the
forecast from the row in hand, and the figures are exactly those read from the check-ins."""

from datetime import UTC, date, datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.okrs.models import FORECAST_FIELDS, KeyResult
from lodestar.okrs.services import (
    checkin_create,
    cycle_update,
    forecasts_refresh,
    key_result_create,
    objective_create,
)

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
SERIES = [
    (datetime(2026, 10, 8, 9, tzinfo=UTC), 10.0),
    (datetime(2026, 11, 5, 23, 30, tzinfo=UTC), 22.5),
    (datetime(2026, 10, 20, 9, tzinfo=UTC), 14.0),  # dated before the latest: history
    (datetime(2026, 12, 3, 9, tzinfo=UTC), 31.0),
    (None, 33.3),  # now
]


def stored(key_result) -> dict:
    key_result.refresh_from_db()
    return {name: getattr(key_result, name) for name in FORECAST_FIELDS}


def from_checkins(key_result) -> dict:
    """What reading every check-in again gives."""
    fresh = KeyResult.objects.select_related("cycle").get(pk=key_result.pk)
    forecasts_refresh([fresh], fresh.cycle)
    return stored(fresh)


@time_machine.travel(NOW, tick=False)
def test_each_checkin_keeps_the_forecast_its_checkins_give(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title="Users", owner=world.member, target=50
    )
    assert key_result.forecast_series == []
    for at, value in SERIES:
        checkin_create(acting=None, key_result=key_result, value=value, confidence=7, at=at)
        kept = stored(key_result)
        assert kept == from_checkins(key_result)
    assert kept["forecast_points"] == 5 and kept["forecast_value"] is not None
    # The day is the moment's UTC date, as the database hands it back (23:30 on 5 Nov).
    assert [35, 22.5] in kept["forecast_series"]


@time_machine.travel(NOW, tick=False)
def test_a_row_written_in_bulk_reads_its_checkins_once(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title="Users", owner=world.member, target=50
    )
    for at, value in SERIES[:2]:
        checkin_create(acting=None, key_result=key_result, value=value, confidence=7, at=at)
    KeyResult.objects.filter(pk=key_result.pk).update(forecast_series=None)  # unknown

    def checkin_reads(value: float) -> int:
        with CaptureQueriesContext(connection) as captured:
            checkin_create(acting=None, key_result=key_result, value=value, confidence=7)
        return sum('FROM "okrs_checkin"' in q["sql"] for q in captured.captured_queries)

    assert checkin_reads(25) == 1
    assert stored(key_result)["forecast_points"] == 3
    assert checkin_reads(27) == 0
    assert stored(key_result) == from_checkins(key_result)


@time_machine.travel(NOW, tick=False)
def test_moving_the_cycle_moves_the_points(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    key_result = key_result_create(
        acting=None, objective=objective, title="Users", owner=world.member, target=50
    )
    for at, value in SERIES[:2]:
        checkin_create(acting=None, key_result=key_result, value=value, confidence=7, at=at)
    cycle_update(acting=None, cycle=world.cycle, start=date(2026, 9, 1))
    assert stored(key_result)["forecast_series"] == [[37, 10.0], [65, 22.5]]
