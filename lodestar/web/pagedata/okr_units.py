"""The OKR tree by unit: a summary row per unit (the objectives the reader may see in it
and below, their average score and how many are of each colour) and, for the units the
page opens, the unit's own objectives in full.

The page costs what it shows, not what the company holds. The figures are counted in SQL,
in one query grouped by unit and colour over the objectives the permission layer shows
(so a private objective someone may not see is neither a row, a count nor part of an
average), the not-started ones found inside it; objectives are loaded
in full, with their key results, only for the opened units: the path from the company
down to the reader's own units, or the one unit a branch asks for (`unit_branch`). The
CEO's page holds the company's objectives and a row per division, not the company's
4,000 objectives."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from lodestar import tree
from lodestar.okrs.models import Cycle, Objective, ObjectiveKeyResult
from lodestar.okrs.selectors import visible_objectives
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.permissions import reader_for
from lodestar.scores.parameters import okr_bands, pace_rules
from lodestar.scores.words import okr_colour_of
from lodestar.scoring.bands import PRECISION
from lodestar.web.pagedata.okrs import (
    ObjectiveNode,
    Outline,
    Shape,
    TreeRow,
    mark_serving,
    objective_node,
    tree_outline,
    tree_rows,
    with_rows,
)

COLOURS = ("green", "yellow", "red", "grey")


@dataclass
class Figures:
    """A unit's objectives as counted for one reader: how many, their scores' sum (for
    the average; N/A and not started left out: new work is not failed work) and how many
    of each colour."""

    objectives: int = 0
    scored: int = 0
    total: float = 0.0
    colours: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLOURS, 0))

    def add(self, other: "Figures") -> None:
        self.objectives += other.objectives
        self.scored += other.scored
        self.total += other.total
        for colour, count in other.colours.items():
            self.colours[colour] += count

    @property
    def average(self) -> float | None:
        return self.total / self.scored if self.scored else None

    @property
    def colour(self) -> str:
        return okr_colour_of(self.average)

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(colour, how many) of the colours some objective has, green first."""
        return [(colour, self.colours[colour]) for colour in COLOURS if self.colours[colour]]


@dataclass
class UnitRow:
    unit_id: int
    name: str
    figures: Figures  # the unit and every unit below it
    opened: bool = False
    rows: list[TreeRow] = field(default_factory=list)  # its own objectives, when opened
    units: list["UnitRow"] = field(default_factory=list)  # its sub-units, when opened


@dataclass
class UnitTree:
    units: list[UnitRow]  # the roots, opened down to the reader's units
    own: list[TreeRow]  # the reader's objectives no opened unit shows


def started(cycle: Cycle, now: datetime) -> Q:
    """A holding whose key result is started, as `scores.pace.key_result_pace` says: a
    check-in, or a start (its cycle's, or its creation if later) more than
    `stale_after_days` old."""
    cutoff = timezone.localdate(now) - timedelta(days=pace_rules().stale_after_days)
    found = Q(key_result__last_checkin_at__isnull=False)
    if cycle.start < cutoff:
        cutoff_at = timezone.make_aware(datetime.combine(cutoff, time.min))
        found |= Q(key_result__created_at__isnull=True) | Q(key_result__created_at__lt=cutoff_at)
    return found


def compared(limit: float) -> float:
    """A band's limit for a score as stored: the bands compare the score rounded to
    `PRECISION` digits (`scoring.bands.tidy`), which is below the limit exactly when the
    stored score is below the limit less half its last digit."""
    return limit - 0.5 * 10**-PRECISION


