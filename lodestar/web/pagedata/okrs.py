"""What the OKR pages show, loaded in a fixed number of queries whatever the data size:
key result rows with colour and pace, the alignment tree, "my key results", a person's
summary and the cycle review. Visibility comes from `lodestar.okrs.selectors`."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from lodestar import scoring, tree
from lodestar.insights.forecast import KeyResultForecast, held_forecast, key_result_forecasts
from lodestar.okrs.models import Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.okrs.selectors import (
    changeable_okr_objectives,
    objective_succeeded,
    succeeded_on,
    visible_checkins,
    visible_objectives,
)
from lodestar.org.models import Membership, Person
from lodestar.org.selectors import subtree_ids, unit_parents
from lodestar.scores.pace import key_result_pace, objective_pace
from lodestar.scores.words import key_result_colour_of, okr_colour_of, pace_word
from lodestar.scoring import Pace
from lodestar.scoring.outcomes import VERDICTS, Outcome, objective_outcome
from lodestar.strategy.models import StrategicObjective

CHECKIN_WEEK = timedelta(days=7)


@dataclass
class KeyResultRow:
    key_result: KeyResult
    colour: str
    pace: Pace
    needs_checkin: bool = False
    objectives: list[Objective] = field(default_factory=list)
    forecast: KeyResultForecast | None = None  # set by the pages that show one


def key_result_row(key_result: KeyResult, cycle: Cycle, now: datetime) -> KeyResultRow:
    pace = key_result_pace(key_result, cycle, now)
    last = key_result.last_checkin_at
    return KeyResultRow(
        key_result=key_result,
        colour=key_result_colour_of(key_result.score, pace),
        pace=pace,
        needs_checkin=pace == Pace.STALE or last is None or now - last > CHECKIN_WEEK,
    )


@dataclass
class ObjectiveNode:
    objective: Objective
    colour: str
    pace: Pace | None
    key_results: list[KeyResultRow]
    serves: list[StrategicObjective]
    serves_through_parent: bool = False
    dimmed: bool = False  # shown only as the ancestor of a match
    children: list["ObjectiveNode"] = field(default_factory=list)
    hidden_children: int = 0  # sub-objectives behind a "show" link, loaded on demand


@dataclass
class TreeFilters:
    unit_id: int | None = None
    owner_id: int | None = None
    status: str = ""  # an OKR colour or a pace

    @property
    def active(self) -> bool:
        return bool(self.unit_id or self.owner_id or self.status)


def with_rows(objectives: QuerySet[Objective]) -> QuerySet[Objective]:
    """Objectives with all a tree row shows, in 3 queries whatever their number."""
    holdings = ObjectiveKeyResult.objects.select_related("key_result__owner").order_by(
        "key_result__title"
    )
    return objectives.select_related("owner", "unit", "parent").prefetch_related(
        "contributes_to", Prefetch("holdings", queryset=holdings)
    )


def cycle_objectives(person: Person, cycle: Cycle) -> QuerySet[Objective]:
    return with_rows(visible_objectives(person).filter(cycle=cycle))


def objective_node(objective: Objective, cycle: Cycle, now: datetime) -> ObjectiveNode:
    rows = [key_result_row(h.key_result, cycle, now) for h in objective.holdings.all()]
    held = [(h.key_result, h.weight) for h in objective.holdings.all()]
    pace = objective_pace(objective, held, cycle, now)
    return ObjectiveNode(
        objective=objective,
        # Not started only while every key result is: neutral, not the red of a 0 score.
        colour=key_result_colour_of(objective.score, pace),
        pace=pace,
        key_results=rows,
        serves=list(objective.contributes_to.all()),
    )


def okr_branch(
    person: Person, objective: Objective, now: datetime | None = None
) -> list[ObjectiveNode]:
    """The sub-objectives of one objective the person may see, each closed: its
    sub-objectives a count behind their own branch link."""
    now = now or timezone.now()
    outline = tree_outline(visible_objectives(person).filter(cycle=objective.cycle_id))
    children: dict[int | None, list[int]] = {}
    for pk, shape in outline.items():
        children.setdefault(shape.parent_id, []).append(pk)
    # The outline came through the permission layer: its ids need not go through it again.
    shown = Objective.objects.filter(pk__in=children.get(objective.pk, []))
    nodes = [objective_node(o, objective.cycle, now) for o in with_rows(shown)]
    mark_serving(nodes, outline)
    for node in nodes:
        node.hidden_children = len(children.get(node.objective.pk, ()))
    return sorted(nodes, key=lambda node: node.objective.title)


class Shape(NamedTuple):
    """One visible objective as the tree's outline holds it: light, no model."""

    parent_id: int | None  # None also when the person may not see the parent
    unit_id: int | None
    owner_id: int | None
    score: float | None


