"""Builds the demo organisation (`lodestar demo`) from a workbook in the import layout:
the sheets of `lodestar.demo.data`, dated for the build day, are written as a workbook
and brought in by the import, through the same services as the app; then the two things
the layout does not hold, passwords and the closed cycle's retrospectives, are written
by their services. Every score in it is produced by the real roll-up.

Dates are relative to the build day, and only what has happened by then is in:
- measures have a value for each of the last 12 *finished* months (the current month
  has none yet), each with its period's target, the plan: a straight line from the
  baseline to the final target at the end of the scorecard's three years;
- a measure linked to a key result of the active cycle has its values up to the
  quarter's start from the sheet and after it from the key result's check-ins (one
  entry, both frameworks): that key result checks in weekly and at each month's close,
  only in finished months, so the measure stands at the key result's current value;
  those months are planned on the same line (the workbook has no plans sheet), so the
  check-ins' values are judged against their own month's target;
- the closed cycle (the quarter before) checked in to its final progress, was graded
  by its scores when it closed, and has its retrospectives.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from lodestar.demo import data
from lodestar.exchange.exporter import Rows, xlsx_bytes
from lodestar.exchange.importer import import_book
from lodestar.exchange.layout import BY_NAME
from lodestar.exchange.models import ImportKey
from lodestar.exchange.reader import read_bytes
from lodestar.okrs.models import KeyResult, Objective
from lodestar.okrs.services import objective_grade
from lodestar.org.models import Person, Unit
from lodestar.org.services import person_password_set
from lodestar.strategy.models import Measure
from lodestar.strategy.services import DEFAULT_PERSPECTIVES, measure_plan_set

Say = Callable[[str], None]
WORKBOOK = "northwind.xlsx"


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def add_months(day: date, months: int) -> date:
    index = month_index(day) + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


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


def as_sheet(name: str, rows: list[dict]) -> list[list]:
    """Named cells in the layout's column order."""
    return [[row.get(column.name) for column in BY_NAME[name].columns] for row in rows]


