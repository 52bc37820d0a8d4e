"""The turn of a quarter: who runs the review, early close and activation, grades with
reasons, carry-over and the proposed next cycle."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lodestar.okrs.closing import cycle_carry_over, next_cycle_proposal
from lodestar.okrs.models import CheckIn, Cycle, KeyResult
from lodestar.okrs.services import (
    checkin_create,
    cycle_activate,
    cycle_close,
    cycle_create,
    key_result_create,
    objective_create,
    objective_grade,
)
from lodestar.org.permissions import Action, can
from lodestar.org.services import membership_set, person_create

IN_Q4 = date(2026, 11, 20)
AFTER_Q4 = date(2027, 1, 2)


@pytest.fixture
def ceo(world):
    ceo = person_create(acting=None, username="ceo", password="pw")
    membership_set(acting=None, person=ceo, unit=world.company, role="lead")
    return ceo


@pytest.fixture
def work(world):
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Grow sales", unit=world.sales, owner=world.lead
    )
    deals = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, target=10
    )
    demos = key_result_create(
        acting=None, objective=objective, title="Demos", owner=world.member, target=4
    )
    checkin_create(acting=None, key_result=deals, value=6, confidence=5)
    checkin_create(acting=None, key_result=demos, value=4, confidence=9)
    objective.refresh_from_db()
    return objective, deals, demos


def test_the_review_is_the_strategy_offices_and_the_company_leads_not_a_department_leads(
    world, ceo
):
    assert can(world.strat, Action.REVIEW, world.cycle)
    assert can(ceo, Action.REVIEW, world.cycle)
    assert can(world.admin, Action.REVIEW, world.cycle)
    assert not can(world.lead, Action.REVIEW, world.cycle)
    assert not can(world.member, Action.REVIEW, world.cycle)
    with pytest.raises(PermissionDenied):
        cycle_close(acting=world.lead, cycle=world.cycle, reason="x", today=AFTER_Q4)
    cycle_close(acting=ceo, cycle=world.cycle, today=AFTER_Q4)
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.State.CLOSED and world.cycle.early_close_reason == ""


def test_it_refuses_an_early_close_without_a_reason_and_keeps_the_reason_given(world):
    with pytest.raises(ValidationError) as refused:
        cycle_close(acting=world.strat, cycle=world.cycle, today=IN_Q4)
    assert "closing it early needs a reason" in refused.value.message_dict["reason"][0]
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.State.ACTIVE
    cycle_close(acting=world.strat, cycle=world.cycle, reason="Reorganisation.", today=IN_Q4)
    world.cycle.refresh_from_db()
    assert world.cycle.early_close_reason == "Reorganisation."


def test_it_refuses_an_early_activation_without_a_reason(world):
    q1 = cycle_create(acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31))
    with pytest.raises(ValidationError) as refused:
        cycle_activate(acting=world.strat, cycle=q1, today=IN_Q4)
    assert "reason" in refused.value.message_dict
    q1.refresh_from_db()
    world.cycle.refresh_from_db()
    assert (q1.state, world.cycle.state) == ("planning", "active")
    cycle_activate(acting=world.strat, cycle=q1, reason="New year starts early.", today=IN_Q4)
    q1.refresh_from_db()
    world.cycle.refresh_from_db()
    assert (q1.state, world.cycle.state) == ("active", "closed")
    assert q1.early_activation_reason == world.cycle.early_close_reason


def test_a_grade_other_than_the_score_needs_a_reason_and_the_score_itself_none(world, work):
    objective, _, _ = work
    cycle_close(acting=world.strat, cycle=world.cycle, today=AFTER_Q4)
    objective.refresh_from_db()
    assert objective.final_grade == pytest.approx(0.8)  # (0.6 + 1.0) / 2, kept at close
    with pytest.raises(ValidationError) as refused:
        objective_grade(acting=world.lead, objective=objective, final_grade=0.5, retrospective="")
    assert "0.80" in refused.value.message_dict["grade_reason"][0]
    objective_grade(
        acting=world.lead,
        objective=objective,
        final_grade=0.5,
        retrospective="Two deals were not ours.",
        grade_reason="Two deals came from a partner.",
    )
    objective.refresh_from_db()
    assert (objective.final_grade, objective.grade_reason) == (
        0.5,
        "Two deals came from a partner.",
    )
    objective_grade(acting=world.lead, objective=objective, final_grade=0.8, retrospective="Ok.")
    objective.refresh_from_db()
    assert objective.grade_reason == ""  # back at the score: nothing to explain


def test_the_company_lead_grades_at_close_what_a_department_member_may_not(world, ceo, work):
    objective, _, _ = work
    cycle_close(acting=world.strat, cycle=world.cycle, today=AFTER_Q4)
    objective_grade(
        acting=ceo, objective=objective, final_grade=0.8, retrospective="Reviewed by the CEO."
    )
    with pytest.raises(PermissionDenied):
        objective_grade(
            acting=world.outsider, objective=objective, final_grade=0.8, retrospective="No."
        )


def test_carrying_over_copies_unfinished_key_results_linked_to_their_originals(world, work):
    objective, deals, _finished = work
    cycle_close(acting=world.strat, cycle=world.cycle, today=AFTER_Q4)
    q1 = cycle_create(acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31))
    checkins_before = CheckIn.objects.count()
    [copy] = cycle_carry_over(
        acting=world.lead, source=world.cycle, target=q1, objectives=[objective]
    )
    assert (copy.cycle, copy.carried_from, copy.title) == (q1, objective, "Grow sales")
    [carried] = copy.key_results.all()  # demos was finished: it stays behind
    assert carried.carried_from == deals
    assert (carried.baseline, carried.target, carried.current) == (0, 10, 6)
    assert carried.score == pytest.approx(0.6)
    copy.refresh_from_db()
    assert copy.score == pytest.approx(0.6)
    deals.refresh_from_db()
    objective.refresh_from_db()
    assert (deals.cycle, objective.cycle) == (world.cycle, world.cycle)
    assert objective.final_grade == pytest.approx(0.8)
    assert CheckIn.objects.count() == checkins_before  # the history stays with the original


def test_carrying_a_key_result_twice_adds_nothing_twice(world, work):
    _, deals, demos = work
    q1 = cycle_create(acting=None, name="Q1 2027", start=date(2027, 1, 1), end=date(2027, 3, 31))
    for _ in range(2):
        cycle_carry_over(acting=None, source=world.cycle, target=q1, key_results=[deals, demos])
    assert q1.okr_objectives.count() == 1
    assert set(KeyResult.objects.filter(cycle=q1).values_list("carried_from", flat=True)) == {
        deals.pk,
        demos.pk,
    }


def test_it_refuses_to_carry_into_a_closed_or_earlier_cycle(world, work):
    objective, _, _ = work
    q3 = cycle_create(acting=None, name="Q3 2026", start=date(2026, 7, 1), end=date(2026, 9, 30))
    with pytest.raises(ValidationError) as refused:
        cycle_carry_over(acting=None, source=world.cycle, target=q3, objectives=[objective])
    assert "comes before" in refused.value.message_dict["target"][0]
    assert not q3.okr_objectives.exists()


def test_the_next_cycle_is_the_following_quarter(world):
    assert next_cycle_proposal() == next_cycle_proposal()  # Q4 2026 is the latest
    proposal = next_cycle_proposal()
    assert (proposal.name, proposal.start, proposal.end) == (
        "Q1 2027",
        date(2027, 1, 1),
        date(2027, 3, 31),
    )
    cycle_create(acting=None, name="Q1 2027", start=proposal.start, end=proposal.end)
    assert next_cycle_proposal().name == "Q2 2027"
    assert next_cycle_proposal().end == date(2027, 6, 30)