Outline = dict[int, Shape]


def tree_outline(visible: QuerySet[Objective]) -> Outline:
    """Objective → its shape: the whole tree in one light query; a parent the person
    may not see counts as none (the objective is a root)."""
    rows = visible.values_list("pk", "parent_id", "unit_id", "owner_id", "score")
    outline = {pk: Shape(*shape) for pk, *shape in rows}
    return {
        pk: shape._replace(parent_id=shape.parent_id if shape.parent_id in outline else None)
        for pk, shape in outline.items()
    }


def mark_serving(nodes: list[ObjectiveNode], outline: Outline) -> None:
    """Marks the nodes that serve no strategic objective themselves but through an
    objective above them (in one query: the contributions of their ancestors)."""
    parent_of = tree.parent_within(outline, lambda shape: shape.parent_id)
    above = {node.objective.pk: tree.ancestors(node.objective.pk, parent_of) for node in nodes}
    through = Objective.contributes_to.through.objects
    serving = set(
        through.filter(objective__in={pk for pks in above.values() for pk in pks}).values_list(
            "objective_id", flat=True
        )
    )
    for node in nodes:
        through_parent = bool(serving.intersection(above[node.objective.pk]))
        node.serves_through_parent = not node.serves and through_parent


@dataclass(frozen=True)
class TreeRow:
    node: ObjectiveNode
    closes: range  # the enclosing branches that end right after this row


def tree_rows(roots: list[ObjectiveNode]) -> list[TreeRow]:
    """The tree in reading order, flat, so that a template renders it in one loop."""
    rows: list[TreeRow] = []
    stack: list[tuple[ObjectiveNode, int]] = [(node, 0) for node in reversed(roots)]
    while stack:
        node, ending = stack.pop()
        if not node.children:
            rows.append(TreeRow(node, range(ending)))
            continue
        rows.append(TreeRow(node, range(0)))
        last = len(node.children) - 1
        stack.extend(
            (child, ending + 1 if index == last else 0)
            for index, child in reversed(list(enumerate(node.children)))
        )
    return rows


MATCHES_SHOWN = 200  # a filter over the whole company shows this many, the page stays small


def filtered_tree(
    person: Person, cycle: Cycle, filters: TreeFilters, now: datetime | None = None
) -> tuple[list[ObjectiveNode], int]:
    """The cycle's visible objectives that match the filters (the first `MATCHES_SHOWN`
    in tree order), nested under their parent objective with their ancestors (dimmed)
    so that the alignment stays readable, roots in the order company → units (tree
    order) → people's own; and how many match. Unfiltered, the tree opens by unit
    instead (`okr_units.tree_by_unit`)."""
    now = now or timezone.now()
    nodes = {o.pk: objective_node(o, cycle, now) for o in cycle_objectives(person, cycle)}
    parents = unit_parents()
    order = unit_order(parents)

    def place(node: ObjectiveNode) -> tuple[int, str]:
        return order.get(node.objective.unit_id, len(order)), node.objective.title

    for node in nodes.values():
        node.serves_through_parent = not node.serves and any(
            a.serves for a in ancestors(node, nodes)
        )
    units = subtree_ids({filters.unit_id}, parents) if filters.unit_id else None
    members = unit_members(units) if units else set()
    matching = [node for node in nodes.values() if matches(node, filters, units, members)]
    first = {node.objective.pk for node in sorted(matching, key=place)[:MATCHES_SHOWN]}
    shown = set(first)
    for pk in first:
        shown.update(a.objective.pk for a in ancestors(nodes[pk], nodes))
    for pk in shown - first:
        nodes[pk].dimmed = True
    roots = []
    for pk in shown:
        node = nodes[pk]
        parent_id = node.objective.parent_id
        if parent_id in shown:
            nodes[parent_id].children.append(node)
        else:
            roots.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: child.objective.title)
    return sorted(roots, key=place), len(matching)


