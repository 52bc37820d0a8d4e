"""No silent overwrite in the services: an update given the version it was read at is
refused when the object changed since, naming who changed it; the check is one
conditional UPDATE, so of two concurrent writers exactly one wins."""

import threading
from datetime import date

import pytest
from django.db import connection

from lodestar.okrs.models import Cycle
from lodestar.okrs.services import cycle_activate, cycle_create, cycle_update
from lodestar.strategy.models import Measure
from lodestar.strategy.services import measure_create, measure_update, strategic_objective_create
from lodestar.validation import ConflictError


@pytest.fixture
def measure(world):
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight customers",
    )
    return measure_create(acting=None, objective=objective, name="NPS", baseline=0, target=50)


def test_every_update_moves_the_version(measure):
    assert measure.version == 1
    measure_update(acting=None, measure=measure, target=60)
    measure_update(acting=None, measure=measure, target=70, expected_version=2)
    assert measure.version == 3
    assert Measure.objects.get(pk=measure.pk).version == 3


def test_a_state_change_is_an_edit_too(db):
    cycle = cycle_create(acting=None, name="Q1", start=date(2027, 1, 1), end=date(2027, 3, 31))
    cycle_activate(acting=None, cycle=cycle)
    assert Cycle.objects.get(pk=cycle.pk).version == cycle.version == 2
    with pytest.raises(ConflictError):
        cycle_update(acting=None, cycle=cycle, name="Q1 2027", expected_version=1)


def test_an_update_of_an_object_changed_since_it_was_read_is_refused(world, measure):
    stale_copy = Measure.objects.get(pk=measure.pk)
    measure_update(acting=world.admin, measure=measure, target=60, expected_version=1)
    with pytest.raises(ConflictError) as refused:
        measure_update(acting=world.strat, measure=stale_copy, target=70, expected_version=1)
    assert refused.value.code == "stale"
    assert refused.value.messages[0].startswith("Admin changed this at ")
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.target, stored.version) == (60, 2)


def test_the_message_names_the_system_and_the_day_when_not_today(db, time_machine):
    time_machine.move_to("2026-11-01 09:00Z", tick=False)
    cycle = cycle_create(acting=None, name="Q1", start=date(2027, 1, 1), end=date(2027, 3, 31))
    time_machine.move_to("2026-11-01 09:30Z", tick=False)
    cycle_update(acting=None, cycle=cycle, name="Q1 2027")
    time_machine.move_to("2026-11-03 10:00Z", tick=False)
    with pytest.raises(ConflictError) as refused:
        cycle_update(acting=None, cycle=cycle, name="Q1 FY27", expected_version=1)
    assert refused.value.messages[0] == (
        "The system changed this on 1 Nov 2026 at 09:30; reload to see the change before saving."
    )


def test_a_version_the_stored_object_never_had_is_refused_before_any_check(measure):
    with pytest.raises(ConflictError):
        measure_update(acting=None, measure=measure, target=float("nan"), expected_version=7)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_writers_with_the_same_version_exactly_one_wins(world):
    measure = measure_create(
        acting=None,
        objective=strategic_objective_create(
            acting=None,
            scorecard=world.scorecard,
            perspective=world.perspective("Customer"),
            name="Delight customers",
        ),
        name="NPS",
        baseline=0,
        target=50,
    )
    writers = 4
    start = threading.Barrier(writers)
    outcomes: list[str] = []

    def write(target: float) -> None:
        copy = Measure.objects.get(pk=measure.pk)  # each read at version 1
        start.wait()
        try:
            measure_update(acting=None, measure=copy, target=target, expected_version=1)
            outcomes.append(f"won {target:g}")
        except ConflictError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(60 + i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [o for o in outcomes if o.startswith("won")]
    assert len(won) == 1 and outcomes.count("refused") == writers - 1
    stored = Measure.objects.get(pk=measure.pk)
    assert stored.version == 2
    assert won == [f"won {stored.target:g}"]
