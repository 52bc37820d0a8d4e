"""What the quarterly integrated review and the person summary say, read for one viewer.

Every OKR figure is built from `visible_objectives` / `visible_key_results` of the
viewer, the same querysets the pages use; private objectives count only in the figures
of those who may see them, and shared figures (the quarters' statistics, the success
rates) are built from public objectives only.

A closed quarter is a record: its figures (`review_figures`: the strategy as of its end,
its own execution, the map, the gaps, the statistics) were kept when it closed
(`ReviewSnapshot`) and are read from there; an open quarter's are computed on reading.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from lodestar.insights.alerts import Alert
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.okrs.selectors import objective_succeeded, visible_key_results, visible_objectives
from lodestar.org.models import Person
from lodestar.reports.contribution import PerspectiveContribution, perspective_contributions
from lodestar.reports.figures import cycle_gaps, gaps_shown, map_drawn, strategy_figures
from lodestar.reports.models import ReviewComment, ReviewSnapshot
from lodestar.strategy.models import NoteAsked
from lodestar.strategy.selectors import company_scorecard
from lodestar.web.pagedata.okrs import CycleReview, average, cycle_review
from lodestar.web.views.display import Status, execution_status, judged_status, rollup_status

# A review lists objectives one by one up to this many, unit by unit; the units after that
# are counted, and the workbook export holds them all. Its statistics across quarters name
# at most this many units a cycle, those with the most objectives. So a 10,000-person
# company's review stays a document an executive reads (and a PDF made in seconds).
OBJECTIVES_LISTED = 300
UNITS_PER_QUARTER = 40


@dataclass
class PerspectiveLine:
    name: str
    performance: Status  # the strategy scale
    execution: Status  # an average of OKR scores: the OKR scale
    trend: str  # "up" | "down" | "steady" | ""
    comment: str
    perspective_id: int


@dataclass
class MeasureLine:
    """A measure as the quarter left it: its value, the status it earned and the target
    it was judged against ("7.17% for Oct 2026 · 5.00% by Oct 2028")."""

    objective: str  # its strategic objective's name
    name: str
    value: str  # written in its figures, with its period: "6.81% (Oct 2026)"
    status: Status
    target: str
    note: str = ""  # the note of a value that turned it red (strategy.notes)
    note_owed: bool = False  # a data source turned it red: nobody has said why yet


@dataclass
class AtRiskNote:
    """A check-in that dropped a key result to at risk, and the note it carried."""

    key_result: str  # its title
    value: float
    on: date
    note: str
    owed: bool  # an imported history did so without a note


@dataclass
class UnitResults:
    name: str
    objectives: list[Objective]


@dataclass
class UnitQuarter:
    """One unit's figures in one cycle ("Personal": the personal objectives)."""

    name: str
    objectives: int
    success_rate: float | None
    average_grade: float | None
    discipline: float | None  # share of the cycle's weeks with a check-in


@dataclass
class QuarterLine:
    cycle: str  # its name
    objectives: int
    success_rate: float | None
    average_grade: float | None
    discipline: float | None  # over every public key result of the cycle
    units: list[UnitQuarter]  # the UNITS_PER_QUARTER units with the most objectives
    units_not_listed: int = 0


@dataclass
class IntegratedReview:
    cycle: Cycle
    standing: str  # "as closed on 31 Dec 2026", "so far, as of 7 Dec 2026…"
    scorecard: str | None  # the company scorecard's name
    perspectives: list[PerspectiveLine]
    measures: list[MeasureLine]
    map: str
    okrs: CycleReview
    units: list[UnitResults]  # up to OBJECTIVES_LISTED objectives, whole units
    not_listed: tuple[int, int]  # (objectives, units) beyond those
    carried_over: list[Objective]
    gaps: list[Alert]  # those this viewer may see
    quarters: list[QuarterLine]
    at_risk_notes: list[AtRiskNote] = field(default_factory=list)  # those this viewer may see


