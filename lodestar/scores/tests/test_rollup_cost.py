"""A write's roll-up costs a fixed number of queries, however many objectives hold the key
result and however deep the cascade above it."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.okrs.models import KeyResult, Objective
from lodestar.okrs.services import (
    checkin_create,
    key_result_create,
    key_result_hold,
    objective_create,
)
from lodestar.org.services import unit_create
from lodestar.scores import bulk
from lodestar.scores.rollup import recompute_all
from lodestar.scores.tests.test_rollup import RandomWrites, stored_scores
from lodestar.strategy.services import (
    measure_create,
    scorecard_create,
    strategic_objective_create,
)

# The roll-up's own statements, plus the history's (the check-in's and the key result's
# rows) and the data version the kept insights read; the forecast is stored by the key
# result's own UPDATE.
CHECKIN_QUERY_LIMIT = 23
# PostgreSQL also takes the holders' row locks (before the read that scores them, so that
# the read sees a concurrent writer's score) and the strategy's advisory lock.
POSTGRESQL_LOCKS = 2
# A linked measure adds its period's value (source of truth, scorecard period, plan,
# lookup, write, history, calculated measures that read it) and its own rescoring.
MEASURE_QUERIES = 14


def cascade(world, levels: int, name: str = "Level") -> list:
    """A chain of strategic objectives, each on the scorecard of a unit one level further
    down, the last the deepest."""
    chain, unit, card = [], world.company, world.scorecard
    for level in range(levels):
        if level:
            unit = unit_create(acting=None, name=f"{name} unit {level}", parent=unit)
            card = scorecard_create(
                acting=None,
                unit=unit,
                name=f"{name} {level}",
                period_start=world.scorecard.period_start,
                period_end=world.scorecard.period_end,
            )
        chain.append(
            strategic_objective_create(
                acting=None,
                scorecard=card,
                perspective=card.perspectives.first(),
                name=f"{name} {level}",
                parent=chain[-1] if chain else None,
            )
        )
    return chain


def shared_key_result(world, holders: int, serves: list, measure=None):
    objectives = [
        objective_create(
            acting=None,
            cycle=world.cycle,
            title=f"O{index}",
            unit=world.sales,
            contributes_to=serves,
            visibility="private" if index % 5 == 4 else "public",
        )
        for index in range(holders)
    ]
    key_result = key_result_create(
        acting=None,
        objective=objectives[0],
        title="Shared",
        owner=world.member,
        baseline=0,
        target=10,
        linked_measure=measure,
    )
    for objective in objectives[1:]:
        key_result_hold(acting=None, objective=objective, key_result=key_result)
    return key_result


def limit() -> int:
    locks = POSTGRESQL_LOCKS if connection.vendor == "postgresql" else 0
    return CHECKIN_QUERY_LIMIT + locks


def checkin_queries(key_result, value: float) -> int:
    with CaptureQueriesContext(connection) as queries:
        checkin_create(acting=None, key_result=key_result, value=value, confidence=7)
    return len(queries)


@pytest.mark.parametrize("with_measure", [False, True])
def test_a_checkin_costs_the_same_for_one_holder_as_for_sixty_four(world, with_measure):
    serves = cascade(world, 2)
    measure = (
        measure_create(acting=None, objective=serves[-1], name="M", baseline=0, target=10)
        if with_measure
        else None
    )
    alone = shared_key_result(world, 1, serves, measure)
    shared = shared_key_result(world, 64, serves, measure)
    # The first check-ins warm the history's content-type cache and move both out of "stale".
    checkin_queries(alone, 2), checkin_queries(shared, 2)
    one, many = checkin_queries(alone, 5), checkin_queries(shared, 6)  # both move alike
    assert one == many
    assert many <= limit() + (MEASURE_QUERIES if with_measure else 0)
    incremental = stored_scores()
    recompute_all()
    assert stored_scores() == incremental


def test_a_cascade_of_five_levels_costs_no_more_than_one_of_two(world):
    shallow = shared_key_result(world, 3, cascade(world, 2)[-1:])
    deep = shared_key_result(world, 3, cascade(world, 5, "Deep")[-1:])
    assert checkin_queries(deep, 5) <= checkin_queries(shallow, 5) + 3
    assert checkin_queries(deep, 6) <= limit()
    incremental = stored_scores()
    recompute_all()
    assert stored_scores() == incremental


def test_a_recompute_writing_through_a_copied_table_repairs_every_score(world, monkeypatch):
    RandomWrites(world, random.Random(3)).run(steps=40)
    expected = stored_scores()
    KeyResult.objects.update(score=None, progress=None)
    Objective.objects.update(score=None)
    monkeypatch.setattr(bulk, "COPY_FROM", 0)  # PostgreSQL's path for thousands of rows
    recompute_all()
    assert stored_scores() == expected