def colour(cycle: Cycle, now: datetime) -> Case:
    """An objective's colour as its tree row gives it (`okrs.objective_node`), in SQL.
    Grey: not started (every key result is, whatever the score: new work is not failed
    work) or no score. Not started is one grouped subquery over the cycle's holdings,
    which PostgreSQL hashes once (correlated lookups per objective cost it 4x more)."""
    holdings = ObjectiveKeyResult.objects.filter(objective__cycle=cycle).values("objective")
    not_started = (
        holdings.annotate(started=Count("pk", filter=started(cycle, now)))
        .filter(started=0)
        .values("objective")
    )
    bands = okr_bands()
    return Case(
        When(Q(pk__in=not_started) | Q(score__isnull=True), then=Value("grey")),
        When(score__lt=compared(bands.red_below), then=Value("red")),
        When(score__gte=compared(bands.green_from), then=Value("green")),
        default=Value("yellow"),
        output_field=CharField(),
    )


def own_figures(
    visible: QuerySet[Objective], cycle: Cycle, now: datetime, units: set[int] | None = None
) -> dict[int, Figures]:
    """Each unit's figures for its own objectives (among `units`; None: every unit), in
    one query grouped by unit and colour over the objectives the reader may see: a
    unit's objectives under it, a personal objective under each unit of its owner, as in
    the permission layer. The average leaves the grey out: no score, no verdict."""
    by_unit = visible.filter(unit__isnull=False).values(home=F("unit"))
    by_owner = visible.filter(unit__isnull=True).values(home=F("owner__memberships__unit"))
    if units is not None:
        by_unit, by_owner = by_unit.filter(home__in=units), by_owner.filter(home__in=units)
    grouped = [
        found.annotate(colour=colour(cycle, now))
        .values("home", "colour")
        .annotate(objectives=Count("pk"), total=Sum("score"))
        .values_list("home", "colour", "objectives", "total")
        .order_by()
        for found in (by_unit, by_owner)
    ]
    found: dict[int, Figures] = {}
    for home, shade, objectives, total in grouped[0].union(grouped[1], all=True):
        if home is None:  # an owner in no unit
            continue
        figures = found.setdefault(home, Figures())
        figures.objectives += objectives
        figures.colours[shade] += objectives
        if shade != "grey":
            figures.scored += objectives
            figures.total += total
    return found


def homes(outline: Outline, units: set[int] | None = None) -> dict[int, set[int]]:
    """The units of each owner of a personal objective in the outline (among `units`;
    None: any), one query, none when there is no personal objective: a personal
    objective belongs to its owner's units, as in the permission layer."""
    owners = {shape.owner_id for shape in outline.values() if shape.unit_id is None}
    owners.discard(None)
    found: dict[int, set[int]] = {}
    if owners:
        memberships = Membership.objects.filter(person__in=owners)
        if units is not None:
            memberships = memberships.filter(unit__in=units)
        for owner_id, unit_id in memberships.values_list("person", "unit"):
            found.setdefault(owner_id, set()).add(unit_id)
    return found


def units_of(shape: Shape, owners: dict[int, set[int]]) -> set[int]:
    return {shape.unit_id} if shape.unit_id else owners.get(shape.owner_id, set())


def rolled_up(
    own: dict[int, Figures], roots: list[int], children: dict[int | None, list[int]]
) -> dict[int, Figures]:
    """Each unit's figures with those of every unit below it."""
    total: dict[int, Figures] = {}
    for unit_id, _ in reversed(tree.depth_first(roots, children)):
        figures = total[unit_id] = Figures()
        figures.add(own.get(unit_id, Figures()))
        for child in children.get(unit_id, ()):
            figures.add(total.get(child, Figures()))
    return total