def weeks_of(cycle: Cycle, today: date) -> list[date]:
    """The Mondays of the cycle's weeks that have begun by `today`."""
    last = min(cycle.end, today)
    monday = cycle.start - timedelta(days=cycle.start.weekday())
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def weeks_checked_in(key_results, cycle: Cycle, today: date) -> dict[int, int]:
    """How many of the cycle's weeks so far (`weeks_of`) each of these key results (a list
    or a queryset) had a check-in in: counted by the database, one row a key result."""
    weeks = weeks_of(cycle, today)
    if not weeks:
        return {}
    zone = timezone.get_current_timezone()
    start = datetime.combine(weeks[0], time(), zone)
    end = datetime.combine(weeks[-1] + timedelta(days=7), time(), zone)
    counted = (
        CheckIn.objects.filter(
            key_result__in=key_results, created_at__gte=start, created_at__lt=end
        )
        .values("key_result_id")
        .annotate(weeks=Count(TruncWeek("created_at"), distinct=True))
        .values_list("key_result_id", "weeks")
    )
    return dict(counted)


def discipline(
    key_result_ids: list[int], cycle: Cycle, today: date, checked: dict[int, int]
) -> float | None:
    """Share of the cycle's weeks (so far) in which each key result had a check-in
    (`checked`: from `weeks_checked_in`), averaged over the key results; None without any."""
    weeks = len(weeks_of(cycle, today))
    if not key_result_ids or not weeks:
        return None
    return sum(checked.get(pk, 0) / weeks for pk in key_result_ids) / len(key_result_ids)


def success_rate(objectives: list[Objective]) -> float | None:
    judged = [s for s in (objective_succeeded(o) for o in objectives) if s is not None]
    return (sum(judged) / len(judged)) if judged else None


def unit_name(objective: Objective) -> str:
    return objective.unit.name if objective.unit else "Personal"


def quarter_line(cycle: Cycle, today: date) -> QuarterLine:
    """A shared figure: public objectives only, whoever reads (every reader may see them);
    a key result counts for the unit of its first public holder."""
    visible_public = Objective.objects.filter(cycle=cycle, visibility=Objective.Visibility.PUBLIC)
    objectives = list(visible_public.select_related("unit"))
    public = {o.pk: o for o in objectives}
    # (key result, holder) of the public holdings, oldest holding first: as plain rows, so
    # that a cycle of 10,000 key results costs one query and no model per holding
    held = ObjectiveKeyResult.objects.filter(objective__in=visible_public)
    home: dict[int, Objective] = {}
    for key_result_id, objective_id in held.order_by("pk").values_list(
        "key_result_id", "objective_id"
    ):
        home.setdefault(key_result_id, public[objective_id])
    key_results = list(home)
    checked = weeks_checked_in(held.values("key_result_id"), cycle, today)
    by_unit: dict[str, list[Objective]] = defaultdict(list)
    for objective in objectives:
        by_unit[unit_name(objective)].append(objective)
    unit_key_results: dict[str, list[int]] = defaultdict(list)
    for key_result_id, objective in home.items():
        unit_key_results[unit_name(objective)].append(key_result_id)
    lines = [
        UnitQuarter(
            name,
            len(members),
            success_rate(members),
            average(o.final_grade for o in members),
            discipline(unit_key_results[name], cycle, today, checked),
        )
        for name, members in by_unit.items()
    ]
    named = sorted(lines, key=lambda line: (-line.objectives, line.name))[:UNITS_PER_QUARTER]
    return QuarterLine(
        cycle=cycle.name,
        objectives=len(objectives),
        success_rate=success_rate(objectives),
        average_grade=average(o.final_grade for o in objectives),
        discipline=discipline(key_results, cycle, today, checked),
        units=sorted(named, key=lambda line: line.name),
        units_not_listed=len(lines) - len(named),
    )