class DemoBuilder:
    """The demo's sheets for one build day (`rows()`), deterministic for that day."""

    def __init__(self, today: date, say: Say = lambda line: None):
        self.today = today
        self.say = say
        self.rng = random.Random(2026)  # the same demo every time
        self.current_month = today.replace(day=1)  # not finished: no values for it
        self.months = [add_months(self.current_month, offset) for offset in range(-12, 0)]
        self.active_start = quarter_start(today)
        self.closed_start = add_months(self.active_start, -3)
        self.sheets: dict[str, list[dict]] = {sheet: [] for sheet in BY_NAME}
        # (measure key, month, target) of the months a key result's check-ins write.
        self.plans: list[tuple[str, date, float]] = []

    def rows(self) -> Rows:
        self.organisation()
        for scorecard in data.SCORECARDS:
            self.scorecard(scorecard)
        self.initiatives()
        self.okrs()
        return {name: as_sheet(name, rows) for name, rows in self.sheets.items() if rows}

    # Organisation ---------------------------------------------------------------
    def organisation(self) -> None:
        self.sheets["units"] = [
            {"key": u.key, "name": u.name, "kind": u.kind, "parent": u.parent} for u in data.UNITS
        ]
        self.sheets["people"] = [
            {
                "login": p.username,
                "email": f"{p.username}@northwind.example",
                "first_name": p.first_name,
                "last_name": p.last_name,
                "role": p.role,
                "manager": p.manager,
            }
            for p in data.PEOPLE
        ]
        self.sheets["memberships"] = [
            {"unit": m.unit, "person": m.username, "role": m.role} for m in data.MEMBERSHIPS
        ]

    # Strategy -------------------------------------------------------------------
    def strategy_period(self) -> tuple[date, date, str]:
        """Three years from the first recorded month, named by the years it mostly covers
        (November 2025 to October 2028 is "2026–2028")."""
        start = self.months[0]
        end = add_months(start, 36) - timedelta(days=1)
        return start, end, f"{end.year - 2}–{end.year}"

    def scorecard(self, row: data.Scorecard) -> None:
        start, end, years = self.strategy_period()
        self.sheets["scorecards"].append(
            {
                "key": row.key,
                "unit": row.unit,
                "name": f"{row.name} {years}",
                "period_start": start,
                "period_end": end,
            }
        )
        for position, name in enumerate(DEFAULT_PERSPECTIVES):
            self.sheets["perspectives"].append(
                {"key": f"{row.key}-{position}", "scorecard": row.key, "name": name}
                | {"position": position, "weight": 1}
            )
        objectives = [o for o in data.STRATEGIC_OBJECTIVES if o.scorecard == row.key]
        codes = {o.code for o in objectives}
        for objective in objectives:
            self.sheets["strategic_objectives"].append(
                {
                    "key": objective.code,
                    "perspective": f"{row.key}-{objective.perspective}",
                    "code": objective.code,
                    "name": objective.name,
                    "owner": objective.owner,
                    "weight": objective.weight,
                    "parent": objective.parent,
                }
            )
        for link in data.LINKS:
            if link.cause in codes and link.effect in codes:
                self.sheets["links"].append(
                    {"cause": link.cause, "effect": link.effect, "hypothesis": link.hypothesis}
                )
        owners = {o.code: o.owner for o in objectives}
        for measure in data.MEASURES:
            if measure.objective in codes:
                self.measure(measure, owners[measure.objective], end)

    def measure(self, row: data.Measure, owner: str, period_end: date) -> None:
        self.sheets["measures"].append(
            {
                "key": row.key,
                "objective": row.objective,
                "name": row.name,
                "unit_of_measure": row.unit_of_measure,
                "direction": row.direction,
                "baseline": row.baseline,
                "target": row.target,
                "frequency": "monthly",
                "leading": "yes" if row.leading else "no",
                "owner": owner,
                "weight": 1,
            }
        )
        driver = self.driver(row.key)
        for index, month in enumerate(self.months):
            target = self.value(
                row.baseline, row.target, planned_share(month, self.months[0], period_end)
            )
            if driver is not None and month >= self.active_start:
                # the key result's check-ins write these months
                self.plans.append((row.key, month, target))
                continue
            self.sheets["measure_values"].append(
                {
                    "measure": row.key,
                    "period": month,
                    "actual": self.measure_actual(row, driver, index),
                    "target": target,
                }
            )
        if driver is not None:  # a check-in made today writes this month
            share = planned_share(self.current_month, self.months[0], period_end)
            self.plans.append(
                (row.key, self.current_month, self.value(row.baseline, row.target, share))
            )

    def measure_actual(self, row: data.Measure, driver: data.KeyResult | None, index: int):
        """A measure gains `trend` of the way to its target in 12 months, with noise; a
        measure an active key result moves gains it towards where that key result starts,
        reaching its baseline exactly in the month before the quarter."""
        noise = self.rng.uniform(-0.04, 0.04) * (1 if row.trend else 0.25)  # flat is flat
        if driver is None:
            slip = row.slip if index == len(self.months) - 1 else 0.0
            share = row.trend * (index + 1) / 12 + noise - slip
            return self.value(row.baseline, row.target, share)
        before = month_index(self.active_start) - month_index(self.months[index]) - 1
        if before == 0:
            return driver.baseline
        share = -row.trend * before / 12 + noise
        value = driver.baseline + share * (row.target - row.baseline)
        return round(value) if abs(row.target - row.baseline) >= 100 else round(value, 2)

    @staticmethod
    def driver(measure: str) -> data.KeyResult | None:
        """The active key result whose check-ins write the measure (the first linked to it;
        another one linked reads the same figure)."""
        active = {o.key for o in data.OBJECTIVES if o.cycle == "active"}
        return next(
            (k for k in data.KEY_RESULTS if k.linked_measure == measure and k.objective in active),
            None,
        )

    @staticmethod
    def value(baseline: float, target: float, share: float) -> float:
        value = baseline + share * (target - baseline)
        return round(value) if abs(target - baseline) >= 100 else round(value, 2)

    def initiatives(self) -> None:
        start = self.months[0]
        for number, row in enumerate(data.INITIATIVES, start=1):
            self.sheets["initiatives"].append(
                {
                    "key": f"initiative-{number}",
                    "name": row.name,
                    "objectives": ", ".join(row.strategic_objectives),
                    "owner": row.owner,
                    "start": start,
                    "end": add_months(start, 15),
                    "budget": row.budget,
                    "spent": row.spent,
                    "status": "active",
                    "percent_complete": row.percent_complete,
                }
            )

    # OKRs -----------------------------------------------------------------------
    def okrs(self) -> None:
        starts = {"closed": self.closed_start, "active": self.active_start}
        for cycle in data.CYCLES:
            start = starts[cycle.key]
            self.sheets["cycles"].append(
                {
                    "key": cycle.key,
                    "name": quarter_name(start),
                    "start": start,
                    "end": month_end(add_months(start, 2)),
                    "state": cycle.key,  # closed (graded by its scores), then active
                }
            )
        for objective in data.OBJECTIVES:
            self.sheets["objectives"].append(
                {
                    "key": objective.key,
                    "cycle": objective.cycle,
                    "title": objective.title,
                    "unit": objective.unit,
                    "owner": objective.owner,
                    "parent": objective.parent,
                    "contributes_to": ", ".join(objective.contributes_to),
                    "kind": objective.kind,
                    "visibility": "private" if objective.private else "public",
                    "weight": 1,
                }
            )
        cycles = {o.key: o.cycle for o in data.OBJECTIVES}
        numbers: dict[str, int] = {}
        keys = {}
        for row in data.KEY_RESULTS:
            numbers[row.objective] = numbers.get(row.objective, 0) + 1
            key = keys[(row.objective, row.title)] = f"{row.objective}-kr{numbers[row.objective]}"
            self.sheets["key_results"].append(
                {
                    "key": key,
                    "objective": row.objective,
                    "title": row.title,
                    "owner": row.owner,
                    "kind": row.kind,
                    "baseline": row.baseline,
                    "target": row.target,
                    "unit_label": row.unit_label,
                    "linked_measure": row.linked_measure,
                    "weight": 1,
                }
            )
            self.key_result_checkins(key, row, starts[cycles[row.objective]])
        for holding in data.HOLDINGS:
            self.sheets["key_result_shares"].append(
                {
                    "objective": holding.objective,
                    "key_result": keys[(holding.holder, holding.title)],
                    "weight": 1,
                }
            )

    def key_result_checkins(self, key: str, row: data.KeyResult, start: date) -> None:
        """Weekly check-ins from the cycle's start: a closed cycle's up to its end, at its
        final progress; an active one's before today, at `pace` times the elapsed share
        of the cycle (a stale one stopped three weeks ago); a linked one's only in
        finished months, each month's last at its close (each writes its month's value)."""
        end = month_end(add_months(start, 2))
        weekly = [start + timedelta(days=7 * week) for week in range(1, 14)]
        figure, pace = row, row.pace
        if start == self.closed_start:
            days = [day for day in weekly if day <= end]
        elif row.linked_measure:
            figure = self.driver(row.linked_measure)
            pace = figure.pace
            closes = {month_end(month) for month in self.months if start <= month}
            days = sorted({day for day in weekly if day < self.current_month} | closes)
        elif row.pace == "stale":
            days, pace = [day for day in weekly if day < self.today - timedelta(days=21)], 0.6
        else:
            days = [day for day in weekly if day < self.today]
        if not days:
            return
        if start == self.closed_start or row.pace == "stale":
            last = (days[-1] - start).days
            final = row.pace if start == self.closed_start else 0.3
            progress = {day: final * (day - start).days / last for day in days}
        else:
            progress = {day: pace * (day - start).days / (end - start).days for day in days}
        self.checkins(key, row, figure, progress, pace)

    def checkins(self, key: str, row: data.KeyResult, figure, progress: dict, pace: float):
        """`figure`'s value at each day's progress (a second key result linked to one
        measure reads the first one's figure, the measure's): the last one on the mark."""
        final = progress[max(progress)]
        for index, (day, share) in enumerate(sorted(progress.items()), start=1):
            last = index == len(progress)
            wobble = 0 if last else self.rng.uniform(-0.03, 0.03)
            self.sheets["checkins"].append(
                {
                    "key_result": key,
                    "at": timezone.make_aware(datetime.combine(day, time(9, 30))).isoformat(),
                    "value": self.checkin_value(figure, share + wobble, last, final),
                    "confidence": self.confidence(pace),
                    "note": "" if index % 3 else "Steady progress; see the weekly notes.",
                    "author": row.owner,
                }
            )

    def checkin_value(self, key_result, progress: float, last: bool, final: float) -> float:
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


