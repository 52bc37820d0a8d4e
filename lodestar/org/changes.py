"""What a write changed, for the figures kept from the data (`insights.kept`): one row of
`org.Change` appended by each write transaction, naming the scope it touched.

- `changed(units=…, key_results=…, measures=…, strategic=…, objectives=…, people=…,
  members=…, cycle=…, months=…)`: the current write touched these. Inside a service it is
  noted and recorded once, when the service's transaction ends; outside one (a worker) it
  is recorded at once.
- `changed_now(…)`: the same, for rows the write is about to delete or move: their units
  are looked up at once (one query), where the rows still are.
- `changed_everything(cycle=…)`: the write may have touched anything (a recompute, a
  restore, an import; with `cycle`, anything of that cycle: its dates moved). Bulk writers
  call it once, at the end of their run.
- `changed_nothing()`: the write touched nothing a kept figure reads (a password, a token,
  a preference): no change is recorded, unless a service it calls names one.

The `service` decorator records each write's change in ONE statement, in the write's own
transaction: an INSERT, which waits on no other writer's row (the data version it
replaces was one row every write updated, so an import held every other write for its
whole run). A service that names nothing changed everything: correctness first. Every
ordinary write names its scope: a check-in names its key result (`CheckIn` saves do it
here, so every service appending one does), a measure's value its measure, the other
services what they wrote (an objective, a key result, a unit, a person…). A writer
outside the services (a worker, a bulk import) calls `changed` or `changed_everything`
itself, once for its run. The key
results and measures are turned into units inside that same INSERT (…SELECT), so naming
them costs the write no query of its own.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

# Changes are kept this long: a kept figure older than that is never taken for fresh.
KEPT_FOR = timedelta(days=1)


@dataclass
class Touched:
    everything: bool = False
    units: set[int] = field(default_factory=set)
    key_results: set[int] = field(default_factory=set)
    measures: set[int] = field(default_factory=set)
    strategic: set[int] = field(default_factory=set)
    objectives: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)
    cycles: set[int | None] = field(default_factory=set)
    months: bool = False
    quiet: bool = False  # `changed_nothing`: naming nothing is not changing everything

    @property
    def named(self) -> bool:
        """Whether the write said what it touched: rows, units, or only a cycle (its kept
        review, a cycle still empty)."""
        named_cycle = any(cycle is not None for cycle in self.cycles)
        return self.everything or bool(self.rows or self.units) or named_cycle

    @property
    def rows(self) -> bool:
        """Whether rows are named whose units the INSERT looks up."""
        return bool(
            self.key_results
            or self.measures
            or self.strategic
            or self.objectives
            or self.people
            or self.members
        )

    def add(self, other: "Touched") -> None:
        self.units |= other.units
        self.key_results |= other.key_results
        self.measures |= other.measures
        self.strategic |= other.strategic
        self.objectives |= other.objectives
        self.people |= other.people
        self.members |= other.members
        self.cycles |= other.cycles
        self.months |= other.months


_touched: ContextVar[Touched | None] = ContextVar("touched", default=None)


def changed(
    *,
    units: Iterable[int | None] = (),
    key_results: Iterable[int] = (),
    measures: Iterable[int] = (),
    strategic: Iterable[int] = (),
    objectives: Iterable[int] = (),
    people: Iterable[int | None] = (),
    members: Iterable[int | None] = (),
    cycle: int | None = None,
    months: bool = False,
) -> None:
    """The current write touched these units (and so the figures of every unit above
    them: a unit's figures cover its subtree), the units of these key results' objectives,
    the scorecards of these measures and strategic objectives, the units of these OKR
    objectives and of every objective below them (whether one is an orphan depends on
    those above it), the units of these people and of what they own (their names and
    whether they are still here are in the alerts), the units these `members` belong to (a
    key result's owner's load is counted there), in this cycle (None: any), and the
    months already over if `months`."""
    touched = Touched(
        units={u for u in units if u is not None},
        key_results=set(key_results),
        measures=set(measures),
        strategic=set(strategic),
        objectives=set(objectives),
        people={p for p in people if p is not None},
        members={p for p in members if p is not None},
        cycles={cycle},
        months=months,
    )
    pending = _touched.get()
    if pending is None:
        record(touched)
        return
    pending.add(touched)


def changed_now(
    *,
    key_results: Iterable[int] = (),
    strategic: Iterable[int] = (),
    objectives: Iterable[int] = (),
    people: Iterable[int | None] = (),
    members: Iterable[int | None] = (),
    cycle: int | None = None,
    months: bool = False,
) -> None:
    """`changed`, for rows the write is about to delete or move: the units they belong to
    are looked up now (one query), while the rows are still where they were; the change
    itself is recorded with the write's, as `changed` records it."""
    rows = Touched(
        key_results=set(key_results),
        strategic=set(strategic),
        objectives=set(objectives),
        people={p for p in people if p is not None},
        members={p for p in members if p is not None},
    )
    units = [row["id"] for row in units_touched(rows)] if rows.rows else []
    changed(units=units, cycle=cycle, months=months)


def changed_everything(cycle: int | None = None) -> None:
    """The current write (or run) may have changed anything: every kept figure is stale;
    with `cycle`, every figure of every unit and of that cycle (not the other cycles')."""
    touched = Touched(everything=True, cycles={cycle})
    pending = _touched.get()
    if pending is None:
        record(touched)
    else:
        pending.everything = True
        pending.cycles.add(cycle)


def changed_nothing() -> None:
    """The current write touched nothing a kept figure reads: no change is recorded for it
    (what a service it calls names still is)."""
    pending = _touched.get()
    if pending is not None:
        pending.quiet = True


@contextmanager
def recording() -> Iterator[None]:
    """Around a service's work, inside its transaction: what it names is recorded when it
    ends without an error, as one change; a write that named nothing changed everything."""
    touched = Touched()
    token = _touched.set(touched)
    try:
        yield
    finally:
        _touched.reset(token)
    if not touched.named:
        if touched.quiet:
            return
        touched.everything = True
        touched.cycles.add(None)
    record(touched)


def record(touched: Touched) -> None:
    """One INSERT. Key results and measures become units in the same statement."""
    Change = apps.get_model("org", "Change")
    cycle = next(iter(touched.cycles)) if len(touched.cycles) == 1 else None
    fields = {"at": timezone.now(), "everything": touched.everything, "cycle_id": cycle}
    fields["months"] = touched.months or (touched.everything and cycle is None)
    if touched.everything or not touched.rows:
        units = "" if touched.everything else f",{','.join(map(str, sorted(touched.units)))},"
        Change.objects.create(units=units, **fields)
        return
    found, params = units_touched(touched).query.sql_with_params()
    joined = (
        "string_agg(CAST(touched.id AS text), ',')"
        if connection.vendor == "postgresql"
        else "group_concat(touched.id, ',')"
    )
    table = connection.ops.quote_name(Change._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(fields["at"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (at, everything, units, cycle_id, months) "
            f"SELECT %s, %s, ',' || COALESCE({joined}, '') || ',', %s, %s "
            f"FROM ({found}) touched",
            [at, False, cycle, fields["months"], *params],
        )


def units_touched(touched: Touched):
    """The units (as a query, run inside the INSERT) that the named rows belong to: a key
    result's objectives' units (a personal objective's owner's units), the scorecards of
    the strategic objectives its objectives serve and its linked measure feeds; a
    measure's and a strategic objective's scorecard; an OKR objective's units, those of
    every objective below it and the scorecards it serves; a person's units and those of
    everything they own. One level of the strategy above is named too: the roll-up climbs
    from the objective into its parent's scorecard."""
    Unit = apps.get_model("org", "Unit")
    Membership = apps.get_model("org", "Membership")
    Objective = apps.get_model("okrs", "Objective")
    KeyResult = apps.get_model("okrs", "KeyResult")
    StrategicObjective = apps.get_model("strategy", "StrategicObjective")
    Measure = apps.get_model("strategy", "Measure")
    key_results = touched.key_results
    if touched.people:
        key_results = KeyResult.objects.filter(
            Q(pk__in=touched.key_results) | Q(owner__in=touched.people)
        ).values("pk")
    holders = Q(holdings__key_result__in=key_results)
    if touched.objectives:
        holders |= Q(pk__in=objectives_below(touched.objectives))
    if touched.people:
        holders |= Q(owner__in=touched.people)
    holders = Objective.objects.filter(holders)
    served = StrategicObjective.objects.filter(
        Q(okr_objectives__holdings__key_result__in=key_results)
        | Q(measures__key_results__in=key_results)
        | Q(okr_objectives__in=touched.objectives)
        | Q(measures__in=touched.measures)
        | Q(pk__in=touched.strategic)
        | Q(owner__in=touched.people)
        | Q(measures__in=Measure.objects.filter(owner__in=touched.people).values("pk"))
    )
    above = StrategicObjective.objects.filter(children__in=served)
    personal_owners = holders.filter(unit=None).values("owner_id")
    return (
        Unit.objects.filter(
            Q(pk__in=touched.units)
            | Q(pk__in=holders.values("unit_id"))
            | Q(pk__in=Membership.objects.filter(person__in=personal_owners).values("unit_id"))
            | Q(
                pk__in=Membership.objects.filter(
                    person__in=touched.people | touched.members
                ).values("unit_id")
            )
            | Q(pk__in=served.values("scorecard__unit_id"))
            | Q(pk__in=above.values("scorecard__unit_id"))
        )
        .order_by()
        .values("id")
    )


def objectives_below(ids: set[int]) -> RawSQL:
    """These OKR objectives and every one below them (a subquery): whether an objective is
    an orphan depends on every objective above it. UNION ends a corrupt loop."""
    table = connection.ops.quote_name(apps.get_model("okrs", "Objective")._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    return RawSQL(
        f"WITH RECURSIVE below(id) AS (SELECT id FROM {table} WHERE id IN ({marks})"
        f" UNION SELECT o.id FROM {table} o JOIN below b ON o.parent_id = b.id)"
        f" SELECT id FROM below",
        sorted(ids),
    )


def prune() -> None:
    apps.get_model("org", "Change").objects.filter(at__lt=timezone.now() - KEPT_FOR).delete()


@receiver(post_save, sender="okrs.CheckIn", dispatch_uid="checkin_names_its_scope")
def checkin_saved(sender, instance, created: bool, **kwargs) -> None:
    """A check-in moves its key result, the objectives holding it and the strategy above
    them: named here, so that every path appending a check-in names it."""
    if _touched.get() is None:
        return  # a writer outside the services names its own change (see the module)
    key_result = instance._state.fields_cache.get("key_result")
    cycle = key_result.cycle_id if key_result is not None else None
    changed(key_results=[instance.key_result_id], cycle=cycle)


@receiver(post_save, sender="strategy.MeasureValue", dispatch_uid="value_names_its_scope")
def measure_value_saved(sender, instance, **kwargs) -> None:
    """A measure's value moves its strategic objective and what is above it; a value of a
    month already over moves the score history too."""
    if _touched.get() is None:
        return  # a writer outside the services names its own change (see the module)
    this_month = timezone.localdate().replace(day=1)
    changed(measures=[instance.measure_id], months=instance.period < this_month)
