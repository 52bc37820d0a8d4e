from datetime import date

import pytest
import time_machine

from lodestar.insights import execution, gaps
from lodestar.insights.snapshot import load
from lodestar.insights.tests.helpers import NOW, check_in, measure, okr, strategic
from lodestar.okrs.models import Cycle
from lodestar.okrs.services import cycle_close, cycle_create, objective_grade
from lodestar.strategy.services import scorecard_create


@pytest.fixture(autouse=True)
def at_noon():
    with time_machine.travel(NOW, tick=False):
        yield


def titles(found) -> set[str]:
    return {o.title for o in found}


def test_it_finds_an_okr_with_no_path_to_the_strategy(world):
    okr(world, "Tidy the office")
    assert titles(gaps.orphan_objectives(load(world.admin))) == {"Tidy the office"}


def test_it_follows_parent_okrs_to_the_strategy(world):
    served = strategic(world, "Retain customers")
    parent = okr(world, "Keep customers", serves=[served])
    middle = okr(world, "Call every account", parent=parent)
    okr(world, "Call the top ten", parent=middle)
    assert gaps.orphan_objectives(load(world.admin)) == []


def test_it_ignores_orphans_of_other_cycles(world):
    old = cycle_create(acting=None, name="Q3 2026", start=date(2026, 7, 1), end=date(2026, 9, 30))
    okr(world, "Last quarter's thing", cycle=old)
    assert gaps.orphan_objectives(load(world.admin)) == []


def test_it_finds_strategic_objectives_no_okr_serves(world):
    served = strategic(world, "Retain customers")
    strategic(world, "Grow revenue", "Financial")
    okr(world, "Keep customers", serves=[served])
    assert {str(so) for so in gaps.unserved_objectives(load(world.admin))} == {"Grow revenue"}


