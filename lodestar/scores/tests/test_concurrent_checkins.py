"""Concurrent check-ins on PostgreSQL: none lost, and the stored scores stay those a
recompute gives (the key result's row lock, the holders' locks, the strategy lock)."""

import threading

import pytest
from django.db import connection

from lodestar.okrs.models import CheckIn, KeyResult
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.scores.rollup import recompute_all
from lodestar.scores.tests.test_rollup import stored_scores
from lodestar.strategy.services import measure_create, strategic_objective_create

THREADS, CHECKINS = 8, 25

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def served_objective(world):
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Keep customers",
    )
    measure = measure_create(acting=None, objective=strategic, name="Churn", baseline=0, target=100)
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Customers stay",
        unit=world.sales,
        contributes_to=[strategic],
    )
    return objective, measure


def key_results(world, objective, count: int, measure=None) -> list[KeyResult]:
    return [
        key_result_create(
            acting=None,
            objective=objective,
            title=f"K{index}",
            owner=world.member,
            baseline=0,
            target=100,
            linked_measure=measure if index == 0 else None,
        )
        for index in range(count)
    ]


def check_in_from_threads(targets: list[KeyResult]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def worker(thread: int) -> None:
        try:
            start.wait()
            for step in range(CHECKINS):
                key_result = targets[(thread + step) % len(targets)]
                checkin_create(
                    acting=None, key_result=key_result, value=thread * CHECKINS + step, confidence=5
                )
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.parametrize("count", [1, 4])
def test_concurrent_checkins_lose_nothing_and_leave_recomputed_scores(world, count):
    objective, measure = served_objective(world)
    targets = key_results(world, objective, count, measure)
    assert check_in_from_threads(targets) == []
    assert CheckIn.objects.count() == THREADS * CHECKINS
    for key_result in targets:
        key_result.refresh_from_db()
        latest = CheckIn.objects.filter(key_result=key_result).latest()
        assert key_result.current == latest.value
    incremental = stored_scores()
    recompute_all()
    assert stored_scores() == incremental
