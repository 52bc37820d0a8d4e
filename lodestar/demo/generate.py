"""The large demo organisations (`lodestar demo --size medium|enterprise`): a company of
a thousand or ten thousand people, the same every time (seeded), written in bulk.

Rows go in as bulk inserts (COPY on PostgreSQL, executemany on SQLite), their ids chosen
here so that no row has to be read back; no service runs per row. One `recompute_all`
then scores everything, and the closed cycles' objectives take their score as final
grade, as `cycle_close` would.

    enterprise  10,000 people, 1,000 units in four levels, 50 scorecards, 500 strategic
                objectives, 2,000 measures × 36 months, 8 quarterly cycles of ~4,000
                objectives × 3 key results (~96,000), ~1,000,000 weekly check-ins
    medium      about a tenth of that
"""

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from lodestar.demo.build import add_months, quarter_name, quarter_start
from lodestar.demo.data import PASSWORD
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.org.models import Membership, Person, Unit
from lodestar.scores.rollup import recompute_all
from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    MeasureValue,
    Perspective,
    Scorecard,
    StrategicObjective,
)
from lodestar.strategy.services import DEFAULT_PERSPECTIVES

Progress = Callable[[str, int, int], None]
BATCH = 5000
MONTHS = 36
CYCLES = 8
KEY_RESULTS_PER_OBJECTIVE = 3


@dataclass(frozen=True)
class Size:
    people: int
    divisions: int
    departments_per_division: int
    teams_per_department: int
    department_scorecards: int
    strategic_per_scorecard: int = 10
    measures_per_objective: int = 4
    # OKR objectives per unit and cycle, by level: company, division, department, team.
    objectives_per_unit: tuple[int, int, int, int] = (5, 5, 4, 4)


SIZES = {
    "medium": Size(
        people=1_000,
        divisions=3,
        departments_per_division=4,
        teams_per_department=7,
        department_scorecards=1,
    ),
    "enterprise": Size(
        people=10_000,
        divisions=9,
        departments_per_division=10,
        teams_per_department=10,
        department_scorecards=40,
    ),
}

FIRST_NAMES = ["Ada", "Ben", "Chloe", "Dev", "Elif", "Femi", "Gita", "Hugo", "Iris", "Jonas"]
LAST_NAMES = ["Adler", "Brandt", "Costa", "Dahl", "Eze", "Fontaine", "Gupta", "Holm", "Ito"]
PERSPECTIVE_CODES = "LPCF"


class Ids:
    """The next free id of each table (the database is empty when generation starts)."""

    def __init__(self) -> None:
        self.last: dict[type, int] = {}

    def next(self, model: type) -> int:
        self.last[model] = self.last.get(model, 0) + 1
        return self.last[model]


