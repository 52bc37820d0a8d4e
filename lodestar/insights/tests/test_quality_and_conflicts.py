from datetime import date

import pytest
import time_machine

from lodestar.insights import conflicts, quality
from lodestar.insights.snapshot import load
from lodestar.insights.tests.helpers import NOW, measure, okr, strategic
from lodestar.okrs.services import cycle_create, key_result_create
from lodestar.org.services import person_update, unit_create


@pytest.fixture(autouse=True)
def at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


def issues(world) -> set[tuple[str, str]]:
    return {
        (i.kind, (i.key_result or i.objective).title)
        for i in quality.quality_issues(load(world.admin))
    }


def test_it_flags_objectives_with_fewer_than_two_or_more_than_five_key_results(world):
    okr(world, "One", key_results=1)
    okr(world, "Two", key_results=2)
    okr(world, "Five", key_results=5)
    okr(world, "Six", key_results=6)
    assert issues(world) == {("too_few_key_results", "One"), ("too_many_key_results", "Six")}


def test_it_flags_objectives_owned_by_nobody_or_by_someone_who_left(world):
    okr(world, "Unit's", owner=None)
    okr(world, "Leaver's", owner=world.outsider, unit=world.support)
    person_update(acting=None, person=world.outsider, is_active=False)
    found = issues(world)
    assert ("objective_without_owner", "Unit's") in found
    assert ("objective_without_owner", "Leaver's") in found


def test_it_flags_key_results_left_without_figures_or_owner(world):
    objective = okr(world, "Figures", key_results=1)
    key_result_create(
        acting=None, objective=objective, title="Do better at support", owner=world.outsider
    )
    person_update(acting=None, person=world.outsider, is_active=False)
    reasons = {
        i.key_result.title: i.reason
        for i in quality.quality_issues(load(world.admin))
        if i.kind == "key_result_incomplete"
    }
    assert reasons == {
        "Do better at support": "Lacks an owner and a real baseline and target "
        "(still 0 → 1 with no unit)."
    }


def test_it_tells_activity_key_results_with_the_reason(world):
    objective = okr(world, "Research", key_results=0)
    key_result_create(
        acting=None,
        objective=objective,
        title="Conduct 20 customer interviews",
        owner=world.member,
        baseline=0,
        target=20,
        unit_label="interviews",
    )
    key_result_create(
        acting=None,
        objective=objective,
        title="Raise NPS from 30 to 40",
        owner=world.member,
        baseline=30,
        target=40,
    )
    found = [
        i for i in quality.quality_issues(load(world.admin)) if i.kind == "activity_key_result"
    ]
    assert [(i.key_result.title, i.reason) for i in found] == [
        ("Conduct 20 customer interviews", "Counts interviews produced, not what they change.")
    ]


def test_it_judges_what_a_key_result_states_not_its_kind(world):
    """A milestone that states a result reached is an outcome; hires counted on a metric
    are output (issue 21, finding 9)."""
    objective = okr(world, "Delivery", key_results=0)
    for title, kind, target in (
        ("Lead time brought under two days", "milestone", 1),
        ("GitLab.com available 99.95%", "milestone", 1),
        ("Hire 3 senior engineers", "metric", 3),
        ("Publish 15 blog posts", "metric", 15),
    ):
        key_result_create(
            acting=None,
            objective=objective,
            title=title,
            owner=world.member,
            kind=kind,
            baseline=0,
            target=target,
            unit_label="",
        )
    found = {
        i.key_result.title: i.reason
        for i in quality.quality_issues(load(world.admin))
        if i.kind == "activity_key_result"
    }
    assert found == {
        "Hire 3 senior engineers": "Counts hires, not what the hires achieve.",
        "Publish 15 blog posts": "Counts posts produced, not what they change.",
    }


def test_it_leaves_closed_cycles_out_of_quality_checks(world):
    old = cycle_create(
        acting=None, name="Q3 2026", start=date(2026, 7, 1), end=date(2026, 9, 30), state="closed"
    )
    assert old.state == "closed"
    assert issues(world) == set()


def test_it_finds_key_results_pulling_one_measure_in_opposite_directions(world):
    so = strategic(world, "Improve margin", "Financial")
    margin = measure(so, "Gross margin", {}, baseline=60, target=70)
    raise_it = okr(world, "Finance", key_results=0)
    cut_it = okr(world, "Sales", key_results=0)
    key_result_create(
        acting=None,
        objective=raise_it,
        title="Raise margin",
        owner=world.lead,
        baseline=60,
        target=70,
        linked_measure=margin,
    )
    key_result_create(
        acting=None,
        objective=cut_it,
        title="Discount deals",
        owner=world.member,
        baseline=60,
        target=55,
        linked_measure=margin,
    )
    snapshot = load(world.admin)
    [pull] = conflicts.opposite_pulls(snapshot)
    assert pull.measure == margin
    assert [kr.title for kr in pull.raising] == ["Raise margin"]
    assert [kr.title for kr in pull.lowering] == ["Discount deals"]
    assert [(kr.title, m.name) for kr, m in conflicts.against_measure(snapshot)] == [
        ("Discount deals", "Gross margin")
    ]


def test_it_does_not_see_a_conflict_in_a_guard_rail(world):
    so = strategic(world, "Improve margin", "Financial")
    margin = measure(so, "Gross margin", {}, baseline=60, target=70)
    objective = okr(world, "Finance", key_results=0)
    key_result_create(
        acting=None,
        objective=objective,
        title="Raise margin",
        owner=world.lead,
        baseline=60,
        target=70,
        linked_measure=margin,
    )
    key_result_create(
        acting=None,
        objective=objective,
        title="Keep margin above 50",
        owner=world.lead,
        kind="stay_below",
        baseline=60,
        target=50,
        linked_measure=margin,
    )
    snapshot = load(world.admin)
    assert conflicts.opposite_pulls(snapshot) == []
    assert conflicts.against_measure(snapshot) == []


def test_it_finds_owners_of_more_key_results_than_the_setting_allows(world, settings):
    settings.KEY_RESULTS_PER_OWNER_LIMIT = 6
    okr(world, "Many", key_results=4)  # the helper gives every key result to member
    objective = okr(world, "Few", key_results=3)
    key_result_create(acting=None, objective=objective, title="The lead's own", owner=world.lead)
    assert conflicts.overloaded_owners(load(world.admin)) == [(world.member, 7)]
    settings.KEY_RESULTS_PER_OWNER_LIMIT = 7
    assert conflicts.overloaded_owners(load(world.admin)) == []


def test_it_finds_units_with_no_okrs_in_them_or_below(world):
    okr(world, "Inside", unit=world.inside_sales)
    legal = unit_create(acting=None, name="Legal", kind="department", parent=world.company)
    found = {u.name for u in conflicts.units_without_okrs(load(world.admin))}
    assert found == {"Support", "Legal"}  # Sales and Acme are covered by Inside Sales
    assert legal.name in found