def unit_objectives(
    person: Person,
    cycle: Cycle,
    outline: Outline,
    owners: dict[int, set[int]],
    units: set[int],
    now: datetime,
) -> dict[int | None, list[TreeRow]]:
    """The rows of each unit's own objectives, nested under their parent within the
    unit; under None, the person's own objectives that none of these units shows. Every
    other sub-objective is a count behind its branch link. The outline came through the
    permission layer: the objectives are loaded by its ids."""
    by_home: dict[int | None, set[int]] = {}
    for pk, shape in outline.items():
        found = units_of(shape, owners) & units
        if not found and shape.owner_id == person.pk:
            found = {None}
        for home in found:
            by_home.setdefault(home, set()).add(pk)
    shown = set().union(*by_home.values())
    objectives = with_rows(Objective.objects.filter(pk__in=shown)).in_bulk()
    children: dict[int, int] = {}
    for shape in outline.values():
        if shape.parent_id in shown:
            children[shape.parent_id] = children.get(shape.parent_id, 0) + 1
    nodes = {
        home: {pk: objective_node(objectives[pk], cycle, now) for pk in pks}
        for home, pks in by_home.items()
    }
    mark_serving([node for found in nodes.values() for node in found.values()], outline)
    return {home: tree_rows(nested(found, children)) for home, found in nodes.items()}


def nested(nodes: dict[int, ObjectiveNode], children: dict[int, int]) -> list[ObjectiveNode]:
    """The nodes under their parent where it is among them; the others are the roots.
    Each keeps the count of its sub-objectives not nested here, for its branch link."""
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.objective.parent_id)
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: child.objective.title)
        node.hidden_children = children.get(node.objective.pk, 0) - len(node.children)
    return sorted(roots, key=lambda node: node.objective.title)


def tree_by_unit(person: Person, cycle: Cycle, now: datetime | None = None) -> UnitTree:
    """From the root unit(s) down, opened along the path to each unit the person belongs
    to (the CEO's: the company alone); units with no objective the person may see are
    left out, unless opened."""
    now = now or timezone.now()
    units = {
        pk: (parent, name) for pk, parent, name in Unit.objects.values_list("pk", "parent", "name")
    }
    opened = {pk for pk, (parent, _) in units.items() if parent is None}
    for unit_id in reader_for(person).member_units & set(units):
        opened |= {unit_id, *tree.ancestors(unit_id, lambda pk: units[pk][0])}
    visible = visible_objectives(person).filter(cycle=cycle)
    outline = tree_outline(visible)
    rows = unit_objectives(person, cycle, outline, homes(outline, opened), opened, now)
    children = tree.children_of({pk: parent for pk, (parent, _) in sorted(units.items())})
    own = own_figures(visible, cycle, now)
    figures = rolled_up(own, children.get(None, []), children)

    def row(unit_id: int) -> UnitRow:
        found = UnitRow(unit_id, units[unit_id][1], figures[unit_id], unit_id in opened)
        if found.opened:
            found.rows = rows.get(unit_id, [])
            found.units = [
                row(child)
                for child in sorted(children.get(unit_id, ()), key=lambda pk: units[pk][1])
                if child in opened or figures[child].objectives
            ]
        return found

    return UnitTree(units=[row(root) for root in children.get(None, [])], own=rows.get(None, []))


def unit_branch(person: Person, cycle: Cycle, unit: Unit, now: datetime | None = None) -> UnitRow:
    """One unit opened: its own objectives in full and a summary row per sub-unit, the
    figures counted over its subtree alone."""
    now = now or timezone.now()
    children = tree.children_of(dict(Unit.objects.values_list("pk", "parent")))
    below = tree.subtree([unit.pk], children)
    visible = visible_objectives(person).filter(cycle=cycle)
    outline = tree_outline(visible)
    figures = rolled_up(own_figures(visible, cycle, now, below), [unit.pk], children)
    names = dict(Unit.objects.filter(parent=unit).values_list("pk", "name"))
    found = UnitRow(unit.pk, unit.name, figures[unit.pk], opened=True)
    owners = homes(outline, {unit.pk})
    found.rows = unit_objectives(person, cycle, outline, owners, {unit.pk}, now).get(unit.pk, [])
    found.units = [
        UnitRow(pk, name, figures[pk])
        for pk, name in sorted(names.items(), key=lambda item: item[1])
        if figures[pk].objectives
    ]
    return found
