"""The list-side visibility querysets agree with the one-object permission check."""

import pytest

from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.okrs.selectors import (
    changeable_okr_objectives,
    visible_checkins,
    visible_key_results,
    visible_objectives,
)
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.org.models import Person
from lodestar.org.permissions import can
from lodestar.org.services import membership_set, person_create

PERSONAS = ["admin", "strat", "lead", "member", "viewer", "outsider"]


@pytest.fixture
def private_okrs(world):
    """Private objectives of every kind of owner and unit, each with a key result."""
    boss = person_create(acting=None, username="boss")
    world.lead.manager = boss
    world.lead.save()
    world.member.manager = world.lead
    world.member.save()
    rep = person_create(acting=None, username="rep")
    membership_set(acting=None, person=rep, unit=world.inside_sales)
    objectives = [
        objective_create(
            acting=None, cycle=world.cycle, title="Sales", unit=world.sales, visibility="private"
        ),
        objective_create(
            acting=None,
            cycle=world.cycle,
            title="Inside",
            unit=world.inside_sales,
            visibility="private",
        ),
        objective_create(
            acting=None,
            cycle=world.cycle,
            title="Support",
            unit=world.support,
            visibility="private",
        ),
        objective_create(
            acting=None, cycle=world.cycle, title="Mine", owner=world.member, visibility="private"
        ),
        objective_create(
            acting=None, cycle=world.cycle, title="Rep's", owner=rep, visibility="private"
        ),
        objective_create(
            acting=None, cycle=world.cycle, title="Lead's", owner=world.lead, visibility="private"
        ),
        objective_create(acting=None, cycle=world.cycle, title="Open", unit=world.support),
    ]
    for objective in objectives:
        key_result = key_result_create(
            acting=None,
            objective=objective,
            title=f"KR of {objective}",
            owner=world.outsider,
            target=10,
        )
        checkin_create(acting=None, key_result=key_result, value=1, confidence=5)
    return world


@pytest.mark.parametrize("persona", [*PERSONAS, "boss"])
def test_the_visible_objectives_are_exactly_those_the_permission_layer_shows(private_okrs, persona):
    person = Person.objects.get(username=persona)
    shown = set(visible_objectives(person))
    assert shown == {o for o in Objective.objects.all() if can(person, "view", o)}
    key_results = set(visible_key_results(person))
    assert key_results == {k for k in KeyResult.objects.all() if can(person, "view", k)}
    assert set(visible_checkins(person)) == {
        c for c in CheckIn.objects.all() if can(person, "view", c)
    }


@pytest.mark.parametrize("persona", [*PERSONAS, "boss", "rep"])
def test_the_changeable_okr_objectives_are_exactly_those_the_permission_layer_lets_change(
    private_okrs, persona
):
    objective_create(
        acting=None, cycle=private_okrs.cycle, title="Member's own", owner=private_okrs.member
    )
    objective_create(
        acting=None, cycle=private_okrs.cycle, title="Outsider's own", owner=private_okrs.outsider
    )
    person = Person.objects.get(username=persona)
    changeable = set(changeable_okr_objectives(person))
    assert changeable == {o for o in Objective.objects.all() if can(person, "change", o)}


def test_reports_of_follows_the_whole_chain_in_one_query(world, django_assert_num_queries):
    from lodestar.okrs.selectors import reports_of

    boss = person_create(acting=None, username="boss")
    world.lead.manager = boss
    world.lead.save()
    world.member.manager = world.lead
    world.member.save()
    with django_assert_num_queries(1):
        assert reports_of(boss) == {world.lead.pk, world.member.pk}
    assert reports_of(world.member) == set()


def test_reports_of_ends_on_a_loop_in_the_chain(world):
    from lodestar.okrs.selectors import reports_of

    Person.objects.filter(pk=world.lead.pk).update(manager=world.member)
    Person.objects.filter(pk=world.member.pk).update(manager=world.lead)
    assert reports_of(world.lead) == {world.member.pk, world.lead.pk}
