"""The generated organisations: the shape asked for, the same every time, scored by the
same rules as the incremental roll-up."""

from datetime import date

from django.db import transaction

from lodestar.demo.generate import CYCLES, KEY_RESULTS_PER_OBJECTIVE, MONTHS, Size, generate
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective
from lodestar.org.models import Person, Unit
from lodestar.scores.rollup import recompute_all
from lodestar.scores.tests.test_rollup import stored_scores
from lodestar.strategy.models import Measure, MeasureValue, Scorecard

TINY = Size(
    people=60,
    divisions=2,
    departments_per_division=2,
    teams_per_department=3,
    department_scorecards=1,
    strategic_per_scorecard=8,
    measures_per_objective=2,
)
TODAY = date(2026, 11, 22)


def depth(unit: Unit) -> int:
    return 0 if unit.parent is None else 1 + depth(unit.parent)


def test_a_generated_organisation_has_the_shape_of_its_size(db):
    assert generate(TINY, today=TODAY)
    assert Unit.objects.count() == 1 + 2 + 4 + 12
    assert {depth(unit) for unit in Unit.objects.all()} == {0, 1, 2, 3}
    assert Person.objects.count() == 60
    assert Scorecard.objects.count() == 1 + 2 + 1
    assert MeasureValue.objects.count() == Measure.objects.count() * MONTHS
    assert Cycle.objects.count() == CYCLES
    assert Cycle.objects.filter(state="active").count() == 1
    objectives = Objective.objects.count()
    assert objectives == CYCLES * (5 + 2 * 5 + 4 * 4 + 12 * 4)
    assert KeyResult.objects.count() == objectives * KEY_RESULTS_PER_OBJECTIVE
    assert not KeyResult.objects.filter(checkins__isnull=True).exists()
    assert not Objective.objects.filter(cycle__state="closed", final_grade__isnull=True).exists()
    assert generate(TINY, today=TODAY) is False  # once only


def generated() -> tuple[dict, list]:
    generate(TINY, today=TODAY)
    checkins = CheckIn.objects.values_list("pk", "key_result_id", "value", "confidence")
    return stored_scores(), sorted(checkins)


def test_a_generated_organisation_is_the_same_every_time_and_fully_scored(db):
    with transaction.atomic():
        first = generated()
        transaction.set_rollback(True)
    assert not Unit.objects.exists()
    scores, checkins = generated()
    assert (scores, checkins) == first
    assert any(score is not None for _, score in scores["objectives"])
    recompute_all()
    assert stored_scores() == scores
