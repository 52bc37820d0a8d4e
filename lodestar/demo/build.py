"""Builds the demo organisation (`lodestar demo`) through the same services as the app,
so every score in it is produced by the real roll-up.

Dates are relative to today: the measures have the last 12 months of values, the
active cycle is the current quarter and the closed one the quarter before. Each value
carries its period's target, the plan: a straight line from the baseline to the final
target at the end of the scorecard's three years, so a year in the plan asks for a third.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from lodestar.demo import data
from lodestar.okrs.models import KeyResult, Objective
from lodestar.okrs.services import (
    checkin_create,
    cycle_activate,
    cycle_create,
    key_result_create,
    key_result_hold,
    objective_create,
)
from lodestar.org.models import Person, Unit
from lodestar.org.services import membership_set, person_create, unit_create
from lodestar.strategy.models import Measure, StrategicObjective
from lodestar.strategy.services import (
    initiative_create,
    link_create,
    measure_create,
    measure_value_record,
    scorecard_create,
    strategic_objective_create,
)

Say = Callable[[str], None]


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def add_months(day: date, months: int) -> date:
    index = month_index(day) + months
    return date(index // 12, index % 12 + 1, 1)


def planned_share(month: date, first: date, last: date) -> float:
    """The share of the way from baseline to final target the plan expects by the end of
    `month`: a straight line from the start of `first` (the first recorded month, at the
    baseline) to the end of `last` (the scorecard's last month, at the target). Month
    ends, because the demo's actuals are month-end figures too, and because a period
    target equal to the baseline would be refused."""
    return (month_index(month) - month_index(first) + 1) / (
        month_index(last) - month_index(first) + 1
    )


def quarter_name(start: date) -> str:
    return f"Q{(start.month - 1) // 3 + 1} {start.year}"


class DemoBuilder:
    def __init__(self, today: date, say: Say):
        self.today = today
        self.say = say
        self.rng = random.Random(2026)  # the same demo every time
        self.units: dict[str, Unit] = {}
        self.people: dict[str, Person] = {}
        self.objectives: dict[str, StrategicObjective] = {}
        self.measures: dict[str, Measure] = {}
        self.okrs: dict[str, Objective] = {}

    def build(self) -> None:
        self.build_organisation()
        for scorecard in data.SCORECARDS:
            self.build_scorecard(scorecard)
        self.build_initiatives()
        for cycle in data.CYCLES:
            self.build_cycle(cycle)
        for holding in data.HOLDINGS:
            key_result = self.okrs[holding.holder].key_results.get(title=holding.title)
            key_result_hold(
                acting=None, objective=self.okrs[holding.objective], key_result=key_result
            )

    # Organisation ---------------------------------------------------------------
    def build_organisation(self) -> None:
        for unit in data.UNITS:
            self.units[unit.key] = unit_create(
                acting=None, name=unit.name, kind=unit.kind, parent=self.units.get(unit.parent)
            )
        for person in data.PEOPLE:
            self.people[person.username] = person_create(
                acting=None,
                username=person.username,
                email=f"{person.username}@northwind.example",
                first_name=person.first_name,
                last_name=person.last_name,
                password=data.PASSWORD,
                role=person.role,
                manager=self.people.get(person.manager),
            )
            for membership in data.MEMBERSHIPS:
                if membership.username == person.username:
                    membership_set(
                        acting=None,
                        person=self.people[person.username],
                        unit=self.units[membership.unit],
                        role=membership.role,
                    )
        self.say(f"organisation: {len(self.units)} units, {len(self.people)} people")

    # Strategy -------------------------------------------------------------------
    def months(self) -> list[date]:
        current = self.today.replace(day=1)
        return [add_months(current, offset) for offset in range(-11, 1)]

    def build_scorecard(self, row: data.Scorecard) -> None:
        start, end, years = self.strategy_period()
        scorecard = scorecard_create(
            acting=None,
            unit=self.units[row.unit],
            name=f"{row.name} {years}",
            period_start=start,
            period_end=end,
        )
        perspectives = list(scorecard.perspectives.order_by("position"))
        rows = [o for o in data.STRATEGIC_OBJECTIVES if o.scorecard == row.key]
        for objective_row in rows:
            objective = strategic_objective_create(
                acting=None,
                scorecard=scorecard,
                perspective=perspectives[objective_row.perspective],
                code=objective_row.code,
                name=objective_row.name,
                owner=self.people[objective_row.owner],
                weight=objective_row.weight,
                parent=self.objectives.get(objective_row.parent),
            )
            self.objectives[objective_row.code] = objective
            for measure in data.MEASURES:
                if measure.objective == objective_row.code:
                    self.build_measure(objective, measure)
        codes = {o.code for o in rows}
        links = [link for link in data.LINKS if link.cause in codes and link.effect in codes]
        for link in links:
            link_create(
                acting=None,
                cause=self.objectives[link.cause],
                effect=self.objectives[link.effect],
                hypothesis=link.hypothesis,
            )
        measures = sum(1 for m in data.MEASURES if m.objective in codes)
        self.say(
            f"scorecard {scorecard.name}: {len(rows)} objectives, {len(links)} links, "
            f"{measures} measures × 12 months"
        )

    def build_measure(self, objective, row: data.Measure) -> None:
        start = self.quarter_index() if row.key in self.moved_by_key_results() else 0
        measure = measure_create(
            acting=None,
            objective=objective,
            name=row.name,
            unit_of_measure=row.unit_of_measure,
            direction=row.direction,
            baseline=row.baseline,
            target=row.target,
            leading=row.leading,
            owner=objective.owner,
        )
        self.measures[row.key] = measure
        months = self.months()
        for index, month in enumerate(months):
            noise = self.rng.uniform(-0.04, 0.04) * (1 if row.trend else 0.25)  # flat is flat
            share = row.trend * (index + 1 - start) / 12 + noise
            plan = planned_share(month, months[0], objective.scorecard.period_end)
            measure_value_record(
                acting=None,
                measure=measure,
                period=month,
                actual=self.value(row.baseline, row.target, share),
                target=self.value(row.baseline, row.target, plan),
                author=objective.owner,
            )

    def quarter_index(self) -> int:
        return self.months().index(quarter_start(self.today))

    @staticmethod
    def moved_by_key_results() -> set[str]:
        """Measures a metric key result moves: its baseline is theirs at the start of the
        quarter, so their history reaches the baseline then, not a year before."""
        return {
            row.linked_measure
            for row in data.KEY_RESULTS
            if row.kind == KeyResult.Kind.METRIC and row.linked_measure
        }

    @staticmethod
    def value(baseline: float, target: float, share: float) -> float:
        value = baseline + share * (target - baseline)
        return round(value) if abs(target - baseline) >= 100 else round(value, 2)

    def strategy_period(self) -> tuple[date, date, str]:
        """Three years from the first recorded month, named by the years it mostly covers
        (December 2025 to November 2028 is "2026–2028")."""
        start = self.months()[0]
        end = add_months(start, 36) - timedelta(days=1)
        return start, end, f"{end.year - 2}–{end.year}"

    def build_initiatives(self) -> None:
        start = self.months()[0]
        for row in data.INITIATIVES:
            initiative_create(
                acting=None,
                name=row.name,
                strategic_objectives=[self.objectives[code] for code in row.strategic_objectives],
                owner=self.people[row.owner],
                start=start,
                end=add_months(start, 15),
                budget=row.budget,
                spent=row.spent,
                percent_complete=row.percent_complete,
                status="active",
            )
        self.say(f"initiatives: {len(data.INITIATIVES)}")

    # OKRs -----------------------------------------------------------------------
    def at(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(9, 30)))

    def build_cycle(self, row: data.Cycle) -> None:
        """Created and activated (which closes and grades the one before), then filled:
        a closed cycle's key results check in to their final progress by its end."""
        start = add_months(quarter_start(self.today), 3 * row.quarter)
        end = add_months(start, 3) - timedelta(days=1)
        cycle = cycle_create(acting=None, name=quarter_name(start), start=start, end=end)
        cycle_activate(acting=None, cycle=cycle)
        now = min(self.today + timedelta(days=1), end + timedelta(days=1))
        objectives = [o for o in data.OBJECTIVES if o.cycle == row.key]
        count = 0
        for objective_row in objectives:
            objective = objective_create(
                acting=None,
                cycle=cycle,
                title=objective_row.title,
                owner=self.people.get(objective_row.owner),
                unit=self.units.get(objective_row.unit),
                kind=objective_row.kind,
                parent=self.okrs.get(objective_row.parent),
                contributes_to=[self.objectives[code] for code in objective_row.contributes_to],
                visibility="private" if objective_row.private else "public",
            )
            self.okrs[objective_row.key] = objective
            for key_result_row in data.KEY_RESULTS:
                if key_result_row.objective == objective_row.key:
                    self.build_key_result(objective, key_result_row, start, now, row.quarter < 0)
                    count += 1
        self.say(f"cycle {cycle}: {len(objectives)} objectives, {count} key results")

    def build_key_result(self, objective, row: data.KeyResult, start, now, closed: bool) -> None:
        key_result = key_result_create(
            acting=None,
            objective=objective,
            title=row.title,
            owner=self.people[row.owner],
            kind=row.kind,
            baseline=row.baseline,
            target=row.target,
            unit_label=row.unit_label,
            linked_measure=self.measures.get(row.linked_measure),
        )
        if closed:
            self.check_in_history(key_result, start, now, row.pace, 1.0)
            return
        elapsed = min(1.0, (now - start).days / (objective.cycle.end - start).days)
        if row.pace == "stale":
            self.check_in_history(key_result, start, now - timedelta(days=21), 0.3, 0.6)
        else:
            self.check_in_history(key_result, start, now, row.pace * elapsed, row.pace)

    def check_in_history(
        self, key_result: KeyResult, start: date, until: date, final: float, pace: float
    ) -> None:
        """Weekly check-ins from the cycle start, ending at `final` progress."""
        days = [start + timedelta(days=7 * week) for week in range(1, 14)]
        days = [day for day in days if day < until]
        for index, day in enumerate(days, start=1):
            progress = final * index / len(days) + self.rng.uniform(-0.03, 0.03)
            checkin_create(
                acting=None,
                key_result=key_result,
                value=self.checkin_value(key_result, progress, index == len(days), final),
                confidence=self.confidence(pace),
                note="" if index % 3 else "Steady progress; see the weekly notes.",
                author=key_result.owner,
                at=self.at(day),
            )

    def checkin_value(
        self, key_result: KeyResult, progress: float, last: bool, final: float
    ) -> float:
        kind, baseline, target = key_result.kind, key_result.baseline, key_result.target
        if kind == KeyResult.Kind.MILESTONE:
            return 1.0 if last and final >= 1 else 0.0
        if kind == KeyResult.Kind.STAY_ABOVE:
            value = target + abs(target) * self.rng.uniform(0.001, 0.05)
            if key_result.unit_label == "%":  # uptime and the like end at 100 %
                value = min(value, target + (100 - target) * self.rng.uniform(0.2, 0.9))
            return round(value, 2)
        if kind == KeyResult.Kind.STAY_BELOW:
            return round(target - abs(target) * self.rng.uniform(0.001, 0.2), 2)
        return self.value(baseline, target, progress)

    def confidence(self, pace: float) -> int:
        if pace >= 0.9:
            return self.rng.randint(7, 9)
        if pace >= 0.5:
            return self.rng.randint(4, 6)
        return self.rng.randint(2, 3)


def demo_exists() -> bool:
    return Unit.objects.filter(name=data.UNITS[0].name, parent=None).exists()


@transaction.atomic
def demo_create(*, today: date | None = None, say: Say = print) -> bool:
    """Create the demo organisation once; returns False when it is already there."""
    if demo_exists():
        return False
    DemoBuilder(today or timezone.localdate(), say).build()
    return True
