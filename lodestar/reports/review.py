"""What the quarterly integrated review and the person summary say, read for one viewer.

Every OKR figure is built from `visible_objectives` / `visible_key_results` of the
viewer, the same querysets the pages use; private objectives count only in the figures
of those who may see them, and shared figures (the quarters' statistics, the success
rates) are built from public objectives only.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from lodestar.insights.alerts import Alert, alerts_for
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective
from lodestar.okrs.selectors import objective_succeeded, visible_key_results, visible_objectives
from lodestar.org.models import Person
from lodestar.reports.contribution import PerspectiveContribution, perspective_contributions
from lodestar.reports.models import ReviewComment
from lodestar.scoring.history import trend
from lodestar.web.pagedata import strategy as strategy_data
from lodestar.web.pagedata.okrs import CycleReview, average, cycle_review
from lodestar.web.views.display import Status, execution_status, map_svg, rollup_status

# The alignment gaps and the strategy-execution gap, from the insights' alerts.
GAP_KINDS = {
    "orphan_objective",
    "unserved_strategic_objective",
    "starved_perspective",
    "execution_without_impact",
    "impact_without_execution",
    "unit_without_okrs",
}


@dataclass
class PerspectiveLine:
    name: str
    performance: Status  # the strategy scale
    execution: Status  # an average of OKR scores: the OKR scale
    trend: str  # "up" | "down" | "steady" | ""
    comment: str
    perspective_id: int


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
    cycle: Cycle
    objectives: int
    success_rate: float | None
    average_grade: float | None
    discipline: float | None  # over every public key result of the cycle
    units: list[UnitQuarter]


@dataclass
class IntegratedReview:
    cycle: Cycle
    scorecard: object | None
    perspectives: list[PerspectiveLine]
    map: str
    okrs: CycleReview
    units: list[UnitResults]
    carried_over: list[Objective]
    gaps: list[Alert]
    quarters: list[QuarterLine]


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
    key_results: list[KeyResult], cycle: Cycle, today: date, checked: dict[int, int]
) -> float | None:
    """Share of the cycle's weeks (so far) in which each key result had a check-in
    (`checked`: from `weeks_checked_in`), averaged over the key results; None without any."""
    weeks = len(weeks_of(cycle, today))
    if not key_results or not weeks:
        return None
    return sum(checked.get(kr.pk, 0) / weeks for kr in key_results) / len(key_results)


def success_rate(objectives: list[Objective]) -> float | None:
    judged = [s for s in (objective_succeeded(o) for o in objectives) if s is not None]
    return (sum(judged) / len(judged)) if judged else None


def unit_name(objective: Objective) -> str:
    return objective.unit.name if objective.unit else "Personal"


def quarter_line(viewer: Person, cycle: Cycle, today: date) -> QuarterLine:
    """A shared figure: public objectives only, even for those who see private ones; a
    key result counts for the unit of its first public holder."""
    objectives = list(
        visible_objectives(viewer)
        .filter(cycle=cycle, visibility=Objective.Visibility.PUBLIC)
        .select_related("unit")
    )
    public = {o.pk: o for o in objectives}
    key_results = list(
        KeyResult.objects.filter(holdings__objective__in=objectives)
        .distinct()
        .prefetch_related("holdings")
    )
    checked = weeks_checked_in(key_results, cycle, today)
    by_unit: dict[str, list[Objective]] = defaultdict(list)
    for objective in objectives:
        by_unit[unit_name(objective)].append(objective)
    unit_key_results: dict[str, list[KeyResult]] = defaultdict(list)
    for key_result in key_results:
        holdings = [h for h in key_result.holdings.all() if h.objective_id in public]
        home = public[min(holdings, key=lambda h: h.pk).objective_id]
        unit_key_results[unit_name(home)].append(key_result)
    return QuarterLine(
        cycle=cycle,
        objectives=len(objectives),
        success_rate=success_rate(objectives),
        average_grade=average(o.final_grade for o in objectives),
        discipline=discipline(key_results, cycle, today, checked),
        units=[
            UnitQuarter(
                name,
                len(members),
                success_rate(members),
                average(o.final_grade for o in members),
                discipline(unit_key_results[name], cycle, today, checked),
            )
            for name, members in sorted(by_unit.items())
        ],
    )


def integrated_review(viewer: Person, cycle: Cycle, today: date | None = None) -> IntegratedReview:
    today = today or timezone.localdate()
    scorecard = strategy_data.company_scorecard()
    perspectives, svg = [], ""
    if scorecard is not None:
        bands, objectives, links = strategy_data.map_contents(scorecard)
        history = strategy_data.score_history(scorecard, min(today, cycle.end))
        comments = {c.perspective_id: c.text for c in ReviewComment.objects.filter(cycle=cycle)}
        perspectives = [
            PerspectiveLine(
                p.name,
                rollup_status(p.score),
                execution_status(p.execution),
                trend(history.perspectives.get(p.pk, [])) or "",
                comments.get(p.pk, ""),
                p.pk,
            )
            for p in bands
        ]
        svg = map_svg(f"Strategy map of {scorecard}", bands, objectives, links)
    okrs = cycle_review(viewer, cycle)
    units: dict[str, list[Objective]] = defaultdict(list)
    for row in okrs.rows:
        units[unit_name(row.objective)].append(row.objective)
    carried = list(
        visible_objectives(viewer)
        .filter(cycle__start__gt=cycle.start, carried_from__cycle=cycle)
        .select_related("cycle", "carried_from")
    )
    gaps = [a for a in alerts_for(viewer) if a.kind in GAP_KINDS]
    cycles = Cycle.objects.filter(start__lte=cycle.start).order_by("start")
    return IntegratedReview(
        cycle=cycle,
        scorecard=scorecard,
        perspectives=perspectives,
        map=svg,
        okrs=okrs,
        units=[UnitResults(name, objs) for name, objs in units.items()],
        carried_over=carried,
        gaps=gaps,
        quarters=[quarter_line(viewer, c, today) for c in cycles],
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
                discipline(mine, cycle, today, weeks_checked_in(mine, cycle, today)),
            )
        )
    perspectives: dict[str, list[str]] = defaultdict(list)
    for objective in objectives:
        for strategic in objective.contributes_to.all():
            perspectives[strategic.perspective.name].append(
                f"{objective.title} ({objective.cycle}) → {strategic.name}"
            )
    return PersonReport(person, lines, dict(perspectives), perspective_contributions(person))