def sqlite_value(value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def rows_insert(
    model: type, rows: Iterable[tuple], report: Progress, stage: str, total: int
) -> int:
    """Insert rows (tuples in the order of the model's concrete fields) as they are
    generated, never all in memory: COPY on PostgreSQL, executemany in batches on SQLite.
    (`bulk_create` spent nine tenths of the time compiling each field of each row.)"""
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    names = ", ".join(quote(field.column) for field in meta.concrete_fields)
    done = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    done += 1
                    if done % BATCH == 0:
                        report(stage, done, max(total, done))
        else:
            marks = ", ".join(["%s"] * len(meta.concrete_fields))
            statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            iterator: Iterator = iter(rows)
            while batch := list(islice(iterator, BATCH)):
                cursor.executemany(statement, [tuple(map(sqlite_value, row)) for row in batch])
                done += len(batch)
                if done < total:
                    report(stage, done, total)
    report(stage, done, done)
    return done


def insert(model: type, objects: Iterable, report: Progress, stage: str, total: int) -> int:
    """Insert unsaved model objects (their ids set) through `rows_insert`."""
    names = [field.attname for field in model._meta.concrete_fields]
    rows = (tuple(getattr(item, name) for name in names) for item in objects)
    return rows_insert(model, rows, report, stage, total)


class Generator:
    def __init__(self, size: Size, today: date, report: Progress):
        self.size, self.today, self.report = size, today, report
        self.rng = random.Random(10_000)  # the same organisation every time
        self.ids = Ids()
        self.recorded_at = timezone.now()
        self.units: list[tuple[int, int, int | None]] = []  # (id, level, parent id)
        self.leads: dict[int, int] = {}  # unit id → lead person id
        self.members: dict[int, list[int]] = {}  # unit id → people ids (lead first)
        self.scorecard_of_unit: dict[int, int] = {}
        # scorecard id → perspective position → [strategic objective ids]
        self.strategic: dict[int, list[list[int]]] = {}

    def build(self) -> None:
        self.organisation()
        self.strategy()
        self.okrs()

    # Organisation ---------------------------------------------------------------
    def organisation(self) -> None:
        size = self.size
        units = []

        def unit(name: str, kind: str, level: int, parent: int | None) -> int:
            pk = self.ids.next(Unit)
            units.append(Unit(pk=pk, name=name, kind=kind, parent_id=parent))
            self.units.append((pk, level, parent))
            return pk

        company = unit("Meridian Group", "company", 0, None)
        for d in range(size.divisions):
            division = unit(f"Division {d + 1}", "division", 1, company)
            for p in range(size.departments_per_division):
                department = unit(f"Department {d + 1}.{p + 1}", "department", 2, division)
                for t in range(size.teams_per_department):
                    unit(f"Team {d + 1}.{p + 1}.{t + 1}", "team", 3, department)
        insert(Unit, units, self.report, "units", len(units))

        password = make_password(PASSWORD)  # one hash for all: hashing is slow on purpose
        people, memberships = [], []
        unit_ids = [pk for pk, _, _ in self.units]
        teams = [pk for pk, level, _ in self.units if level == 3]
        parent_of = {pk: parent for pk, _, parent in self.units}

        def person(username: str, unit_id: int, role: str, lead: bool) -> None:
            pk = self.ids.next(Person)
            number = pk - 1
            manager = self.leads.get(parent_of[unit_id]) if lead else self.leads.get(unit_id)
            people.append(
                Person(
                    pk=pk,
                    username=username,
                    password=password,
                    email=f"{username}@meridian.example",
                    first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[number // len(FIRST_NAMES) % len(LAST_NAMES)],
                    role=role,
                    manager_id=manager,
                )
            )
            memberships.append(
                Membership(
                    pk=self.ids.next(Membership),
                    person_id=pk,
                    unit_id=unit_id,
                    role="lead" if lead else "member",
                )
            )
            self.members.setdefault(unit_id, []).append(pk)
            if lead:
                self.leads[unit_id] = pk

        for index, unit_id in enumerate(unit_ids):
            person("ceo" if index == 0 else f"lead.{index:04d}", unit_id, "member", lead=True)
        person("admin", unit_ids[0], "admin", lead=False)
        person("strategy", unit_ids[0], "strategy_office", lead=False)
        for index in range(max(0, size.people - len(people))):
            person(f"person.{index + 1:05d}", teams[index % len(teams)], "member", lead=False)
        insert(Person, people, self.report, "people", len(people))
        insert(Membership, memberships, self.report, "memberships", len(memberships))

    # Strategy -------------------------------------------------------------------
    def months(self) -> list[date]:
        current = self.today.replace(day=1)
        return [add_months(current, offset) for offset in range(1 - MONTHS, 1)]

    def strategy(self) -> None:
        size, rng = self.size, self.rng
        months = self.months()
        start, end = months[0], add_months(months[0], MONTHS + 12) - timedelta(days=1)
        with_cards = [pk for pk, level, _ in self.units if level <= 1]
        with_cards += [pk for pk, level, _ in self.units if level == 2][
            : size.department_scorecards
        ]
        scorecards, perspectives, objectives, links, measures = [], [], [], [], []
        perspective_ids: dict[int, list[int]] = {}
        parent_of = {pk: parent for pk, _, parent in self.units}
        for unit_id in with_cards:
            card = self.ids.next(Scorecard)
            self.scorecard_of_unit[unit_id] = card
            scorecards.append(
                Scorecard(
                    pk=card,
                    unit_id=unit_id,
                    name=f"Strategy {start.year}–{end.year}",
                    period_start=start,
                    period_end=end,
                )
            )
            perspective_ids[card] = []
            for position, name in enumerate(DEFAULT_PERSPECTIVES):
                pk = self.ids.next(Perspective)
                perspectives.append(
                    Perspective(pk=pk, scorecard_id=card, name=name, position=position)
                )
                perspective_ids[card].append(pk)
            self.strategic[card] = [[] for _ in DEFAULT_PERSPECTIVES]
            parent_card = self.scorecard_of_unit.get(parent_of[unit_id])
            for number in range(size.strategic_per_scorecard):
                position = number % len(DEFAULT_PERSPECTIVES)
                pk = self.ids.next(StrategicObjective)
                parents = self.strategic[parent_card][position] if parent_card else []
                objectives.append(
                    StrategicObjective(
                        pk=pk,
                        scorecard_id=card,
                        perspective_id=perspective_ids[card][position],
                        code=f"{PERSPECTIVE_CODES[position]}{number // 4 + 1}",
                        name=f"Objective {PERSPECTIVE_CODES[position]}{number // 4 + 1}",
                        owner_id=self.leads[unit_id],
                        weight=rng.choice([1, 1, 2]),
                        parent_id=rng.choice(parents) if parents else None,
                    )
                )
                for below in self.strategic[card][position - 1] if position else []:
                    if rng.random() < 0.5:
                        links.append(
                            CauseEffectLink(
                                pk=self.ids.next(CauseEffectLink), cause_id=below, effect_id=pk
                            )
                        )
                self.strategic[card][position].append(pk)
                for m in range(size.measures_per_objective):
                    measures.append(self.measure(pk, m, self.leads[unit_id]))
        insert(Scorecard, scorecards, self.report, "scorecards", len(scorecards))
        insert(Perspective, perspectives, self.report, "perspectives", len(perspectives))
        insert(StrategicObjective, objectives, self.report, "strategic objectives", len(objectives))
        insert(CauseEffectLink, links, self.report, "cause-effect links", len(links))
        insert(Measure, measures, self.report, "measures", len(measures))
        insert(
            MeasureValue,
            self.measure_values(measures, months, end),
            self.report,
            "measure values",
            len(measures) * MONTHS,
        )
        self.initiatives(objectives, start)

    def measure(self, objective: int, number: int, owner: int) -> Measure:
        baseline = self.rng.choice([10, 20, 40, 60])
        return Measure(
            pk=self.ids.next(Measure),
            objective_id=objective,
            name=f"Measure {number + 1}",
            unit_of_measure="%",
            direction=self.rng.choice(["higher", "higher", "lower"]),
            baseline=baseline,
            target=baseline + self.rng.choice([10, 20, 30]),
            leading=number % 2 == 0,
            owner_id=owner,
        )

    def measure_values(self, measures: list[Measure], months: list[date], end: date):
        plan_months = (end.year * 12 + end.month) - (months[0].year * 12 + months[0].month) + 1
        for measure in measures:
            trend = self.rng.uniform(0.0, 1.2)
            span = measure.target - measure.baseline
            if measure.direction == "lower":
                measure.baseline, measure.target = measure.target, measure.baseline
                span = -span
            for index, month in enumerate(months):
                share = trend * (index + 1) / plan_months + self.rng.uniform(-0.03, 0.03)
                yield MeasureValue(
                    pk=self.ids.next(MeasureValue),
                    measure_id=measure.pk,
                    period=month,
                    actual=round(measure.baseline + share * span, 2),
                    target=round(measure.baseline + (index + 1) / plan_months * span, 2),
                    author_id=measure.owner_id,
                    recorded_at=self.recorded_at,
                )

    def initiatives(self, objectives: list[StrategicObjective], start: date) -> None:
        rows, links = [], []
        for objective in objectives[::5]:
            pk = self.ids.next(Initiative)
            budget = self.rng.choice([50_000, 100_000, 250_000])
            rows.append(
                Initiative(
                    pk=pk,
                    name=f"Initiative for {objective.code} ({objective.scorecard_id})",
                    owner_id=objective.owner_id,
                    start=start,
                    end=add_months(start, 24),
                    budget=budget,
                    spent=round(budget * self.rng.uniform(0.1, 0.9)),
                    percent_complete=self.rng.randint(5, 95),
                    status="active",
                )
            )
            through = Initiative.strategic_objectives.through
            links.append(
                through(
                    pk=self.ids.next(through), initiative_id=pk, strategicobjective_id=objective.pk
                )
            )
        insert(Initiative, rows, self.report, "initiatives", len(rows))
        insert(
            Initiative.strategic_objectives.through,
            links,
            self.report,
            "initiative links",
            len(links),
        )

    # OKRs -----------------------------------------------------------------------
    def serving(self, unit_id: int) -> list[int]:
        """The strategic objectives a unit's OKRs serve: its nearest scorecard's."""
        parent_of = {pk: parent for pk, _, parent in self.units}
        while unit_id not in self.scorecard_of_unit:
            unit_id = parent_of[unit_id]
        return [pk for band in self.strategic[self.scorecard_of_unit[unit_id]] for pk in band]

    def okrs(self) -> None:
        current = quarter_start(self.today)
        cycles = []
        for offset in range(CYCLES - 1, -1, -1):
            start = add_months(current, -3 * offset)
            cycles.append(
                Cycle(
                    pk=self.ids.next(Cycle),
                    name=quarter_name(start),
                    start=start,
                    end=add_months(start, 3) - timedelta(days=1),
                    state=Cycle.State.ACTIVE if offset == 0 else Cycle.State.CLOSED,
                )
            )
        insert(Cycle, cycles, self.report, "cycles", len(cycles))
        serving = {pk: self.serving(pk) for pk, _, _ in self.units}
        objectives, holdings, contributions, key_results = [], [], [], []
        measures_of = dict(
            Measure.objects.order_by("objective_id", "pk").values_list("objective_id", "pk")
        )
        for cycle in cycles:
            unit_objectives: dict[int, list[int]] = {}
            for unit_id, level, parent in self.units:
                people = self.members[unit_id]
                for number in range(self.size.objectives_per_unit[level]):
                    pk = self.ids.next(Objective)
                    parents = unit_objectives.get(parent, [])
                    objectives.append(
                        Objective(
                            pk=pk,
                            cycle_id=cycle.pk,
                            title=f"{cycle.name} objective {number + 1} of unit {unit_id}",
                            unit_id=unit_id,
                            owner_id=people[number % len(people)],
                            parent_id=self.rng.choice(parents) if parents else None,
                            kind=self.rng.choice(["aspirational", "committed"]),
                            visibility="private"
                            if level == 3 and self.rng.random() < 0.05
                            else "public",
                        )
                    )
                    unit_objectives.setdefault(unit_id, []).append(pk)
                    for strategic in self.rng.sample(serving[unit_id], k=self.rng.randint(1, 2)):
                        through = Objective.contributes_to.through
                        contributions.append(
                            through(
                                pk=self.ids.next(through),
                                objective_id=pk,
                                strategicobjective_id=strategic,
                            )
                        )
                    for k in range(KEY_RESULTS_PER_OBJECTIVE):
                        key_result = self.key_result(cycle, people, k, strategic, measures_of)
                        key_results.append(key_result)
                        holdings.append(
                            ObjectiveKeyResult(
                                pk=self.ids.next(ObjectiveKeyResult),
                                objective_id=pk,
                                key_result_id=key_result.pk,
                            )
                        )
                        # Some key results are shared with the objective above.
                        if parents and self.rng.random() < 0.02:
                            holdings.append(
                                ObjectiveKeyResult(
                                    pk=self.ids.next(ObjectiveKeyResult),
                                    objective_id=objectives[-1].parent_id,
                                    key_result_id=key_result.pk,
                                )
                            )
        insert(Objective, objectives, self.report, "OKR objectives", len(objectives))
        insert(
            Objective.contributes_to.through,
            contributions,
            self.report,
            "contributions",
            len(contributions),
        )
        # Check-ins first: generating them sets each key result's current figures. The
        # foreign keys are checked at commit, when the key results are in.
        estimate = sum(self.weeks(c) for c in cycles) * len(key_results) // len(cycles)
        rows = self.check_ins(cycles, key_results)
        rows_insert(CheckIn, rows, self.report, "check-ins", estimate)
        insert(KeyResult, key_results, self.report, "key results", len(key_results))
        insert(ObjectiveKeyResult, holdings, self.report, "holdings", len(holdings))

    def key_result(self, cycle, people, number: int, strategic: int, measures_of) -> KeyResult:
        rng = self.rng
        kind = rng.choices(["metric", "milestone", "stay_above"], weights=[8, 1, 1])[0]
        baseline = float(rng.choice([0, 10, 20, 50]))
        target = {"metric": baseline + rng.choice([10, 25, 50, 100]), "milestone": 1.0}.get(
            kind, baseline + 5
        )
        linked = None
        if cycle.state == Cycle.State.ACTIVE and kind == "metric" and rng.random() < 0.05:
            linked = measures_of.get(strategic)
        return KeyResult(
            pk=self.ids.next(KeyResult),
            cycle_id=cycle.pk,
            title=f"Key result {number + 1}",
            owner_id=people[(number + 1) % len(people)],
            kind=kind,
            baseline=0.0 if kind == "milestone" else baseline,
            target=target,
            current=0.0 if kind == "milestone" else baseline,
            unit_label="" if kind == "milestone" else "%",
            linked_measure_id=linked,
        )

    def weeks(self, cycle: Cycle) -> int:
        until = min(cycle.end + timedelta(days=1), self.today + timedelta(days=1))
        return len([w for w in range(1, 14) if cycle.start + timedelta(days=7 * w) < until])

    def check_ins(self, cycles: list[Cycle], key_results: list[KeyResult]) -> Iterator[tuple]:
        """Weekly check-ins from each cycle's start (rows in CheckIn's field order); the key
        result ends at the last one."""
        by_pk = {cycle.pk: cycle for cycle in cycles}
        moments: dict[date, datetime] = {}
        for key_result in key_results:
            cycle = by_pk[key_result.cycle_id]
            weeks = self.weeks(cycle)
            final = self.rng.uniform(0.1, 1.1)
            span = key_result.target - key_result.baseline
            for week in range(1, weeks + 1):
                if key_result.kind == "milestone":
                    value = 1.0 if week == weeks and final >= 0.8 else 0.0
                elif key_result.kind == "stay_above":
                    value = round(key_result.target + self.rng.uniform(-2, 4), 2)
                else:
                    share = final * week / weeks + self.rng.uniform(-0.03, 0.03)
                    value = round(key_result.baseline + share * span, 2)
                day = cycle.start + timedelta(days=7 * week)
                if day not in moments:
                    moments[day] = timezone.make_aware(datetime.combine(day, time(9, 30)))
                key_result.current, key_result.latest_confidence = value, self.rng.randint(3, 9)
                key_result.last_checkin_at = moments[day]
                yield (
                    self.ids.next(CheckIn),
                    key_result.pk,
                    value,
                    key_result.latest_confidence,
                    "",
                    key_result.owner_id,
                    moments[day],
                    "",  # note_asked: no scorecard of the generated company asks for notes
                )


def organisation_exists() -> bool:
    return Unit.objects.exists()


def sequences_reset() -> None:
    """Rows went in with their ids: move PostgreSQL's sequences past them."""
    from django.apps import apps

    models = [
        model
        for label in ("org", "strategy", "okrs")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


@transaction.atomic
def generate(
    size: str | Size, *, today: date | None = None, report: Progress | None = None
) -> bool:
    """Create the organisation of this size once; returns False when the database already
    holds an organisation (a generated one is never mixed with another)."""
    if organisation_exists():
        return False
    report = report or (lambda stage, done, total: None)
    Generator(SIZES.get(size, size), today or timezone.localdate(), report).build()
    sequences_reset()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics of the tables just filled
    recompute_all(lambda stage, done, total: report(f"recompute: {stage}", done, total))
    Objective.objects.filter(
        cycle__state=Cycle.State.CLOSED, final_grade__isnull=True, score__isnull=False
    ).update(final_grade=Least(F("score"), 1.0))
    report("done", 1, 1)
    return True