def demo_workbook(today: date) -> bytes:
    """The demo organisation as of `today`, as a workbook in the import layout."""
    return xlsx_bytes(DemoBuilder(today).rows())


def demo_exists() -> bool:
    return Unit.objects.filter(name=data.UNITS[0].name, parent=None).exists()


def imported_objective(key: str) -> Objective:
    stored = ImportKey.objects.get(model=BY_NAME["objectives"].model, key=key)
    return Objective.objects.get(pk=stored.object_id)


@transaction.atomic
def demo_create(*, today: date | None = None, say: Say = print) -> bool:
    """Create the demo organisation once; returns False when it is already there."""
    if demo_exists():
        return False
    builder = DemoBuilder(today or timezone.localdate())
    workbook = read_bytes(xlsx_bytes(builder.rows()), WORKBOOK)
    report = import_book(workbook, acting=None)
    if not report.ok:  # the demo's own sheets: a refusal is a bug in them
        raise RuntimeError(
            "The demo workbook did not import: " + "; ".join(map(str, report.problems))
        )
    for line in report.lines():
        say(line)
    for key, month, target in builder.plans:
        measure = Measure.objects.get(
            pk=ImportKey.objects.get(model=BY_NAME["measures"].model, key=key).object_id
        )
        measure_plan_set(acting=None, measure=measure, period=month, target=target)
    for person in Person.objects.filter(username__in=[p.username for p in data.PEOPLE]):
        person_password_set(acting=None, person=person, password=data.PASSWORD)
    for key, retrospective in data.RETROSPECTIVES.items():
        objective = imported_objective(key)
        objective_grade(
            acting=None,
            objective=objective,
            final_grade=objective.final_grade,
            retrospective=retrospective,
        )
    return True
