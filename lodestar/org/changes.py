"""What a write changed, for the figures kept from the data (`insights.kept`): one row of
`org.Change` appended by each write transaction, naming the scope it touched.

- `changed(units=…, key_results=…, measures=…, strategic=…, cycle=…, months=…)`: the current write
  touched these. Inside a service it is noted and recorded once, when the service's
  transaction ends; outside one (a worker) it is recorded at once.
- `changed_everything()`: the write may have touched anything (a recompute, a restore, an
  import). Bulk writers call it once, at the end of their run.

The `service` decorator records each write's change in ONE statement, in the write's own
transaction: an INSERT, which waits on no other writer's row (the data version it
replaces was one row every write updated, so an import held every other write for its
whole run). A service that names nothing changed everything: correctness first. The
hot writes name their scope: a check-in names its key result (`CheckIn` saves do it
here, so every service appending one does), a measure's value its measure. A writer
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
    cycles: set[int | None] = field(default_factory=set)
    months: bool = False

    @property
    def named(self) -> bool:
        return self.everything or bool(self.rows or self.units)

    @property
    def rows(self) -> bool:
        """Whether rows are named whose units the INSERT looks up."""
        return bool(self.key_results or self.measures or self.strategic)


_touched: ContextVar[Touched | None] = ContextVar("touched", default=None)


def changed(
    *,
    units: Iterable[int | None] = (),
    key_results: Iterable[int] = (),
    measures: Iterable[int] = (),
    strategic: Iterable[int] = (),
    cycle: int | None = None,
    months: bool = False,
) -> None:
    """The current write touched these units (and so the figures of every unit above
    them: a unit's figures cover its subtree), the units of these key results' objectives,
    the scorecards of these measures and strategic objectives, in this cycle (None: any),
    and the months already over if `months`."""
    touched = Touched(
        units={u for u in units if u is not None},
        key_results=set(key_results),
        measures=set(measures),
        strategic=set(strategic),
        cycles={cycle},
        months=months,
    )
    pending = _touched.get()
    if pending is None:
        record(touched)
        return
    pending.units |= touched.units
    pending.key_results |= touched.key_results
    pending.measures |= touched.measures
    pending.strategic |= touched.strategic
    pending.cycles |= touched.cycles
    pending.months |= months


def changed_everything() -> None:
    """The current write (or run) may have changed anything: every kept figure is stale."""
    pending = _touched.get()
    if pending is None:
        record(Touched(everything=True))
    else:
        pending.everything = True


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
        touched.everything = True
    record(touched)


def record(touched: Touched) -> None:
    """One INSERT. Key results and measures become units in the same statement."""
    Change = apps.get_model("org", "Change")
    cycle = next(iter(touched.cycles)) if len(touched.cycles) == 1 else None
    fields = {"at": timezone.now(), "everything": touched.everything, "cycle_id": cycle}
    fields["months"] = touched.months or touched.everything
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
    measure's and a strategic objective's scorecard. One level of the strategy above is
    named too: the roll-up climbs from the objective into its parent's scorecard."""
    Unit = apps.get_model("org", "Unit")
    Membership = apps.get_model("org", "Membership")
    Objective = apps.get_model("okrs", "Objective")
    StrategicObjective = apps.get_model("strategy", "StrategicObjective")
    holders = Objective.objects.filter(holdings__key_result__in=touched.key_results)
    served = StrategicObjective.objects.filter(
        Q(okr_objectives__holdings__key_result__in=touched.key_results)
        | Q(measures__key_results__in=touched.key_results)
        | Q(measures__in=touched.measures)
        | Q(pk__in=touched.strategic)
    )
    above = StrategicObjective.objects.filter(children__in=served)
    personal_owners = holders.filter(unit=None).values("owner_id")
    return (
        Unit.objects.filter(
            Q(pk__in=touched.units)
            | Q(pk__in=holders.values("unit_id"))
            | Q(pk__in=Membership.objects.filter(person__in=personal_owners).values("unit_id"))
            | Q(pk__in=served.values("scorecard__unit_id"))
            | Q(pk__in=above.values("scorecard__unit_id"))
        )
        .order_by()
        .values("id")
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