def ancestors(node: ObjectiveNode, nodes: dict[int, ObjectiveNode]) -> list[ObjectiveNode]:
    parent_of = tree.parent_within(nodes, lambda above: above.objective.parent_id)
    return [nodes[pk] for pk in tree.ancestors(node.objective.pk, parent_of)]


def unit_members(units: set[int]) -> set[int]:
    return set(Membership.objects.filter(unit__in=units).values_list("person_id", flat=True))


def matches(
    node: ObjectiveNode, filters: TreeFilters, units: set[int] | None, members: set[int]
) -> bool:
    """`units`: the filtered unit's subtree (None: any unit). A personal objective (no
    unit) belongs to its owner's units, as in the permission layer."""
    objective = node.objective
    if filters.owner_id and objective.owner_id != filters.owner_id:
        return False
    if units is not None:
        personal = objective.unit_id is None and objective.owner_id in members
        if objective.unit_id not in units and not personal:
            return False
    return not filters.status or filters.status in (node.colour, node.pace)


def unit_order(parents: dict[int, int | None]) -> dict[int, int]:
    """Position of every unit in a depth-first walk from the root(s), by id."""
    children = tree.children_of(dict(sorted(parents.items())))
    walk = tree.depth_first(children.get(None, []), children)
    return {unit_id: position for position, (unit_id, _) in enumerate(walk)}


def my_key_results(person: Person, cycle: Cycle, now: datetime | None = None) -> list[KeyResultRow]:
    """The person's key results in the cycle, those needing a check-in this week first."""
    now = now or timezone.now()
    held_by = Prefetch(
        "okr_objectives", queryset=visible_objectives(person).only("pk", "title", "cycle_id")
    )
    rows = []
    for key_result in person.key_results.filter(cycle=cycle).prefetch_related(held_by):
        row = key_result_row(key_result, cycle, now)
        row.objectives = list(key_result.okr_objectives.all())
        rows.append(row)
    rows.sort(key=lambda row: (not row.needs_checkin, row.key_result.title))
    return rows


@dataclass
class PersonSummary:
    key_result_average: float | None
    objective_average: float | None
    by_pace: list[tuple[Pace, str, int]]  # (pace, its words, how many key results)
    checkins_last_30_days: int


def average(scores: Iterable[float | None]) -> float | None:
    known = [score for score in scores if score is not None]
    return sum(known) / len(known) if known else None


def person_summary(
    viewer: Person,
    person: Person,
    rows: list[KeyResultRow],
    objectives: list[ObjectiveNode],
    now: datetime | None = None,
) -> PersonSummary:
    """Averages and pace counts of the key results and objectives shown (N/A left out, as
    in every roll-up), and the check-ins the person made in the last 30 days on key
    results the viewer may see (one query)."""
    now = now or timezone.now()
    counts = {pace: 0 for pace in scoring.PACE_ORDER}
    for row in rows:
        counts[row.pace] += 1
    recent = visible_checkins(viewer).filter(author=person, created_at__gte=now - timedelta(30))
    return PersonSummary(
        key_result_average=average(row.key_result.score for row in rows),
        objective_average=average(node.objective.score for node in objectives),
        by_pace=[(pace, pace_word(pace), count) for pace, count in counts.items()],
        checkins_last_30_days=recent.count(),
    )


@dataclass
class ReviewRow:
    objective: Objective
    colour: str
    succeeded: bool | None
    may_grade: bool
    outcome: Outcome = Outcome.NOT_SCORED  # its one word (scoring.outcomes)
    forecast: float | None = None  # its forecast score at the cycle's end, while open


