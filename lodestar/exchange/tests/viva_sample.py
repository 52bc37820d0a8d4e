"""Viva Goals exports made up from the product's descriptions, both shapes, any size: a
company's objectives per time period, teams' objectives aligned to them (some to a key
result), sub-teams' under those, key results of every kind, deliverables under some key
results, weekly check-ins. `organisation()` makes the goals; `explorer_csv`,
`explorer_xlsx` and `json_zip` write them as Viva did. Each goal carries the progress and
score Viva would have shown (`progress`, `score`), which the tests compare with
Lodestar's."""

import csv
import io
import json
import random
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

STANDARD = {"top": "Objective", "objective": "Objective", "kr": "Key result", "work": "Deliverable"}
CUSTOM = {"top": "Big rock", "objective": "Outcome", "kr": "Outcome", "work": "Project"}
KINDS = (
    "Increase from",
    "Increase from",
    "Decrease from",
    "Reach",
    "Stay above",
    "Stay below",
    "Percentage",
    "Find a baseline",
)
STATUSES = ("On Track", "On Track", "Behind", "At Risk", "Not Started", "Closed", "Postponed")
TEAMS = ("Sales", "Marketing", "Product", "Engineering", "Customer Success", "Finance")
FIRST = ("Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Greta", "Hugo", "Ines", "Jon", "Kai")
LAST = ("Lima", "Berg", "Okafor", "Novak", "Reyes", "Sato", "Weber", "Costa", "Dubois")


@dataclass
class SampleCheckin:
    at: datetime
    value: str
    user: str
    note: str
    status: str


@dataclass
class SampleGoal:
    id: str
    title: str
    type: str
    role: str  # objective, key result, deliverable: what Viva meant
    period: str
    team: str
    owner: str
    parent: "SampleGoal | None" = None
    weight: float | None = None  # percent in its parent
    kind: str = ""
    start: float | None = None
    target: float | None = None
    unit: str = ""
    checkins: list[SampleCheckin] = field(default_factory=list)
    children: list["SampleGoal"] = field(default_factory=list)
    progress: float = 0.0  # percent, as Viva computed it
    score: float | None = None
    status: str = "On Track"

    @property
    def children_differ(self) -> bool:
        """Would Lodestar score this objective otherwise than Viva's progress? When
        objectives are aligned to it, or a key result finds its baseline or is over."""
        return any(
            child.role == "objective" or child.kind == "Find a baseline" or child.progress > 100
            for child in self.children
        )


@dataclass
class Sample:
    periods: list[tuple[str, date, date]]
    users: list[tuple[str, str, str, str]]  # name, e-mail, manager, team
    goals: list[SampleGoal]

    @property
    def checkin_count(self) -> int:
        return sum(len(goal.checkins) for goal in self.goals)


def organisation(
    *, top: int = 4, per_top: int = 6, per_team: int = 2, terms=STANDARD, seed: int = 7
) -> Sample:
    """Per period (two closed quarters of 2025): `top` company objectives of 3 key
    results each, `per_top` team objectives aligned to each (one in five to a company key
    result), `per_team` sub-team objectives under each team objective."""
    rng = random.Random(seed)
    users = []
    for index in range(40):
        name = f"{FIRST[index % len(FIRST)]} {LAST[index // len(FIRST)]}"  # all different
        users.append((name, f"{name.lower().replace(' ', '.')}@example.com", "", TEAMS[index % 6]))
    users = [(n, e, users[0][0] if i else "", t) for i, (n, e, _, t) in enumerate(users)]
    names = [user[0] for user in users]
    periods = [("Q1 2025", date(2025, 1, 1), date(2025, 3, 31))]
    periods.append(("Q2 2025", date(2025, 4, 1), date(2025, 6, 30)))
    goals: list[SampleGoal] = []
    counter = iter(range(1000, 10**7))

    def goal(role, type_, period, team, parent=None, weight=None, title="") -> SampleGoal:
        made = SampleGoal(
            id=str(next(counter)),
            title=title or f"{type_} {len(goals) + 1}",
            type=type_,
            role=role,
            period=period[0],
            team=team,
            owner=rng.choice(names),
            parent=parent,
            weight=weight,
        )
        if parent is not None:
            parent.children.append(made)
        goals.append(made)
        return made

    def key_results(objective, period, count):
        weights = split(rng, count) if rng.random() < 0.5 else [None] * count
        for weight in weights:
            kr = goal("key result", terms["kr"], period, objective.team, objective, weight)
            measured(rng, kr, period, names)
            if rng.random() < 0.15:
                work = goal("deliverable", terms["work"], period, kr.team, kr)
                measured(rng, work, period, names, kind="Deliverable")

    for period in periods:
        for _ in range(top):
            company = goal("objective", terms["top"], period, "")
            key_results(company, period, 3)
            for _ in range(per_top):
                aligned_to = company
                if rng.random() < 0.2:
                    aligned_to = rng.choice([c for c in company.children if c.role == "key result"])
                team = rng.choice(TEAMS)
                objective = goal("objective", terms["objective"], period, team, aligned_to)
                key_results(objective, period, rng.randint(2, 4))
                for _ in range(per_team):
                    sub = goal("objective", terms["objective"], period, team, objective)
                    key_results(sub, period, 2)
    for item in reversed(goals):  # children first
        rolled_up(item)
    for item in goals:
        item.score = graded(rng, item.progress)
    return Sample(periods, users, goals)


