"""Private objectives never move a shared figure: execution of a strategic objective,
its perspective and its scorecard are computed from public objectives alone."""

from lodestar.okrs.services import (
    checkin_create,
    key_result_create,
    objective_create,
    objective_update,
)
from lodestar.strategy.models import StrategicObjective
from lodestar.strategy.services import strategic_objective_create


def test_a_private_objective_leaves_execution_as_it_was(world):
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight customers",
    )
    public = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Faster support",
        unit=world.sales,
        contributes_to=[strategic],
    )
    shown = key_result_create(
        acting=None, objective=public, title="Answer in a day", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=shown, value=5, confidence=7)
    before = StrategicObjective.objects.values_list("execution", flat=True).get(pk=strategic.pk)
    assert before == 0.5

    private = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Secret plan",
        owner=world.member,
        contributes_to=[strategic],
        visibility="private",
    )
    hidden = key_result_create(
        acting=None, objective=private, title="Hidden", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=hidden, value=10, confidence=9)
    assert StrategicObjective.objects.get(pk=strategic.pk).execution == before
    world.scorecard.refresh_from_db()
    execution_before = world.scorecard.execution

    objective_update(acting=None, objective=private, visibility="public")
    assert StrategicObjective.objects.get(pk=strategic.pk).execution == 0.75
    objective_update(acting=None, objective=private, visibility="private")
    world.scorecard.refresh_from_db()
    assert world.scorecard.execution == execution_before