@dataclass
class KindTally:
    kind: str  # the kind's label
    objectives: int
    succeeded: int


@dataclass
class CycleReview:
    rows: list[ReviewRow]  # those of the page asked for (every one when none was)
    succeeded: int
    judged: int  # objectives with a grade or a score, the ones success is told for
    average_grade: float | None  # of the final grades given (ungraded ones left out)
    by_kind: list[KindTally]
    count: int = 0  # every visible objective of the cycle
    page: int = 1


def held_key_results(objectives: list[Objective]) -> dict[int, list[tuple[KeyResult, float]]]:
    """Each objective's (key result, weight) pairs, in one query."""
    held: dict[int, list[tuple[KeyResult, float]]] = {o.pk: [] for o in objectives}
    holdings = ObjectiveKeyResult.objects.filter(objective__in=objectives).select_related(
        "key_result"
    )
    for holding in holdings:
        held[holding.objective_id].append((holding.key_result, holding.weight))
    return held


def cycle_review(
    person: Person,
    cycle: Cycle,
    *,
    page_size: int | None = None,
    page: int = 1,
    holding: int | None = None,
) -> CycleReview:
    """The cycle's visible objectives with score, success by kind and whether the person
    may grade each (grading needs an active or closed cycle), and the summary.

    The summary is counted from plain rows of every objective; models (with owner and
    unit) are read only for the rows of the page asked for: `page` of `page_size`, or
    the page holding the objective `holding`. A few queries plus the person's access,
    and a page of a 4,000-objective cycle builds 100 objectives, not 4,000."""
    in_cycle = visible_objectives(person).filter(cycle=cycle)
    figures = list(
        in_cycle.order_by("unit__name", "title", "pk").values_list(
            "pk", "kind", "final_grade", "score"
        )
    )
    ids = [pk for pk, *_ in figures]
    listed = in_cycle
    if page_size is not None:
        if holding in ids:
            page = ids.index(holding) // page_size + 1
        page = max(page, 1)
        ids = ids[(page - 1) * page_size : page * page_size]
        listed = in_cycle.filter(pk__in=ids)
    found = listed.select_related("owner", "unit").in_bulk()
    objectives = [found[pk] for pk in ids if pk in found]
    gradable = cycle.state != Cycle.State.PLANNING
    changeable = (
        set(changeable_okr_objectives(person, listed).values_list("pk", flat=True))
        if gradable
        else set()
    )
    # Only an open cycle's objectives are told by their key results' pace (one query).
    held = (
        held_key_results(objectives)
        if cycle.state == Cycle.State.ACTIVE
        else {o.pk: [] for o in objectives}
    )
    forecasts = key_result_forecasts(kr for pairs in held.values() for kr, _ in pairs)
    now = timezone.now()
    rows = []
    for o in objectives:
        pace = objective_pace(o, held[o.pk], cycle, now) if held[o.pk] else None
        outcome = objective_outcome(
            cycle_state=cycle.state,
            graded=o.final_grade is not None,
            succeeded=objective_succeeded(o),
            pace=pace,
        )
        rows.append(
            ReviewRow(
                objective=o,
                # New work is not failed work: no colour while every key result is new.
                colour=okr_colour_of(o.score)
                if outcome in VERDICTS
                else key_result_colour_of(o.score, pace),
                succeeded=objective_succeeded(o),
                may_grade=o.pk in changeable,
                outcome=outcome,
                forecast=None
                if outcome in VERDICTS
                else held_forecast(o, held[o.pk], forecasts).score,
            )
        )
    success = [(kind, succeeded_on(grade, score, kind)) for _, kind, grade, score in figures]
    by_kind = [
        KindTally(
            kind=label,
            objectives=sum(k == kind for k, _ in success),
            succeeded=sum(k == kind and bool(s) for k, s in success),
        )
        for kind, label in Objective.Kind.choices
    ]
    return CycleReview(
        rows=rows,
        succeeded=sum(bool(s) for _, s in success),
        judged=sum(s is not None for _, s in success),
        average_grade=average(grade for _, _, grade, _ in figures),
        by_kind=by_kind,
        count=len(figures),
        page=page,
    )
