"""Reads of the strategy that need care: a scorecard with everything under it, past
scores month by month, the heat map and the dashboard's OKR figures. Each loads in a
fixed number of queries whatever the size of the organisation, then works in Python."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch

from lodestar import scoring, tree
from lodestar.okrs.models import Cycle, Objective, ObjectiveKeyResult
from lodestar.okrs.selectors import visible_key_results, visible_objectives
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.selectors import ancestor_ids
from lodestar.scores.figures import judged_against, measure_style
from lodestar.scores.pace import key_result_pace, objective_pace
from lodestar.scoring import history
from lodestar.scoring.periods import period_name
from lodestar.strategy.models import (
    CauseEffectLink,
    Measure,
    MeasureValue,
    NoteAsked,
    Perspective,
    Scorecard,
    StrategicObjective,
)
from lodestar.strategy.selectors import current_scorecards

TREND_MONTHS = 12


def months_back(today: date, count: int = TREND_MONTHS) -> list[date]:
    """First days of the last `count` months, oldest first, this month last."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def recent_values(measure_ids: list[int], count: int = TREND_MONTHS) -> dict[int, list]:
    """The latest `count` values of each measure, oldest first (one query)."""
    found: dict[int, list[MeasureValue]] = defaultdict(list)
    for value in MeasureValue.objects.filter(measure_id__in=measure_ids).order_by("period"):
        found[value.measure_id].append(value)
    return {pk: values[-count:] for pk, values in found.items()}


def scorecard_contents(scorecard: Scorecard) -> list[Perspective]:
    """Perspectives (top band first) with `.objective_list`, each objective with
    `.measure_list`, each measure with `.recent` values; parents wired in Python so the
    permission layer asks no further query."""
    perspectives = list(scorecard.perspectives.order_by(*Perspective.READING_ORDER))
    objectives = list(
        StrategicObjective.objects.filter(scorecard=scorecard).select_related("owner")
    )
    measures = list(Measure.objects.filter(objective__scorecard=scorecard).select_related("owner"))
    values = recent_values([m.pk for m in measures])
    by_objective: dict[int, list[Measure]] = defaultdict(list)
    for objective in objectives:
        objective.scorecard = scorecard
    objectives_by_id = {o.pk: o for o in objectives}
    for measure in measures:
        measure.objective = objectives_by_id[measure.objective_id]
        measure.recent = values.get(measure.pk, [])
        by_objective[measure.objective_id].append(measure)
    by_perspective: dict[int, list[StrategicObjective]] = defaultdict(list)
    for objective in objectives:
        objective.measure_list = by_objective[objective.pk]
        by_perspective[objective.perspective_id].append(objective)
    for perspective in perspectives:
        perspective.scorecard = scorecard
        perspective.objective_list = by_perspective[perspective.pk]
    return perspectives


@dataclass
class ScoreHistory:
    months: list[date]
    scorecard: history.History
    perspectives: dict[int, history.History]
    objectives: dict[int, history.History]


def score_history(scorecard: Scorecard, today: date) -> ScoreHistory:
    """How the scorecard, its perspectives and objectives stood at each of the last 12
    months, from measure values (cascaded children included). Four queries."""
    months = months_back(today)
    nodes = [
        history.ObjectiveNode(pk, weight, parent)
        for pk, weight, parent in StrategicObjective.objects.values_list("pk", "weight", "parent")
    ]
    own = dict(
        StrategicObjective.objects.filter(scorecard=scorecard).values_list("pk", "perspective_id")
    )
    wanted = _descendants(set(own), nodes)
    values: dict[int, list] = defaultdict(list)
    for measure_id, period, actual, target in MeasureValue.objects.filter(
        measure__objective__in=wanted
    ).values_list("measure_id", "period", "actual", "target"):
        values[measure_id].append((period, actual, target))
    series = [
        history.MeasureSeries(objective, weight, direction, baseline, target, upper, values[pk])
        for pk, objective, weight, direction, baseline, target, upper in Measure.objects.filter(
            objective__in=wanted
        ).values_list("pk", "objective", "weight", "direction", "baseline", "target", "upper")
    ]
    objectives = history.objective_histories(months, [n for n in nodes if n.key in wanted], series)
    weights = {n.key: n.weight for n in nodes}
    perspectives = {}
    perspective_weights = dict(scorecard.perspectives.values_list("pk", "weight"))
    for perspective_id in perspective_weights:
        parts = [(objectives[o], weights[o]) for o, p in own.items() if p == perspective_id]
        perspectives[perspective_id] = history.combined_history(parts, len(months))
    overall = history.combined_history(
        [(perspectives[p], w) for p, w in perspective_weights.items()], len(months)
    )
    return ScoreHistory(months, overall, perspectives, {o: objectives[o] for o in own})


def _descendants(roots: set[int], nodes: list[history.ObjectiveNode]) -> set[int]:
    return tree.subtree(roots, tree.children_of({node.key: node.parent for node in nodes}))