def split(rng, count: int) -> list[float]:
    parts = [rng.randint(1, 5) for _ in range(count)]
    weights = [round(100 * part / sum(parts)) for part in parts]
    weights[-1] = 100 - sum(weights[:-1])
    return [float(weight) for weight in weights]


def measured(rng, kr: SampleGoal, period, names, kind: str = "") -> None:
    kr.kind = kind or rng.choice(KINDS)
    start_day, end_day = period[1], period[2]
    if kr.kind == "Deliverable":
        kr.start, kr.target = None, None
    elif kr.kind == "Increase from":
        kr.start, kr.target, kr.unit = float(rng.randint(5, 50)), float(rng.randint(60, 200)), "€k"
    elif kr.kind == "Decrease from":
        kr.start, kr.target, kr.unit = float(rng.randint(20, 40)), float(rng.randint(2, 15)), "days"
    elif kr.kind == "Reach":
        kr.start, kr.target, kr.unit = None, float(rng.choice([10, 50, 100])), "deals"
    elif kr.kind in ("Stay above", "Stay below"):
        kr.target, kr.unit = 99.0 if kr.kind == "Stay above" else 200.0, "%"
        kr.unit = "%" if kr.kind == "Stay above" else "ms"
    elif kr.kind == "Percentage":
        kr.start, kr.target, kr.unit = 0.0, 100.0, "%"
    else:  # Find a baseline: no target
        kr.start, kr.target = None, None
    reach = rng.uniform(0.1, 1.25)
    weeks = rng.randint(4, 11) if kr.kind != "Find a baseline" else 0
    as_progress = rng.random() < 0.5  # "25%" (progress) rather than the value
    for week in range(1, weeks + 1):
        share = reach * week / weeks
        at = datetime.combine(start_day + timedelta(days=7 * week), time(9, 30))
        if week == weeks and rng.random() < 0.1:
            at = datetime.combine(end_day + timedelta(days=3), time(10))  # checked in late
        status = "At Risk" if share < 0.3 * week / weeks * 2 and week > 3 else "On Track"
        kr.checkins.append(
            SampleCheckin(
                at, written(kr, share, as_progress), rng.choice(names), f"Week {week}", status
            )
        )
    kr.progress = viva_progress(kr, reach if weeks else 0.0)
    kr.status = kr.checkins[-1].status if kr.checkins else "Not Started"


def written(kr: SampleGoal, share: float, as_progress: bool) -> str:
    if kr.kind in ("Percentage", "Deliverable"):
        return f"{min(100.0, share * 100):g}%"
    if kr.kind == "Stay above":
        return f"{98.5 + share:.2f}"
    if kr.kind == "Stay below":
        return f"{230 - 40 * share:.0f}"
    start = kr.start or 0.0
    if as_progress:
        return f"{share * 100:.1f}%"
    return f"{start + share * (kr.target - start):.2f}"


def viva_progress(kr: SampleGoal, reach: float) -> float:
    """Progress as Viva showed it: not below 0, above 100 when over-achieved."""
    if not kr.checkins:
        return 0.0
    if kr.kind == "Deliverable":
        return min(100.0, reach * 100)
    if kr.kind in ("Stay above", "Stay below"):
        value = float(kr.checkins[-1].value)
        meets = value >= kr.target if kr.kind == "Stay above" else value <= kr.target
        return 100.0 if meets else 0.0
    if kr.kind == "Percentage":
        return min(100.0, reach * 100)
    start = kr.start or 0.0
    last = kr.checkins[-1].value
    value = (
        float(last[:-1]) / 100 * (kr.target - start) + start if last.endswith("%") else float(last)
    )
    return max(0.0, round((value - start) / (kr.target - start) * 100, 2))


def rolled_up(goal: SampleGoal) -> None:
    """An objective's progress as Viva rolled it up: everything aligned to it, weighted."""
    if goal.role != "objective" or not goal.children:
        return
    given = [child.weight for child in goal.children]
    weights = [w if w is not None else 1.0 for w in given]
    if any(w is not None for w in given):
        missing = sum(w is None for w in given)
        rest = max(0.0, 100 - sum(w for w in given if w is not None)) / max(missing, 1)
        weights = [w if w is not None else rest for w in given]
    total = sum(weights)
    goal.progress = round(
        sum(c.progress * w for c, w in zip(goal.children, weights, strict=True)) / total, 2
    )


def graded(rng, progress: float) -> float:
    """The owner's score at the period's end: progress to a tenth, sometimes moved by one."""
    score = round(min(progress, 100) / 10) / 10
    if rng.random() < 0.25:
        score += rng.choice((-0.1, 0.1))
    return round(min(1.0, max(0.0, score)), 1)


