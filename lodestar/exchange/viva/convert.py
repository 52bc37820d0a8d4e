"""A Viva Goals export as rows of Lodestar's layout (through `incoming.rows_book`), with
every decision the dry run names. The rules are in the package's notes."""

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from functools import partial

from django.utils import timezone

from lodestar.exchange.incoming import Incoming, StoredKeys, rows_book
from lodestar.exchange.layout import normalised
from lodestar.exchange.reader import Problem
from lodestar.exchange.viva.directory import People, period_cycles, team_units
from lodestar.exchange.viva.export import DELIVERABLE, OBJECTIVE, Checkin, Export, Goal
from lodestar.exchange.viva.measures import CONFIDENCE, Measure, measure_of, value_of
from lodestar.exchange.viva.scores import compared, expectations
from lodestar.exchange.viva.tree import Placed, Tree
from lodestar.org.acting import Actor

SHAPE = "viva"
ALIGNMENT_PAGE = "/alignment/"

# What the export calls each layout column, for its problems.
COLUMNS = {
    ("objectives", "title"): "Title",
    ("objectives", "owner"): "Owner",
    ("objectives", "unit"): "Team",
    ("objectives", "cycle"): "Period",
    ("objectives", "parent"): "Aligned To",
    ("key_results", "title"): "Title",
    ("key_results", "owner"): "Owner",
    ("key_results", "objective"): "Aligned To",
    ("key_results", "weight"): "Aligned To",
    ("key_results", "baseline"): "Start",
    ("key_results", "target"): "Target",
    ("key_results", "kind"): "Goal Type",
    ("key_results", "unit_label"): "Unit",
    ("checkins", "at"): "Checkin Date",
    ("checkins", "value"): "Current Value",
    ("checkins", "author"): "User",
}


def key_of(goal: Goal) -> str:
    return f"viva-{goal.id}"