def map_contents(
    scorecard: Scorecard,
) -> tuple[list[Perspective], list[StrategicObjective], list[CauseEffectLink]]:
    """What the strategy map draws (three queries); perspectives top band first."""
    perspectives = list(scorecard.perspectives.order_by(*Perspective.READING_ORDER))
    objectives = list(StrategicObjective.objects.filter(scorecard=scorecard))
    links = list(CauseEffectLink.objects.filter(cause__scorecard=scorecard))
    lines: dict[int, list[str]] = defaultdict(list)
    for judged in judged_measures(scorecard, objectives):
        lines[judged["objective"]].append(judged_line(judged))
    for objective in objectives:
        objective.targets = lines[objective.pk]
    return perspectives, objectives, links


def judged_measures(
    scorecard: Scorecard, objectives: list[StrategicObjective], as_of: date | None = None
) -> list[dict]:
    """Each measure of these objectives as plain data: its latest value (by `as_of` when
    given), the status that value earns and the target it was judged against, worded as
    the scorecard words them (docs/scoring.md, "A period's target"). Two queries."""
    by_id = {o.pk: o for o in objectives}
    measures = list(
        Measure.objects.filter(objective__in=objectives).order_by(
            "objective__code", "objective__name", "pk"
        )
    )
    values = MeasureValue.objects.filter(measure__in=measures).order_by("period")
    if as_of is not None:
        values = values.filter(period__lte=as_of)
    latest = {value.measure_id: value for value in values}
    judged = []
    for measure in measures:
        measure.objective = by_id[measure.objective_id]
        measure.objective.scorecard = scorecard
        value = latest.get(measure.pk)
        style = measure_style(measure, [value.actual, value.target] if value else [])
        judge = dict(
            direction=measure.direction,
            baseline=measure.baseline,
            target=scoring.period_target(value.target if value else None, measure.target),
            actual=value.actual if value else None,
            upper=measure.upper,
        )
        judged.append(
            {
                "objective": measure.objective_id,
                "name": measure.name,
                "value": style.show(value.actual if value else None),
                "period": period_name(measure.frequency, value.period) if value else "",
                "performance": scoring.measure_performance(**judge),
                "status": scoring.measure_status(**judge, warning=measure.warning),
                "target": judged_against(measure, value, style),
                # The note a value turning the measure red carried, or owes (strategy.notes).
                "note": value.comment if value and value.note_asked == NoteAsked.GIVEN else "",
                "note_owed": bool(value and value.note_asked == NoteAsked.OWED),
            }
        )
    return judged


def judged_line(judged: dict) -> str:
    """A measure in one line, for the map's titles: "Monthly churn 6.81% · target 7.17%
    for Oct 2026 · 5.00% by Oct 2028"."""
    return f"{judged['name']} {judged['value']} · target {judged['target']}"


@dataclass
class OkrHealth:
    cycle: Cycle | None
    paces: dict[str, int] = field(default_factory=dict)  # pace -> key results
    key_results: int = 0
    objectives: int = 0
    average_score: float | None = None


def okr_health(person: Person, cycle: Cycle | None, now: datetime) -> OkrHealth:
    """Pace counts of the key results and average score of the objectives of `cycle`
    that the person may see (private ones count only for those who may see them)."""
    health = OkrHealth(cycle, {pace.value: 0 for pace in scoring.Pace})
    if cycle is None:
        return health
    for key_result in visible_key_results(person).filter(cycle=cycle):
        health.paces[key_result_pace(key_result, cycle, now).value] += 1
        health.key_results += 1
    scores = list(visible_objectives(person).filter(cycle=cycle).values_list("score", flat=True))
    health.objectives = len(scores)
    health.average_score = scoring.weighted_average((s, 1.0) for s in scores)
    return health


@dataclass
class HeatRow:
    unit: Unit
    depth: int
    scorecard: Scorecard | None
    scores: list[float | None]  # perspective scores, one per column (None: N/A)
    execution: list[tuple[float | None, int]]  # OKR score and count, one per column


@dataclass
class HeatMap:
    columns: list[str]  # perspective names, top band first
    rows: list[HeatRow]
    cycle: Cycle | None

    @property
    def scored(self) -> list[HeatRow]:
        """The strategy half's rows: only units with a scorecard have scores to show."""
        return [row for row in self.rows if row.scorecard is not None]

    @property
    def unscored(self) -> list[HeatRow]:
        """Units without a scorecard: named once under the strategy half, not as rows."""
        return [row for row in self.rows if row.scorecard is None]


def unit_tree() -> list[tuple[Unit, int]]:
    """Every unit with its depth, parents before children, siblings by name (one query)."""
    units = list(Unit.objects.order_by("name"))
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit)
    known = {u.pk for u in units}
    roots = [u for u in units if u.parent_id is None or u.parent_id not in known]
    return tree.depth_first(roots, {unit: children[unit.pk] for unit in units})


