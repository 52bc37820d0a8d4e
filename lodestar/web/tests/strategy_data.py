"""Rows added through the services to show that a page's SQL query count does not grow
with the data: `grow()` adds, around the given objects, more of everything a strategy
page lists (objectives, measures and values, links, cascaded children, initiatives,
units, people, OKR objectives public and private, key results and check-ins)."""

from datetime import date, timedelta
from itertools import count

from lodestar.okrs.models import Cycle
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.org.models import Person, Unit
from lodestar.org.services import membership_set, person_create, unit_create
from lodestar.strategy.models import Measure, Scorecard, StrategicObjective
from lodestar.strategy.services import (
    initiative_create,
    link_create,
    measure_create,
    measure_value_record,
    scorecard_create,
    strategic_objective_create,
)

_serial = count(1)


def grow(*, objective: StrategicObjective, unit: Unit, measure: Measure, rows: int = 3) -> None:
    """Add `rows` of each kind, linked to `objective`, `unit` and `measure`."""
    cycle = Cycle.objects.get(state=Cycle.State.ACTIVE)
    scorecard = objective.scorecard
    perspectives = list(scorecard.perspectives.order_by("position"))
    for _ in range(rows):
        n = next(_serial)
        person = person_create(
            acting=None, username=f"grown{n}", first_name=f"Grown{n}", password="pw"
        )
        membership_set(acting=None, person=person, unit=unit)
        sub_unit = unit_create(acting=None, name=f"Grown team {n}", parent=unit)
        membership_set(acting=None, person=person, unit=sub_unit, role="lead")
        unit_card = scorecard_create(
            acting=None,
            unit=sub_unit,
            name=f"Grown {n}",
            period_start=scorecard.period_start,
            period_end=scorecard.period_end,
        )
        child = strategic_objective_create(
            acting=None,
            scorecard=unit_card,
            perspective=unit_card.perspectives.get(position=objective.perspective.position),
            name=f"Grown child {n}",
            parent=objective,
        )
        sibling = strategic_objective_create(
            acting=None,
            scorecard=scorecard,
            perspective=perspectives[n % len(perspectives)],
            name=f"Grown {n}",
        )
        if sibling.perspective.position < objective.perspective.position:
            link_create(acting=None, cause=sibling, effect=objective)
        else:
            link_create(acting=None, cause=objective, effect=sibling)
        for target in (objective, sibling, child):
            new_measure = measure_create(
                acting=None, objective=target, name=f"Grown measure {n}", baseline=0, target=10
            )
            for month in range(3):
                measure_value_record(
                    acting=None,
                    measure=new_measure,
                    period=date(2026, month + 1, 1),
                    actual=month * 3,
                )
        measure_value_record(
            acting=None,
            measure=measure,
            # an older period, inside the scorecard's (values outside it are refused)
            period=measure.objective.scorecard.period_start + timedelta(days=31 * (n % 12)),
            actual=measure.baseline,
        )
        initiative_create(
            acting=None,
            name=f"Grown initiative {n}",
            strategic_objectives=[objective, sibling],
            budget=100,
            spent=10,
        )
        for visibility in ("public", "private"):
            okr = objective_create(
                acting=None,
                cycle=cycle,
                title=f"Grown {visibility} OKR {n}",
                unit=unit if visibility == "public" else sub_unit,
                owner=person,
                visibility=visibility,
                contributes_to=[objective, sibling],
            )
            for k in range(2):
                key_result = key_result_create(
                    acting=None,
                    objective=okr,
                    title=f"Grown key result {n}.{k} {visibility}",
                    owner=person,
                    baseline=0,
                    target=10,
                    linked_measure=measure if k == 0 else None,
                )
                checkin_create(acting=None, key_result=key_result, value=5, confidence=6)


def company_scorecard() -> Scorecard:
    return Scorecard.objects.get(unit__parent__isnull=True)


def demo_person(username: str) -> Person:
    return Person.objects.get(username=username)
