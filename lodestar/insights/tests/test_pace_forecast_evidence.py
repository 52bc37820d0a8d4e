from datetime import UTC, date, datetime

import pytest
import time_machine

from lodestar import scoring
from lodestar.insights import evidence, forecast, pace
from lodestar.insights.snapshot import load
from lodestar.insights.tests.helpers import NOW, check_in, measure, okr, strategic
from lodestar.okrs.models import KeyResult
from lodestar.strategy.services import link_create


@pytest.fixture(autouse=True)
def at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_gives_every_key_result_and_objective_a_pace(world):
    objective = okr(world, "Mixed", key_results=3)
    never, late, fine = objective.key_results.order_by("title")
    # Added when the cycle began and silent for 46 days since: stale (not "not started").
    KeyResult.objects.filter(pk=never.pk).update(created_at=datetime(2026, 10, 1, tzinfo=UTC))
    check_in(late, 1, date(2026, 11, 10))  # 0.1 against 0.505 expected
    check_in(fine, 5, date(2026, 11, 10))  # 0.5: on track
    snapshot = load(world.admin)
    paces = pace.key_result_paces(snapshot)
    assert paces == {
        never.pk: scoring.Pace.STALE,
        late.pk: scoring.Pace.AT_RISK,
        fine.pk: scoring.Pace.ON_TRACK,
    }
    assert pace.objective_pace(snapshot, objective, paces) == scoring.Pace.STALE


def test_low_confidence_puts_a_key_result_at_risk(world):
    objective = okr(world, "Shaky", key_results=1)
    key_result = objective.key_results.get()
    check_in(key_result, 6, date(2026, 11, 10), confidence=2)
    snapshot = load(world.admin)
    assert pace.key_result_paces(snapshot)[key_result.pk] == scoring.Pace.AT_RISK
    assert [kr for kr, _ in pace.late_key_results(snapshot)] == [key_result]


def test_it_forecasts_a_key_result_to_the_cycle_end_from_its_check_ins(world):
    objective = okr(world, "Steady", key_results=1)
    key_result = objective.key_results.get()
    for day, value in ((date(2026, 10, 8), 1), (date(2026, 10, 15), 2), (date(2026, 10, 22), 3)):
        check_in(key_result, value, day)
    found = forecast.key_result_forecast_from_db(key_result)
    # Days 7, 14, 21 → values 1, 2, 3: one a week, so 91 days in gives 13.
    assert found.forecast.value == pytest.approx(13)
    assert found.forecast.standard_error == pytest.approx(0)
    assert found.score == 1.0
    assert found.forecast.n == 3


def test_it_says_not_enough_check_ins_below_three(world):
    objective = okr(world, "New", key_results=2)
    first, second = objective.key_results.all()
    for day, value in ((date(2026, 10, 8), 1), (date(2026, 10, 15), 2), (date(2026, 10, 22), 4)):
        check_in(first, value, day)
    check_in(second, 1, date(2026, 10, 8))
    snapshot = load(world.admin)
    by_key_result = forecast.forecasts(snapshot)
    assert by_key_result[second.pk].reading == (
        "Not enough check-ins to forecast (1 of the 3 needed)."
    )
    assert by_key_result[first.pk].forecast.standard_error > 0  # 1, 2, 4 is not a line
    assert "between" in by_key_result[first.pk].reading
    summary = forecast.objective_forecast(snapshot, objective, by_key_result)
    assert summary.score is None
    assert summary.reading == "No forecast: 1 of its 2 key results have too few check-ins."


def test_it_forecasts_an_objective_from_its_key_results(world):
    objective = okr(world, "Both", key_results=2)
    for key_result in objective.key_results.all():
        for day, value in (
            (date(2026, 10, 8), 0.5),
            (date(2026, 10, 15), 1),
            (date(2026, 10, 22), 1.5),
        ):
            check_in(key_result, value, day)
    snapshot = load(world.admin)
    summary = forecast.objective_forecast(snapshot, objective, forecast.forecasts(snapshot))
    assert summary.score == pytest.approx(0.65)  # 6.5 of 10 at day 91


def months(values: list[float]) -> dict[date, float]:
    return {date(2026, 1 + index, 1): v for index, v in enumerate(values)}


def test_it_reports_n_lag_and_a_plain_reading_for_each_link(world):
    cause = strategic(world, "Skilled staff", "Learning & Growth")
    effect = strategic(world, "Happy customers")
    moves = [10, 12, 11, 15, 14, 18, 17, 22, 20, 25, 24]
    measure(cause, "Certified", months(moves))
    measure(effect, "NPS", months([10, *moves[:-1]]))  # the same moves a month later
    link_create(acting=None, cause=cause, effect=effect)
    [found] = evidence.link_evidence(load(world.admin))
    assert [(c.lag, c.n) for c in found.correlations] == [(0, 10), (1, 9), (2, 8), (3, 7)]
    assert found.correlations[1].r == pytest.approx(1.0)
    assert found.reading.startswith("Strongest at lag 1: The two strongly move together")
    assert "not proof" in found.reading


def test_it_says_too_little_data_for_short_histories(world):
    cause = strategic(world, "Skilled staff", "Learning & Growth")
    effect = strategic(world, "Happy customers")
    measure(cause, "Certified", months([10, 12, 11, 15]))
    measure(effect, "NPS", months([10, 12, 11, 15]))
    link_create(acting=None, cause=cause, effect=effect)
    [found] = evidence.link_evidence(load(world.admin))
    assert all(c.r is None for c in found.correlations)
    assert found.reading == "Too little data: 3 pairs of changes, 6 needed."


def test_every_check_in_keeps_the_key_results_forecast_as_its_check_ins_make_it(world):
    from lodestar.insights.forecast import key_result_forecast_from_db, stored_forecast
    from lodestar.okrs.models import KeyResult
    from lodestar.okrs.services import cycle_update

    first = okr(world, "Kept", key_results=1).key_results.get()
    for day, value in ((date(2026, 10, 8), 1), (date(2026, 10, 15), 3), (date(2026, 10, 29), 4)):
        check_in(first, value, day)
    kept = KeyResult.objects.get(pk=first.pk)
    assert stored_forecast(kept) == key_result_forecast_from_db(kept)
    assert kept.forecast_points == 3 and kept.forecast_value is not None

    cycle_update(acting=None, cycle=world.cycle, end=date(2027, 1, 31))
    moved = KeyResult.objects.select_related("cycle").get(pk=first.pk)
    assert moved.forecast_value > kept.forecast_value  # a rising line read later
    assert stored_forecast(moved) == key_result_forecast_from_db(moved)
