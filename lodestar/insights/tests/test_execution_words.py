"""The strategy-execution gap says what it judged: OKRs 'on pace' while their cycle runs,
and by the OKR bands' words (scoring.outcomes.OKR_JUDGEMENT) once it has closed, so a
closed quarter's record never says 'on pace' (issue 21, finding 3)."""

from datetime import date

from lodestar.okrs.services import checkin_create, cycle_close, key_result_create, objective_create
from lodestar.reports.figures import cycle_gaps
from lodestar.strategy.services import (
    measure_create,
    measure_value_record,
    strategic_objective_create,
)


def test_a_closed_quarters_execution_gap_says_the_okrs_score_well_not_on_pace(world):
    keep = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Keep customers",
        code="C9",
    )
    measure = measure_create(acting=None, objective=keep, name="Retention", baseline=0, target=100)
    for month in (9, 11):  # the measure does not move during the quarter
        measure_value_record(acting=None, measure=measure, period=date(2026, month, 1), actual=20)
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Delight customers",
        unit=world.sales,
        owner=world.member,
        contributes_to=[keep],
    )
    done = key_result_create(
        acting=None, objective=objective, title="Calls", owner=world.member, target=10
    )
    checkin_create(acting=None, key_result=done, value=10, confidence=9)
    cycle_close(acting=None, cycle=world.cycle, today=date(2026, 12, 31))
    [gap] = [
        g for g in cycle_gaps(world.cycle, date(2026, 12, 31)) if "Keep customers" in g["message"]
    ]
    assert gap["kind"] == "execution_without_impact"
    assert "OKRs serving “C9 Keep customers” score well (execution 1.00)" in gap["message"]
    assert "on pace" not in gap["message"]