def listed_units(units: list[UnitResults]) -> tuple[list[UnitResults], list[UnitResults]]:
    """The units listed one objective at a time (whole units, OBJECTIVES_LISTED objectives
    at most, the first always), and the rest."""
    shown = 0
    for index, unit in enumerate(units):
        shown += len(unit.objectives)
        if shown > OBJECTIVES_LISTED and index:
            return units[:index], units[index:]
    return units, []


def review_figures(cycle: Cycle, as_of: date, *, ended: bool) -> dict:
    """What a reading of the quarter shows besides its OKR list, as plain data (the
    snapshot's `figures`): the company scorecard's figures for this cycle and the map
    (`reports.figures`), the gaps and the statistics across quarters up to this one."""
    scorecard = company_scorecard(as_of)  # the quarter's, not today's
    figures = {"scorecard": None, "perspectives": [], "objectives": [], "links": []}
    if scorecard is not None:
        figures = strategy_figures(scorecard, cycle, as_of, ended=ended)
    cycles = Cycle.objects.filter(start__lte=cycle.start).order_by("start")
    return figures | {
        "gaps": cycle_gaps(cycle, as_of),
        "quarters": [asdict(quarter_line(c, as_of)) for c in cycles],
        "at_risk_notes": at_risk_notes(cycle, as_of),
    }


def at_risk_notes(cycle: Cycle, as_of: date) -> list[dict]:
    """The check-ins of the cycle (by `as_of`) that dropped a key result to at risk on a
    scorecard asking for notes, every one (`notes_shown` keeps each reader's), oldest first."""
    rows = (
        CheckIn.objects.filter(key_result__cycle=cycle, created_at__date__lte=as_of)
        .exclude(note_asked=NoteAsked.NOT_ASKED)
        .order_by("created_at", "pk")
        .values_list(
            "key_result_id", "key_result__title", "value", "created_at", "note", "note_asked"
        )
    )
    return [
        {
            "key_result_id": key_result_id,
            "key_result": title,
            "value": value,
            "on": timezone.localdate(at).isoformat(),
            "note": note if asked == NoteAsked.GIVEN else "",
            "owed": asked == NoteAsked.OWED,
        }
        for key_result_id, title, value, at, note, asked in rows
    ]


def notes_shown(reader: Person, notes: list[dict]) -> list[AtRiskNote]:
    """The at-risk notes on key results this reader may see (a private one's stay private)."""
    ids = {note["key_result_id"] for note in notes}
    seen = set(visible_key_results(reader).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        AtRiskNote(n["key_result"], n["value"], date.fromisoformat(n["on"]), n["note"], n["owed"])
        for n in notes
        if n["key_result_id"] in seen
    ]


def figures_read(cycle: Cycle, today: date) -> tuple[dict, str]:
    """The figures of a reading and how they stand: a closed quarter's from its snapshot
    (taken when it closed), an open quarter's computed now."""
    if cycle.state != Cycle.State.CLOSED:
        as_of = min(today, cycle.end)
        return review_figures(cycle, as_of, ended=False), f"so far, as of {as_of:%-d %b %Y}"
    snapshot = ReviewSnapshot.objects.filter(cycle=cycle).first()
    if snapshot is None:  # closed by a bulk load, outside the services: as at its end
        return review_figures(cycle, cycle.end, ended=True), f"as at its end, {cycle.end:%-d %b %Y}"
    if snapshot.closed_on is None:  # kept for a cycle closed before reviews were kept
        return snapshot.figures, f"as at its end, {snapshot.as_of:%-d %b %Y}"
    return snapshot.figures, f"as closed on {snapshot.closed_on:%-d %b %Y}"