class Conversion:
    def __init__(self, export: Export, acting: Actor, people: dict[str, str], place: str):
        self.export, self.acting, self.place = export, acting, place
        self.problems: list[Problem] = list(export.problems)
        self.decisions: list[str] = []
        self.rows: dict[str, list[tuple[int, dict]]] = {}
        self.today = timezone.localdate()
        self.people = People(export, {k.lower(): v for k, v in people.items()})
        self.counts = Counter()
        self.stored_keys = StoredKeys()
        self.after_import = None

    def add(self, sheet: str, number: int, values: dict) -> None:
        self.rows.setdefault(sheet, []).append((number, values))

    def incoming(self) -> Incoming:
        places = {
            "units": "Teams",
            "people": "Users",
            "memberships": "Users",
            "cycles": "Time periods",
        }
        goal_place = self.export.goals[0].place if self.export.goals else self.place
        checkin_place = self.export.checkins[0].place if self.export.checkins else goal_place
        origins = places | dict.fromkeys(
            ("objectives", "key_results", "key_result_shares"), goal_place
        )
        origins["checkins"] = checkin_place
        if self.problems:  # nothing of a file the conversion refused goes further
            return Incoming(rows_book({}, self.problems), SHAPE, [], origins, COLUMNS)
        book = rows_book(self.rows)
        incoming = Incoming(book, SHAPE, self.decisions, origins, COLUMNS, self.stored_keys)
        incoming.after_import = self.after_import
        return incoming

    def run(self) -> Incoming:
        if self.problems:  # the file itself could not be read
            return self.incoming()
        tree = Tree(self.export.goals, self.problems)
        if tree.looped():
            return self.incoming()
        placed = tree.placed()
        if self.problems:
            return self.incoming()
        units = team_units(self.export, self.acting, self.stored_keys)
        for number, row in enumerate(units.rows, start=1):
            self.add("units", number, row)
        cycles = period_cycles(self.export, self.today, self.stored_keys)
        for _period, message in cycles.problems:
            self.problems.append(Problem(self.place, None, "Period", message))
        for number, row in enumerate(cycles.rows, start=1):
            self.add("cycles", number, row)
        measures = self.goal_rows(placed, units, cycles)
        self.checkin_rows(placed, measures, cycles)
        to_find = {goal_id: measure.baseline_to_find for goal_id, measure in measures.items()}
        self.after_import = partial(compared, expectations(placed, to_find))
        self.people_rows(units)
        self.decisions = self.said(tree, placed, units, cycles) + self.decisions
        return self.incoming()

    # Goals ------------------------------------------------------------------------------
    def goal_rows(self, placed: list[Placed], units, cycles) -> dict[str, Measure]:
        measures = {}
        for item in placed:
            goal = item.goal
            if goal.period not in cycles.keys:
                if goal.period == "":
                    self.problems.append(
                        Problem(
                            goal.place, goal.row, "Period", "Empty: every goal has its time period."
                        )
                    )
                continue
            owner = self.owner(goal)
            if item.role == OBJECTIVE:
                self.add(
                    "objectives",
                    goal.row,
                    {
                        "key": key_of(goal),
                        "cycle": cycles.keys[goal.period],
                        "title": goal.title,
                        "description": goal.description,
                        "unit": units.add(goal.teams[0]) if goal.teams else units.company,
                        "owner": owner,
                        "parent": key_of(item.holder) if item.holder else None,
                        "weight": item.weight,
                    },
                )
                self.counts["objectives"] += 1
                self.counts[f"status {goal.status}"] += bool(goal.status)
                continue
            measure = measure_of(goal, item.role)
            measures[goal.id] = measure
            self.counts["baseline to find"] += measure.baseline_to_find
            self.add(
                "key_results",
                goal.row,
                {
                    "key": key_of(goal),
                    "objective": key_of(item.holder),
                    "title": goal.title,
                    "owner": owner,
                    "kind": measure.kind,
                    "baseline": measure.baseline,
                    "target": measure.target,
                    "unit_label": measure.unit[:30],
                    "weight": item.weight,
                },
            )
            for objective, weight in item.shares:
                self.add(
                    "key_result_shares",
                    goal.row,
                    {"objective": key_of(objective), "key_result": key_of(goal), "weight": weight},
                )
        return measures

    def owner(self, goal: Goal) -> str | None:
        if len(goal.owners) > 1:
            self.counts["several owners"] += 1
        return self.people.ref(goal.owners[0]) if goal.owners else None

    # Check-ins --------------------------------------------------------------------------
    def checkin_rows(self, placed: list[Placed], measures: dict[str, Measure], cycles) -> None:
        goals = {item.goal.id: item for item in placed}
        histories: dict[str, list[Checkin]] = {}
        for checkin in self.export.checkins:
            if checkin.goal_id not in goals:
                self.problems.append(
                    Problem(
                        checkin.place,
                        checkin.row,
                        "OKR ID",
                        f"A check-in for the goal {checkin.goal_id!r}, which the export does "
                        "not hold.",
                    )
                )
                continue
            histories.setdefault(checkin.goal_id, []).append(checkin)
        for item in placed:
            goal = item.goal
            history = histories.get(goal.id, [])
            if item.role == OBJECTIVE:
                self.counts["objective check-ins"] += len(history)
                continue
            measure = measures.get(goal.id)
            if measure is None or goal.period not in cycles.ends:
                continue
            if measure.baseline_to_find:
                self.counts["baseline check-ins"] += len(history)
                continue
            if not history and goal.progress is not None:
                history = [self.from_progress(goal, cycles.ends[goal.period])]
                self.counts["progress as check-in"] += 1
            self.history_rows(goal, history, measure, cycles.ends[goal.period])

    def from_progress(self, goal: Goal, span) -> Checkin:
        at = goal.last_checkin or datetime.combine(span[1], time(12), tzinfo=UTC)
        return Checkin(
            goal.id,
            at,
            f"{goal.progress}%",  # progress, unambiguous where Actual Progress is not
            goal.place,
            goal.row,
            note=goal.last_note,
            status=goal.status,
        )

    def history_rows(self, goal: Goal, history: list[Checkin], measure: Measure, span) -> None:
        start, end = span
        last_day = min(end, self.today - timedelta(days=1)) if end >= self.today else end
        taken = set()
        for checkin in sorted(history, key=lambda c: c.at):
            try:
                value = value_of(checkin.value, measure)
            except ValueError as problem:
                self.problems.append(
                    Problem(checkin.place, checkin.row, "Current Value", f"{problem}.")
                )
                continue
            if value is None:
                self.counts["check-ins without a value"] += 1
                continue
            at = checkin.at
            if at.date() > last_day or at.date() < start:
                day = last_day if at.date() > last_day else start
                at = datetime.combine(day, time(12), tzinfo=UTC)
                self.counts["check-ins moved into their period"] += 1
            while at in taken:
                at += timedelta(seconds=1)
            taken.add(at)
            self.add(
                "checkins",
                checkin.row,
                {
                    "key_result": key_of(goal),
                    "at": at.isoformat(),
                    "value": value,
                    "confidence": CONFIDENCE.get(normalised(checkin.status), 5),
                    "note": checkin.note,
                    "author": self.people.ref(checkin.user),
                },
            )
            self.counts["check-ins"] += 1

    # People -----------------------------------------------------------------------------
    def people_rows(self, units) -> None:
        for number, row in enumerate(self.people.rows, start=1):
            user = row.get("viva_user")
            if user is not None and user.manager:
                row["manager"] = self.people.ref(user.manager)
            self.add("people", number, row)
            for team in user.teams if user is not None else ():
                self.add("memberships", number, {"unit": units.add(team), "person": row["login"]})
        # A unit made for a member's team after the units rows were taken.
        self.rows["units"] = list(enumerate(units.rows, start=1))

    # The dry run's words ----------------------------------------------------------------
    def said(self, tree: Tree, placed: list[Placed], units, cycles) -> list[str]:
        roles = Counter(item.role for item in placed)
        lines = [
            f"Viva Goals export: {roles[OBJECTIVE]} objectives, {roles['key result']} key "
            f"results, {roles[DELIVERABLE]} deliverables, {self.counts['check-ins']} check-ins."
        ]
        lines += tree.said()
        people = self.people
        matched = ", ".join(f"{n} by {how}" for how, n in people.matched_by.items())
        lines.append(
            f"People: {len(people.rows)} to create (from the e-mails in the file)"
            + (f"; matched {matched}" if matched else "")
            + "."
        )
        if people.unmatched:
            names = ", ".join(f"{name} ({n}×)" for name, n in people.unmatched.most_common(20))
            lines.append(
                f"{len(people.unmatched)} people named by display name only could not be matched "
                f"(what they own becomes yours): {names}. Map them: lodestar import --person "
                "'Display Name=login' (or give the people e-mails in Lodestar first)."
            )
        lines.append(
            f"Teams: {len(units.rows)} units to create, {units.reused} found here by name."
        )
        lines += cycles.decisions
        said = {
            "baseline to find": "key results were to find a baseline (no target): imported as "
            "milestones not started (target 1: done when the baseline is known); set their "
            "target once it is",
            "baseline check-ins": "check-ins of key results finding their baseline are left out",
            "objective check-ins": "check-ins on objectives are left out (an objective's score "
            "comes from its key results in Lodestar)",
            "progress as check-in": "key results without a check-in history had their "
            "Progress % imported as one check-in",
            "check-ins moved into their period": "check-ins dated outside their time period "
            "(or today) were dated its nearest day",
            "check-ins without a value": "check-ins without a Current Value are left out",
            "several owners": "goals had several owners: the first owns each",
        }
        lines += [f"{self.counts[k]} {words}." for k, words in said.items() if self.counts[k]]
        statuses = {k[7:]: n for k, n in self.counts.items() if k.startswith("status ") and n}
        if statuses:
            lines.append(
                "Objective statuses ("
                + ", ".join(f"{n} {status}" for status, n in statuses.items())
                + ") are not imported: Lodestar says where each stands from its key results; "
                "check-in statuses set each check-in's confidence (On Track 8, Behind 5, At "
                "Risk 3)."
            )
        lines.append(
            f"{roles[OBJECTIVE]} objectives have no strategic objective: link them after "
            f"import ({ALIGNMENT_PAGE})."
        )
        return lines


def converted_export(
    export: Export, place: str, *, acting: Actor = None, people: dict[str, str] | None = None
) -> Incoming:
    return Conversion(export, acting, people or {}, place).run()