# Writing it as Viva did -------------------------------------------------------------
EXPLORER_COLUMNS = (
    "Id", "Title", "Team", "Creator", "Owner", "Period", "Start Date", "End Date",
    "Description", "Aligned To", "Metric Name", "Unit", "Target", "Object Type",
    "Goal Type", "Start", "Created At", "Last Check-in", "Progress %", "Actual Progress",
    "Status", "Last Check-in Note", "Score", "Checkins",
)  # fmt: skip


def explorer_rows(sample: Sample) -> list[list[object]]:
    spans = {name: (start, end) for name, start, end in sample.periods}
    rows = []
    for goal in sample.goals:
        start, end = spans[goal.period]
        parent = goal.parent
        aligned = ""
        if parent is not None:
            weight = f"{goal.weight:g}" if goal.weight is not None else ""
            aligned = f"{parent.title}(weight: {weight}%, Id: {parent.id})"
        last = goal.checkins[-1] if goal.checkins else None
        checkins = "".join(
            f"Checkin Date: {c.at:%Y-%m-%d %H:%M:%S}; User: {c.user}; Note: {c.note}; "
            f"Status: {c.status}; Current Value: {c.value}; "
            f"Activity Date: {c.at:%Y-%m-%d %H:%M:%S} UTC;"
            for c in goal.checkins
        )
        rows.append(
            [
                goal.id, goal.title, goal.team, goal.owner, goal.owner, goal.period,
                start.isoformat(), end.isoformat(), "", aligned,
                goal.title if goal.kind not in ("", "Deliverable", "Percentage") else "",
                goal.unit, goal.target if goal.target is not None else "", goal.type,
                goal.kind if goal.kind not in ("Deliverable", "Percentage") else "",
                goal.start if goal.start is not None else "", f"{start:%m/%d/%Y}",
                f"{last.at:%Y-%m-%d %H:%M:%S}" if last else "", f"{goal.progress:g}",
                last.value if last else "", goal.status, last.note if last else "",
                goal.score, checkins,
            ]
        )  # fmt: skip
    return rows


def explorer_csv(sample: Sample) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPLORER_COLUMNS)
    writer.writerows(explorer_rows(sample))
    return out.getvalue().encode("utf-8-sig")


def explorer_xlsx(sample: Sample) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Explorer"
    sheet.append(EXPLORER_COLUMNS)
    for row in explorer_rows(sample):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def json_entries(sample: Sample) -> dict[str, list[dict]]:
    objectives, checkins = [], []
    for goal in sample.goals:
        outcome = {}
        if goal.role != "objective":
            percentage = goal.kind in ("Percentage", "Deliverable")
            outcome = {
                "Outcome Type": "Percentage" if percentage else "Metric",
                "Metric Name": "" if percentage else goal.title,
                "Metric Unit": goal.unit,
                "Start": goal.start,
                "Target": goal.target,
                "Target Type": "" if percentage else goal.kind,
            }
        parent = goal.parent
        objectives.append(
            {
                "ID": goal.id,
                "Title": goal.title,
                "Type": goal.type,
                "Owner": [goal.owner],
                "Teams": [goal.team] if goal.team else [],
                "Time Period": goal.period,
                "Alignment": [
                    {
                        "ID": parent.id,
                        "Title": parent.title,
                        "Weight": f"{goal.weight:g}%" if goal.weight is not None else None,
                    }
                ]
                if parent
                else [],
                "Outcome": outcome,
                "Parent IDs": [parent.id] if parent else [],
                "Children": [child.id for child in goal.children],
                "Score": goal.score,
                "Goal Type": "Committed" if goal.role == "objective" else goal.kind,
                "Progress": goal.progress,
                "Status": goal.status,
            }
        )
        for number, checkin in enumerate(goal.checkins):
            checkins.append(
                {
                    "ID": f"{goal.id}-{number}",
                    "OKR ID": goal.id,
                    "CheckIn Date": checkin.at.isoformat() + "Z",
                    "Check In Owner": checkin.user,
                    "Check In Note": checkin.note,
                    "Current Value": checkin.value,
                    "Status": checkin.status,
                }
            )
    return {
        "Users": [
            {"Name": n, "Email": e, "Manager": m, "Teams": [t]} for n, e, m, t in sample.users
        ],
        "Teams": [{"ID": f"t{i}", "Name": name} for i, name in enumerate(TEAMS)],
        "TimePeriods": [
            {"Name": n, "Start Date": s.isoformat(), "End Date": e.isoformat()}
            for n, s, e in sample.periods
        ],
        "Tags": [],
        "Comments": [],
        "checkins": checkins,
        "objectives": objectives,
    }


def json_zip(sample: Sample, entries: dict[str, list[dict]] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, records in (entries or json_entries(sample)).items():
            archive.writestr(f"export/{name}.json", json.dumps(records))
    return out.getvalue()