def test_it_counts_a_cascaded_child_served_as_serving_its_parent(world):
    parent = strategic(world, "Retain customers")
    unit_card = scorecard_create(
        acting=None,
        unit=world.sales,
        name="Sales FY",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    child = strategic(
        world,
        "Renew every contract",
        scorecard=unit_card,
        perspective_obj=unit_card.perspectives.get(name="Customer"),
        parent=parent,
    )
    okr(world, "Renewals", serves=[child])
    assert gaps.unserved_objectives(load(world.admin)) == []


def test_it_names_a_starved_perspective(world):
    customer = strategic(world, "Retain customers")
    process = strategic(world, "Ship often", "Internal Process")
    learning = strategic(world, "Learn", "Learning & Growth")
    money = strategic(world, "Grow revenue", "Financial")
    for index in range(3):
        okr(world, f"Customer {index}", serves=[customer])
        okr(world, f"Process {index}", serves=[process])
        okr(world, f"Learning {index}", serves=[learning])
    okr(world, "Money", serves=[money], weight=3)
    balance = {e.name: e for e in gaps.perspective_balance(load(world.admin))}
    # 10 OKRs over 4 perspectives: a fair share is 25 %, starved below 12.5 %.
    assert balance["Financial"].verdict == "starved"
    assert (balance["Financial"].objectives, balance["Financial"].weight) == (1, 3.0)
    assert balance["Financial"].share == 0.1
    assert balance["Customer"].verdict == "balanced"


def test_it_names_an_over_served_perspective(world):
    customer = strategic(world, "Retain customers")
    money = strategic(world, "Grow revenue", "Financial")
    for index in range(5):
        okr(world, f"Customer {index}", serves=[customer])
    okr(world, "Money", serves=[money])
    balance = {e.name: e.verdict for e in gaps.perspective_balance(load(world.admin))}
    assert balance["Customer"] == "over-served"  # 5 of 6, above double the fair 25 %
    assert balance["Learning & Growth"] == "starved"


def test_it_does_not_judge_balance_on_too_few_okrs(world):
    customer = strategic(world, "Retain customers")
    okr(world, "Only one", serves=[customer])
    verdicts = {e.verdict for e in gaps.perspective_balance(load(world.admin))}
    assert verdicts == {"too few OKRs to judge"}


# Strategy-execution gap -------------------------------------------------------------
SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


def on_pace_okr(world, title, serves):
    objective = okr(world, title, serves=serves, key_results=1)
    key_result = objective.key_results.get()
    check_in(key_result, 6, date(2026, 11, 10))  # 0.6 against 0.505 expected
    return objective


def test_it_finds_execution_without_impact_in_the_active_cycle(world):
    flat = strategic(world, "Keep great people", "Learning & Growth")
    measure(
        flat, "Attrition", {SEP: 12, OCT: 12.1, NOV: 11.9}, baseline=12, target=6, direction="lower"
    )
    on_pace_okr(world, "Stay interviews", [flat])
    found = execution.execution_gaps(load(world.admin), world.cycle)
    assert [(g.kind, str(g.objective)) for g in found] == [
        ("execution_without_impact", "Keep great people")
    ]
    assert found[0].execution == pytest.approx(0.6)
    assert found[0].movement == pytest.approx((11.9 - 12) / (6 - 12))


def test_it_does_not_flag_okrs_behind_pace_or_measures_that_move(world):
    moving = strategic(world, "Retain customers")
    measure(moving, "Health", {SEP: 50, NOV: 60})
    on_pace_okr(world, "Health work", [moving])
    lagging = strategic(world, "Ship often", "Internal Process")
    measure(lagging, "Deploys", {SEP: 50, NOV: 50})
    okr(world, "Behind", serves=[lagging], key_results=1)  # score 0 against 0.505
    assert execution.execution_gaps(load(world.admin), world.cycle) == []


def test_it_finds_a_measure_moving_with_no_okr_behind_it(world):
    alone = strategic(world, "Grow revenue", "Financial")
    measure(alone, "ARR", {SEP: 40, OCT: 44, NOV: 47})
    found = execution.execution_gaps(load(world.admin), world.cycle)
    assert [(g.kind, str(g.objective)) for g in found] == [
        ("impact_without_execution", "Grow revenue")
    ]
    assert found[0].movement == pytest.approx(0.07)


def test_it_measures_closed_cycles_on_their_final_grades(world):
    q3 = cycle_create(acting=None, name="Q3 2026", start=date(2026, 7, 1), end=date(2026, 9, 30))
    flat = strategic(world, "Keep great people", "Learning & Growth")
    measure(flat, "Engagement", {date(2026, 6, 1): 70, date(2026, 8, 1): 70, SEP: 70.5})
    graded = okr(world, "Hiring", serves=[flat], cycle=q3)
    cycle_close(acting=None, cycle=q3)
    objective_grade(acting=None, objective=graded, final_grade=0.8, retrospective="")
    snapshot = load(world.admin)
    gaps_q3 = [g for g in execution.gaps_over_cycles(snapshot) if g.cycle == q3]
    assert [(g.kind, g.execution) for g in gaps_q3] == [("execution_without_impact", 0.8)]


def test_it_skips_objectives_whose_measures_have_no_value_before_the_cycle(world):
    new = strategic(world, "Grow revenue", "Financial")
    measure(new, "ARR", {OCT: 40, NOV: 60})
    assert execution.execution_gaps(load(world.admin), world.cycle) == []


@pytest.mark.parametrize(("execution_score", "well"), [(0.7, True), (0.69, False)])
def test_execution_is_on_pace_by_the_key_results_rule(execution_score, well):
    # Day 8 of a 10-day cycle: 0.8 expected; 0.7 is d = -0.10, on pace as in scoring.pace.
    cycle = Cycle(name="Sprint", start=date(2027, 1, 1), end=date(2027, 1, 11), state="active")
    assert execution.executes_well(cycle, execution_score, date(2027, 1, 9)) is well
