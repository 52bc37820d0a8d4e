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
        self.build_company_scorecard()
        self.build_cs_scorecard()
        self.build_initiatives()
        self.build_closed_cycle()
        self.build_active_cycle()

    # Organisation ---------------------------------------------------------------
    def build_organisation(self) -> None:
        for key, name, kind, parent in data.UNITS:
            self.units[key] = unit_create(
                acting=None, name=name, kind=kind, parent=self.units[parent] if parent else None
            )
        for username, first, last, role, manager, memberships in data.PEOPLE:
            self.people[username] = person_create(
                acting=None,
                username=username,
                email=f"{username}@northwind.example",
                first_name=first,
                last_name=last,
                password=data.PASSWORD,
                role=role,
                manager=self.people[manager] if manager else None,
            )
            for unit_key, unit_role in memberships:
                membership_set(
                    acting=None,
                    person=self.people[username],
                    unit=self.units[unit_key],
                    role=unit_role,
                )
        self.say(f"organisation: {len(self.units)} units, {len(self.people)} people")

    # Strategy -------------------------------------------------------------------
    def months(self) -> list[date]:
        current = self.today.replace(day=1)
        return [add_months(current, offset) for offset in range(-11, 1)]

    def build_objectives(self, scorecard, rows, parents: bool) -> None:
        perspectives = list(scorecard.perspectives.order_by("position"))
        for row in rows:
            code, name, position, owner = row[:4]
            weight = 1 if parents else row[4]
            objective = strategic_objective_create(
                acting=None,
                scorecard=scorecard,
                perspective=perspectives[position],
                code=code,
                name=name,
                owner=self.people[owner],
                weight=weight,
                parent=self.objectives[row[4]] if parents else None,
            )
            self.objectives[code] = objective
            for measure_row in row[5]:
                self.build_measure(objective, *measure_row)

    def build_measure(
        self, objective, key, name, unit, direction, baseline, target, leading, trend
    ) -> None:
        start = self.quarter_index() if key in self.moved_by_key_results() else 0
        measure = measure_create(
            acting=None,
            objective=objective,
            name=name,
            unit_of_measure=unit,
            direction=direction,
            baseline=baseline,
            target=target,
            leading=leading,
            owner=objective.owner,
        )
        self.measures[key] = measure
        months = self.months()
        for index, month in enumerate(months):
            noise = self.rng.uniform(-0.04, 0.04) * (1 if trend else 0.25)  # flat is flat
            share = trend * (index + 1 - start) / 12 + noise
            plan = planned_share(month, months[0], objective.scorecard.period_end)
            measure_value_record(
                acting=None,
                measure=measure,
                period=month,
                actual=self.value(baseline, target, share),
                target=self.value(baseline, target, plan),
                author=objective.owner,
            )

    def quarter_index(self) -> int:
        return self.months().index(quarter_start(self.today))

    @staticmethod
    def moved_by_key_results() -> set[str]:
        """Measures an active metric key result moves: its baseline is theirs at the start
        of the quarter, so their history reaches the baseline then, not a year before."""
        return {
            row[6]
            for okr in data.ACTIVE_OKRS
            for row in okr[6]
            if row[2] == KeyResult.Kind.METRIC and row[6]
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

    def build_company_scorecard(self) -> None:
        start, end, years = self.strategy_period()
        scorecard = scorecard_create(
            acting=None,
            unit=self.units["company"],
            name=f"Strategy {years}",
            period_start=start,
            period_end=end,
        )
        self.build_objectives(scorecard, data.COMPANY_OBJECTIVES, parents=False)
        for cause, effect, hypothesis in data.LINKS:
            link_create(
                acting=None,
                cause=self.objectives[cause],
                effect=self.objectives[effect],
                hypothesis=hypothesis,
            )
        self.say(
            f"company scorecard: {len(data.COMPANY_OBJECTIVES)} objectives, "
            f"{len(data.LINKS)} links, {len(self.measures)} measures × 12 months"
        )

    def build_cs_scorecard(self) -> None:
        start, end, years = self.strategy_period()
        scorecard = scorecard_create(
            acting=None,
            unit=self.units["cs"],
            name=f"Customer Success {years}",
            period_start=start,
            period_end=end,
        )
        self.build_objectives(scorecard, data.CS_OBJECTIVES, parents=True)
        self.say(f"department scorecard: {len(data.CS_OBJECTIVES)} cascaded objectives")

    def build_initiatives(self) -> None:
        start = self.months()[0]
        for name, codes, owner, budget, spent, percent in data.INITIATIVES:
            initiative_create(
                acting=None,
                name=name,
                objectives=[self.objectives[code] for code in codes],
                owner=self.people[owner],
                start=start,
                end=add_months(start, 15),
                budget=budget,
                spent=spent,
                percent_complete=percent,
                status="active",
            )
        self.say(f"initiatives: {len(data.INITIATIVES)}")

    # OKRs -----------------------------------------------------------------------
    def at(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(9, 30)))

    def build_closed_cycle(self) -> None:
        start = add_months(quarter_start(self.today), -3)
        end = quarter_start(self.today) - timedelta(days=1)
        cycle = cycle_create(acting=None, name=quarter_name(start), start=start, end=end)
        cycle_activate(acting=None, cycle=cycle)
        count = 0
        for key, owner, title, kind, contributes, key_results in data.CLOSED_OKRS:
            objective = self.okr(cycle, key, owner, title, kind, contributes, None)
            for kr_title, kr_owner, kr_kind, baseline, target, unit, final in key_results:
                key_result = key_result_create(
                    acting=None,
                    objective=objective,
                    title=kr_title,
                    owner=self.people[kr_owner],
                    kind=kr_kind,
                    baseline=baseline,
                    target=target,
                    unit_label=unit,
                )
                self.check_in_history(key_result, start, end + timedelta(days=1), final, 1.0)
                count += 1
        self.say(f"closed cycle {cycle}: {len(data.CLOSED_OKRS)} objectives, {count} key results")

    def build_active_cycle(self) -> None:
        start = quarter_start(self.today)
        cycle = cycle_create(
            acting=None,
            name=quarter_name(start),
            start=start,
            end=add_months(start, 3) - timedelta(days=1),
        )
        cycle_activate(acting=None, cycle=cycle)  # closes and grades the quarter before
        now = self.today + timedelta(days=1)
        count = 0
        for key, owner, title, kind, contributes, parent, key_results in data.ACTIVE_OKRS:
            objective = self.okr(cycle, key, owner, title, kind, contributes, parent)
            count += self.active_key_results(objective, key_results, start, now)
        for key, owner, title, kind, parent, private, key_results in data.PERSONAL_OKRS:
            objective = objective_create(
                acting=None,
                cycle=cycle,
                title=title,
                owner=self.people[owner],
                kind=kind,
                parent=self.okrs[parent],
                visibility="private" if private else "public",
            )
            self.okrs[key] = objective
            count += self.active_key_results(objective, key_results, start, now)
        for key, unit, title, kind, contributes, key_results in data.UNOWNED_OKRS:
            objective = objective_create(
                acting=None,
                cycle=cycle,
                title=title,
                unit=self.units[unit],
                kind=kind,
                contributes_to=[self.objectives[code] for code in contributes],
            )
            self.okrs[key] = objective
            count += self.active_key_results(objective, key_results, start, now)
        # One entry, two objectives: the team shares the company's completion key result.
        completion = self.okrs["onboarding"].key_results.get(
            linked_measure=self.measures["onb_completion"]
        )
        key_result_hold(acting=None, objective=self.okrs["onb"], key_result=completion)
        total = len(data.ACTIVE_OKRS) + len(data.PERSONAL_OKRS) + len(data.UNOWNED_OKRS)
        self.say(f"active cycle {cycle}: {total} objectives, {count} key results with check-ins")

    def okr(self, cycle, key, owner, title, kind, contributes, parent) -> Objective:
        person = self.people[owner]
        objective = objective_create(
            acting=None,
            cycle=cycle,
            title=title,
            owner=person,
            unit=person.memberships.order_by("-role").first().unit,
            kind=kind,
            parent=self.okrs[parent] if parent else None,
            contributes_to=[self.objectives[code] for code in contributes],
        )
        self.okrs[key] = objective
        return objective

    def active_key_results(self, objective, key_results, start: date, now: date) -> int:
        for kr_title, kr_owner, kr_kind, baseline, target, unit, measure, pace in key_results:
            key_result = key_result_create(
                acting=None,
                objective=objective,
                title=kr_title,
                owner=self.people[kr_owner],
                kind=kr_kind,
                baseline=baseline,
                target=target,
                unit_label=unit,
                linked_measure=self.measures.get(measure),
            )
            cycle_days = (objective.cycle.end - start).days
            elapsed = min(1.0, (now - start).days / cycle_days)
            if pace == "stale":
                self.check_in_history(key_result, start, now - timedelta(days=21), 0.3, 0.6)
            else:
                self.check_in_history(key_result, start, now, pace * elapsed, pace)
        return len(key_results)

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
    return Unit.objects.filter(name=data.UNITS[0][1], parent=None).exists()


@transaction.atomic
def demo_create(*, today: date | None = None, say: Say = print) -> bool:
    """Create the demo organisation once; returns False when it is already there."""
    if demo_exists():
        return False
    DemoBuilder(today or timezone.localdate(), say).build()
    return True