def integrated_review(viewer: Person, cycle: Cycle, today: date | None = None) -> IntegratedReview:
    """The review as this viewer may read it: the figures (kept at close for a closed
    quarter), the leaders' commentary, and the quarter's OKRs with their grades and
    retrospectives (a closed cycle takes no other write) as the viewer may see them."""
    figures, standing = figures_read(cycle, today or timezone.localdate())
    comments = {c.perspective_id: c.text for c in ReviewComment.objects.filter(cycle=cycle)}
    perspectives = [
        PerspectiveLine(
            p["name"],
            rollup_status(p["performance"]),
            execution_status(p["execution"]),
            p["trend"],
            comments.get(p["id"], ""),
            p["id"],
        )
        for p in figures["perspectives"]
    ]
    named = {o["id"]: o["name"] for o in figures["objectives"]}
    measures = [  # none kept by reviews before targets were
        MeasureLine(
            named[m["objective"]],
            m["name"],
            f"{m['value']} ({m['period']})" if m["period"] else m["value"],
            judged_status(m["performance"], m["status"]),
            m["target"],
            m.get("note", ""),  # none kept by reviews before notes were
            m.get("note_owed", False),
        )
        for m in figures.get("measures", [])
    ]
    okrs = cycle_review(viewer, cycle)
    units: dict[str, list[Objective]] = defaultdict(list)
    for row in okrs.rows:
        # Its one word (scoring.outcomes): a verdict only once closed or graded.
        row.objective.outcome, row.objective.forecast = row.outcome, row.forecast
        units[unit_name(row.objective)].append(row.objective)
    listed, unlisted = listed_units([UnitResults(name, objs) for name, objs in units.items()])
    carried = list(
        visible_objectives(viewer)
        .filter(cycle__start__gt=cycle.start, carried_from__cycle=cycle)
        .select_related("cycle", "carried_from")
    )
    quarters = [
        QuarterLine(**(line | {"units": [UnitQuarter(**unit) for unit in line["units"]]}))
        for line in figures["quarters"]
    ]
    return IntegratedReview(
        cycle=cycle,
        standing=standing,
        scorecard=figures["scorecard"]["name"] if figures["scorecard"] else None,
        perspectives=perspectives,
        measures=measures,
        map=map_drawn(figures),
        okrs=okrs,
        units=listed,
        not_listed=(sum(len(u.objectives) for u in unlisted), len(unlisted)),
        carried_over=carried,
        gaps=gaps_shown(viewer, figures["gaps"]),
        quarters=quarters,
        at_risk_notes=notes_shown(viewer, figures.get("at_risk_notes", [])),
    )


@dataclass
class PersonCycle:
    cycle: Cycle
    key_results: list[KeyResult]
    grades: list[tuple[Objective, float | None]]
    discipline: float | None


@dataclass
class PersonReport:
    person: Person
    cycles: list[PersonCycle]
    perspectives: dict[str, list[str]] = field(default_factory=dict)  # name → objectives
    # their share of each perspective's execution, per cycle (public objectives only)
    contributions: list[PerspectiveContribution] = field(default_factory=list)


def person_report(viewer: Person, person: Person, today: date | None = None) -> PersonReport:
    """One person's key results, grades and check-in discipline across cycles, and what
    their objectives served in each perspective, as the viewer may see them."""
    today = today or timezone.localdate()
    key_results = list(
        visible_key_results(viewer).filter(owner=person).select_related("cycle").order_by("title")
    )
    objectives = list(
        visible_objectives(viewer)
        .filter(owner=person)
        .select_related("cycle")
        .prefetch_related("contributes_to__perspective")
    )
    cycles = sorted(
        {kr.cycle for kr in key_results} | {o.cycle for o in objectives}, key=lambda c: c.start
    )
    lines = []
    for cycle in cycles:
        mine = [kr for kr in key_results if kr.cycle_id == cycle.pk]
        lines.append(
            PersonCycle(
                cycle,
                mine,
                [(o, o.final_grade) for o in objectives if o.cycle_id == cycle.pk],
                discipline(
                    [kr.pk for kr in mine], cycle, today, weeks_checked_in(mine, cycle, today)
                ),
            )
        )
    perspectives: dict[str, list[str]] = defaultdict(list)
    for objective in objectives:
        for strategic in objective.contributes_to.all():
            perspectives[strategic.perspective.name].append(
                f"{objective.title} ({objective.cycle}) → {strategic.name}"
            )
    return PersonReport(person, lines, dict(perspectives), perspective_contributions(person))