def heat_map(person: Person, cycle: Cycle | None) -> HeatMap:
    """Units x perspectives: each unit's scorecard perspective scores (strategy), and the
    OKR objectives of the unit's subtree in `cycle` that contribute to objectives of each
    perspective (execution; only those the person may see)."""
    tree = unit_tree()
    scorecards = current_scorecards()
    perspectives = list(
        Perspective.objects.filter(scorecard__in=scorecards.values()).order_by(
            *Perspective.READING_ORDER
        )
    )
    columns: list[str] = []
    root_card = next((scorecards[u.pk] for u, d in tree if d == 0 and u.pk in scorecards), None)
    # The company's bands set the column order (top band first, as everywhere); other
    # names follow where they fall.
    for perspective in sorted(
        perspectives, key=lambda p: (p.scorecard_id != getattr(root_card, "pk", None), -p.position)
    ):
        if perspective.name not in columns:
            columns.append(perspective.name)
    score = {(p.scorecard_id, p.name): p.score for p in perspectives}
    parents = {u.pk: u.parent_id for u, _ in tree}
    # An OKR counts for its own unit and for every unit above it (the subtree rule).
    served: dict[tuple[int, str], list[tuple[float | None, float]]] = defaultdict(list)
    for unit_id, okr_score, weight, names in _okr_contributions(person, cycle):
        for holder in (unit_id, *ancestor_ids(unit_id, parents)):
            for name in names:
                served[(holder, name)].append((okr_score, weight))
    rows = []
    for unit, depth in tree:
        card = scorecards.get(unit.pk)
        rows.append(
            HeatRow(
                unit,
                depth,
                card,
                [score.get((card.pk, c)) if card else None for c in columns],
                [
                    (scoring.weighted_average(served[(unit.pk, c)]), len(served[(unit.pk, c)]))
                    for c in columns
                ],
            )
        )
    return HeatMap(columns, rows, cycle)


def _okr_contributions(person: Person, cycle: Cycle | None) -> list[tuple]:
    """(unit, score, weight, perspective names served) of the cycle's visible unit OKRs."""
    if cycle is None:
        return []
    objectives = visible_objectives(person).filter(cycle=cycle, unit__isnull=False)
    served: dict[int, set[str]] = defaultdict(set)
    through = Objective.contributes_to.through.objects.filter(objective__in=objectives)
    for objective_id, name in through.values_list(
        "objective_id", "strategicobjective__perspective__name"
    ):
        served[objective_id].add(name)
    return [
        (unit_id, score, weight, served[pk])
        for pk, unit_id, score, weight in objectives.values_list("pk", "unit", "score", "weight")
        if pk in served
    ]


def threshold_bands(measure: Measure, values: list[float]) -> list[tuple[float, float, str]]:
    """Red / yellow / green zones of a measure's chart, spanning the values shown and a
    tenth beyond them, so that the zone past the target is visible too."""
    edges = [measure.baseline, measure.target, *values]
    if measure.upper is not None:
        edges.append(measure.upper)
    margin = (max(edges) - min(edges)) * 0.1 or 1.0
    low, high = min(edges) - margin, max(edges) + margin
    if measure.direction == Measure.Direction.RANGE:
        return [(measure.target, measure.upper, "green")]
    share = scoring.warning_share(
        baseline=measure.baseline, target=measure.target, warning=measure.warning
    )
    warning = measure.baseline + share * (measure.target - measure.baseline)
    if measure.target > measure.baseline:
        return [
            (low, warning, "red"),
            (warning, measure.target, "yellow"),
            (measure.target, high, "green"),
        ]
    return [
        (warning, high, "red"),
        (measure.target, warning, "yellow"),
        (low, measure.target, "green"),
    ]


def unit_people(unit: Unit) -> tuple[Person | None, list[Membership]]:
    """The unit's lead and its memberships, people loaded (one query)."""
    memberships = list(
        Membership.objects.filter(unit=unit).select_related("person").order_by("person__first_name")
    )
    lead = next((m.person for m in memberships if m.role == Membership.Role.LEAD), None)
    return lead, memberships


def unit_okrs(person: Person, unit: Unit, cycle: Cycle | None, now: datetime) -> list[Objective]:
    """The unit's OKR objectives of `cycle` that the person may see, each with `.pace`:
    its word while the cycle runs (`scores.pace.objective_pace`), None without key
    results. Three queries."""
    if cycle is None:
        return []
    objectives = list(
        visible_objectives(person)
        .filter(unit=unit, cycle=cycle)
        .select_related("owner")
        .prefetch_related(
            Prefetch("holdings", queryset=ObjectiveKeyResult.objects.select_related("key_result"))
        )
    )
    for objective in objectives:
        held = [(h.key_result, h.weight) for h in objective.holdings.all()]
        objective.pace = objective_pace(objective, held, cycle, now)
    return objectives
