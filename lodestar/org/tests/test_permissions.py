import pytest
from django.contrib.auth.models import AnonymousUser

from lodestar.okrs.services import key_result_create, objective_create
from lodestar.org.permissions import can
from lodestar.strategy.services import strategic_objective_create


@pytest.fixture
def things(world):
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Retain",
    )
    team_okr = objective_create(
        acting=None, cycle=world.cycle, title="Sales OKR", unit=world.sales, owner=world.lead
    )
    private = objective_create(
        acting=None,
        cycle=world.cycle,
        title="My growth",
        owner=world.member,
        visibility="private",
        unit=world.inside_sales,
    )
    key_result = key_result_create(
        acting=None, objective=team_okr, title="Deals", owner=world.member, baseline=0, target=10
    )
    return {"strategic": strategic, "team_okr": team_okr, "private": private, "kr": key_result}


def allowed(world, action, obj) -> set[str]:
    names = ["admin", "strat", "lead", "member", "viewer", "outsider"]
    return {name for name in names if can(getattr(world, name), action, obj)}


EVERYONE = {"admin", "strat", "lead", "member", "viewer", "outsider"}


def test_everyone_signed_in_reads_the_strategy(world, things):
    assert allowed(world, "view", things["strategic"]) == EVERYONE
    assert allowed(world, "view", world.scorecard) == EVERYONE


def test_only_admin_and_strategy_office_change_the_company_scorecard(world, things):
    assert allowed(world, "change", things["strategic"]) == {"admin", "strat"}
    assert allowed(world, "change", world.scorecard) == {"admin", "strat"}


def test_a_lead_changes_strategy_in_the_own_subtree(world):
    from datetime import date

    from lodestar.strategy.services import scorecard_create

    team_card = scorecard_create(
        acting=None,
        unit=world.inside_sales,
        name="Team",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    assert allowed(world, "change", team_card) == {"admin", "strat", "lead"}


def test_team_okrs_are_changed_by_the_team_and_its_lead(world, things):
    assert allowed(world, "change", things["team_okr"]) == {"admin", "strat", "lead", "member"}
    assert allowed(world, "add_okr", world.sales) == {"admin", "strat", "lead", "member"}
    assert allowed(world, "add_okr", world.support) == {"admin", "strat", "outsider"}


def test_a_key_result_is_checked_in_by_its_owner_and_those_over_it(world, things):
    assert allowed(world, "check_in", things["kr"]) == {"admin", "strat", "lead", "member"}
    assert "outsider" not in allowed(world, "check_in", things["kr"])


def test_a_private_objective_is_seen_by_owner_lead_above_and_admin(world, things):
    assert allowed(world, "view", things["private"]) == {"admin", "lead", "member"}


def test_a_manager_sees_a_reports_private_objective(world, things):
    from lodestar.org.services import person_update

    person_update(acting=None, person=world.member, manager=world.outsider)
    assert can(world.outsider, "view", things["private"])


def test_viewers_never_write(world, things):
    for action in ("change", "delete", "check_in", "add"):
        for obj in things.values():
            assert not can(world.viewer, action, obj)


def test_anonymous_and_inactive_people_can_do_nothing(world, things):
    assert not can(AnonymousUser(), "view", things["strategic"])
    world.member.is_active = False
    assert not can(world.member, "view", things["team_okr"])


def test_check_ins_are_append_only_for_everyone_but_admin(world, things):
    from lodestar.okrs.services import checkin_create

    checkin = checkin_create(acting=None, key_result=things["kr"], value=3, confidence=5)
    assert allowed(world, "change", checkin) == {"admin"}
    assert "member" in allowed(world, "view", checkin)
