"""The import's bulk path: check-ins and measure values, most of a large workbook's rows,
asked the services' questions for all rows at once and written in bulk, a few thousand
rows to a transaction, with the roll-up above them once at the end.

An import runs in three steps (`import_in_parts`):

1. One transaction: the other sheets row by row through the services, as the one-by-one
   import writes them (the organisation, scorecards, objectives, key results: the few
   rows), and every check-in and measure value asked what the services would ask it — the
   same functions (`new_history`, `checkin_entry_check`, the permission layer,
   `strategy.check_value`…), over what they read, loaded for all the rows in a handful of
   queries. The bulk rows are not written yet.
2. A refused row anywhere, a cycle turn that needs a reason it lacks, or a dry run: the
   bulk rows are written in that same transaction, the roll-up and the cycles' states
   follow, and all of it is rolled back, as the one-by-one import does (so the report is
   the same, every problem at once). Otherwise it commits.
3. The checked rows go in, `PART` rows to a transaction (locking only the key results and
   measure values they write, never a row every writer needs); then one transaction rolls
   up everything noted, turns the cycles and records one change for the whole run. A row
   refused only now (someone closed its cycle meanwhile) is reported, its part written
   nothing, and the parts before it stay: importing the file again brings the rest, the
   rows already in coming back unchanged.

With webhook subscriptions, every check-in and value is an event with its own payload:
then each key result's history and each value goes through its service, still in parts.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from lodestar.exchange.cycle_turns import effects_of, require_reason
from lodestar.exchange.importer import (
    CHANGED,
    CREATED,
    UNCHANGED,
    Context,
    Report,
    changed_fields,
    desired_of,
    new_history,
    problems_of,
    row_writer,
    write_cycle_states,
    write_row,
)
from lodestar.exchange.layout import BY_NAME, SHEETS
from lodestar.exchange.models import ImportKey
from lodestar.exchange.validate import Plan, Row, stored_objects
from lodestar.notify import events as notify_events
from lodestar.notify.models import WebhookSubscription
from lodestar.okrs import services as okrs
from lodestar.okrs.models import FORECAST_FIELDS, CheckIn, Cycle, KeyResult, ObjectiveKeyResult
from lodestar.org.acting import Actor
from lodestar.org.changes import changed_everything
from lodestar.org.permissions import Action, require
from lodestar.scores import rollup
from lodestar.scoring.periods import period_start
from lodestar.strategy import notes
from lodestar.strategy import services as strategy
from lodestar.strategy.models import Measure, MeasurePlan, MeasureValue, NoteAsked
from lodestar.validation import refuse_out_of_bounds

PART = 5000  # rows of a bulk sheet written in one transaction
BULK_SHEETS = ("measure_values", "checkins")
Via = MeasureValue.EnteredVia


@dataclass
class History:
    """A key result's new check-ins, checked."""

    key_result: KeyResult
    entries: list[okrs.HistoryEntry]
    first_row: Row


@dataclass
class Value:
    """A measure's value for a period, checked: the row's `target` plans the period."""

    measure: Measure
    start: date
    actual: float
    target: float | None
    planned: float | None  # the period's target once the row's plan is in
    comment: str
    row: Row
    outcome: str
    note_asked: str = NoteAsked.NOT_ASKED  # it turns its measure red (`strategy.notes`)


@dataclass
class Checked:
    values: list[Value] = field(default_factory=list)
    histories: list[History] = field(default_factory=list)

    def parts(self):
        """The rows to write, PART rows (whole histories) to a part."""
        for start in range(0, len(self.values), PART):
            yield Checked(values=self.values[start : start + PART])
        part, size = [], 0
        for history in self.histories:
            part.append(history)
            size += len(history.entries)
            if size >= PART:
                yield Checked(histories=part)
                part, size = [], 0
        if part:
            yield Checked(histories=part)

    @property
    def rows(self) -> int:
        return len(self.values) + sum(len(h.entries) for h in self.histories)


# Asking every row first -------------------------------------------------------------------
def found_all(ctx: Context, sheet_name: str, keys, related: tuple[str, ...] = ()) -> None:
    """`ctx.find` for many keys at once: what it would find, in a few queries."""
    cache = ctx.objects[sheet_name]
    missing = {key for key in keys if key is not None and key not in cache}
    cache.update(stored_objects(BY_NAME[sheet_name], missing, ctx.acting, related=related))


def histories_checked(ctx: Context, report: Report, rows: list[Row]) -> list[History]:
    """The check-in sheet as `importer.checkin_rows` and `okrs.checkin_history_add` ask
    it, group by group (a key result's history), and what passes."""
    counts = report.counts.setdefault("checkins", Counter())
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.values["key_result"], []).append(row)
    found_all(ctx, "key_results", groups, related=("cycle", "linked_measure"))
    key_results = [kr for kr in (ctx.objects["key_results"].get(k) for k in groups) if kr]
    stored = stored_histories([kr.pk for kr in key_results])
    histories = []
    for key, group in groups.items():
        try:
            key_result = ctx.need("key_results", key, "key_result")
            entries, problems = new_history(
                ctx, key_result, group, counts, stored.get(key_result.pk, {})
            )
            if problems:
                report.problems.extend(problems)
                counts["refused"] += len(problems)
                continue
            if entries:
                require(ctx.acting, Action.CHECK_IN, key_result)
                okrs.refuse_closed(key_result.cycle, "key_result")
                histories.append(History(key_result, entries, group[0]))
                counts[CREATED] += len(entries)
        except (ValidationError, PermissionDenied) as error:
            report.problems.extend(problems_of("checkins", group[0], error))
            counts["refused"] += len(group)
    return histories


def stored_histories(key_result_ids: list[int]) -> dict[int, dict]:
    """{key result: {moment: (value, confidence, note)}}, as `new_history` compares them."""
    stored: dict[int, dict] = defaultdict(dict)
    for chunk in rollup.in_chunks(set(key_result_ids)):
        rows = CheckIn.objects.filter(key_result_id__in=chunk).values_list(
            "key_result_id", "created_at", "value", "confidence", "note"
        )
        for key_result_id, at, value, confidence, note in rows:
            stored[key_result_id][at] = (value, confidence, note)
    return stored


def values_checked(ctx: Context, report: Report, rows: list[Row]) -> list[Value]:
    """The measure values as `importer.sheet_row` and `strategy.measure_value_record` ask
    each row, in its order, and what passes (created or changed)."""
    sheet = BY_NAME["measure_values"]
    counts = report.counts.setdefault(sheet.name, Counter())
    found_all(ctx, "measures", {row.values["measure"] for row in rows}, ("objective__scorecard",))
    measures = [m for m in ctx.objects["measures"].values() if m is not None]
    stored, plans = period_rows(measures)
    checked = []
    for row in rows:
        try:
            fields, _ = desired_of(ctx, sheet, row)
            measure, start = fields["measure"], fields["period"]
            actual, target, comment = fields["actual"], fields["target"], fields["comment"]
            before = stored.get((measure.pk, start))
            wanted = {"actual": actual, "target": target, "comment": comment}
            if before is not None and not changed_fields(before, wanted):
                counts[UNCHANGED] += 1
                continue
            # measure_value_record's questions, in its order.
            require(ctx.acting, Action.ADD, measure)
            strategy.refuse_other_path(measure, Via.PERSON)
            strategy.refuse_locked_period(ctx.acting, measure, start, comment)
            if target is not None:
                strategy.check_plan_period(measure, start, target)
            planned = target if target is not None else plans.get((measure.pk, start))
            strategy.check_value(measure, start, actual, planned, Via.PERSON)
            note_asked = notes.measure_note_asked(
                measure, start, actual, planned, comment, replaced=before
            )
        except (ValidationError, PermissionDenied) as error:
            report.problems.extend(problems_of(sheet.name, row, error))
            counts["refused"] += 1
            continue
        outcome = CREATED if before is None else CHANGED
        plans[measure.pk, start] = planned
        stored[measure.pk, start] = MeasureValue(actual=actual, target=planned, comment=comment)
        checked.append(
            Value(measure, start, actual, target, planned, comment, row, outcome, note_asked)
        )
        counts[outcome] += 1
    return checked


def period_rows(measures: list[Measure]) -> tuple[dict, dict]:
    """The stored values and plans of these measures, by (measure, period)."""
    stored, plans = {}, {}
    for chunk in rollup.in_chunks({m.pk for m in measures}):
        for value in MeasureValue.objects.filter(measure_id__in=chunk).only(
            "measure_id", "period", "actual", "target", "comment", "note_asked"
        ):
            stored[value.measure_id, value.period] = value
        rows = MeasurePlan.objects.filter(measure_id__in=chunk)
        for measure_id, period, target in rows.values_list("measure_id", "period", "target"):
            plans[measure_id, period] = target
    return stored, plans


def key_results_written(
    ctx: Context, report: Report, rows: list[Row], owed: rollup.Touched, tick
) -> None:
    """The key results sheet. A row naming a stored key result goes row by row, as before;
    a new one is asked `okrs.key_result_new`'s questions and validated with its holding,
    each refused by its row, and all are then saved in bulk with their holdings and keys,
    each save announced (`post_save`: its history entry) as `key_result_create` makes it."""
    sheet = BY_NAME["key_results"]
    counts = report.counts.setdefault(sheet.name, Counter())
    found_all(ctx, "key_results", {row.values["key"] for row in rows})
    write, new = row_writer(sheet), []
    for row in rows:
        tick(1)
        key = row.values["key"]
        if ctx.find("key_results", key) is not None:
            write_row(ctx, report, sheet.name, row, write)
            continue
        try:
            objective = ctx.need("objectives", row.values["objective"], "objective")
            weight = row.values["weight"]
            weight = sheet.column("weight").empty if weight is None else weight
            fields, _ = desired_of(ctx, sheet, row)
            fields["owner"] = fields["owner"] or ctx.default_owner
            key_result = okrs.key_result_new(acting=ctx.acting, objective=objective, **fields)
            checked_clean(key_result, ("cycle", "owner", "linked_measure"))
            holding = ObjectiveKeyResult(objective=objective, key_result=key_result, weight=weight)
            checked_clean(holding, ("objective", "key_result"))
        except (ValidationError, PermissionDenied) as error:
            report.problems.extend(problems_of(sheet.name, row, error))
            counts["refused"] += 1
            continue
        new.append((key, key_result, holding))
        counts[CREATED] += 1
    if new:
        key_results_saved(ctx, new, owed)


def checked_clean(instance: models.Model, loaded: tuple[str, ...]) -> None:
    """`validated_save`'s questions without the save; `loaded`: relations to objects just
    read (or about to be saved with it), whose existence needs no query."""
    refuse_out_of_bounds(instance, None)
    instance.full_clean(exclude=list(loaded))


def key_results_saved(ctx: Context, new: list[tuple], owed: rollup.Touched) -> None:
    key_results = KeyResult.objects.bulk_create([key_result for _, key_result, _ in new])
    for _, key_result, holding in new:
        holding.key_result = key_result  # its id, now that it has one
    holdings = ObjectiveKeyResult.objects.bulk_create([holding for _, _, holding in new])
    with set_actor(ctx.acting):  # the history names the importer, as the services do
        for instance in (*key_results, *holdings):
            post_save.send(type(instance), instance=instance, created=True, raw=False)
    # A key held by a record the importer may not see stays with it (`Context.remember`).
    model = BY_NAME["key_results"].model
    taken = set(
        ImportKey.objects.filter(model=model, key__in=[key for key, _, _ in new]).values_list(
            "key", flat=True
        )
    )
    ImportKey.objects.bulk_create(
        ImportKey(model=model, key=key, object_id=key_result.pk)
        for key, key_result, _ in new
        if key not in taken
    )
    ids = {key_result.pk for key_result in key_results}
    rollup.key_results_refresh(KeyResult.objects.filter(pk__in=ids))
    owed.key_results.update(ids)
    for key, key_result, _ in new:
        ctx.objects["key_results"][key] = key_result
    # Saved outside the services, in bulk: an import's key results may be anywhere, and
    # naming each (thousands) would cost more than the figures it spared.
    changed_everything()


def turn_refused(ctx: Context, plan: Plan) -> bool:
    """Whether a cycle's row would be refused its turn (it comes early without a reason),
    as `cycle_turns.cycle_turn` will ask once the rows are in."""
    today = timezone.localdate()
    for row in plan.rows.get("cycles", []):
        cycle = ctx.find("cycles", row.values["key"])
        wanted = row.values["state"] or Cycle.State.PLANNING
        if cycle is None or cycle.state == wanted:
            continue
        try:
            require_reason(effects_of(cycle, wanted, today), row.values["reason"])
        except ValidationError:
            return True
    return False


# Writing what was checked -----------------------------------------------------------------
def events_wanted() -> bool:
    return WebhookSubscription.objects.filter(active=True).exists()


def checked_write(ctx: Context, checked: Checked, owed: rollup.Touched, events: bool) -> None:
    """Write checked rows (one part, or all in the transaction of a refused import)."""
    if checked.values:
        values_write(ctx, checked.values, owed, events)
    if checked.histories:
        histories_write(ctx, checked.histories, owed, events)


def values_write(ctx: Context, values: list[Value], owed: rollup.Touched, events: bool) -> None:
    """Plans and values as `measure_value_record` writes them. A measure that calculated
    measures read, or a run with webhook subscriptions, takes each value through
    `measure_value_write` (its formulas follow, its event is sent); the rest go in bulk."""
    outputs = set(
        Measure.formula_inputs.through.objects.filter(
            to_measure_id__in={v.measure.pk for v in values}
        ).values_list("to_measure_id", flat=True)
    )
    for value in values:
        if value.target is not None:
            strategy.plan_write(value.measure, value.start, value.target)
    one_by_one = [v for v in values if events or v.measure.pk in outputs]
    for value in one_by_one:
        written, created = strategy.measure_value_write(
            measure=value.measure,
            period=value.start,
            actual=value.actual,
            comment=value.comment,
            author=ctx.acting,
        )
        rollup.after_measure_change(value.measure)
        if events:
            notify_events.measure_value_recorded(written, value.measure, created)
    in_bulk = {(v.measure.pk, v.start): v for v in values if v not in one_by_one}  # last wins
    values_stored(ctx, in_bulk)
    touched = {v.measure.pk: v.measure for v in in_bulk.values()}
    rollup.measures_refresh(Measure.objects.filter(pk__in=touched))
    owed.strategic.update(measure.objective_id for measure in touched.values())


def values_stored(ctx: Context, values: dict[tuple[int, date], Value]) -> None:
    now = timezone.now()
    stored = {}
    for chunk in rollup.in_chunks({measure for measure, _ in values}):
        for value in MeasureValue.objects.filter(measure_id__in=chunk).only("measure_id", "period"):
            if (value.measure_id, value.period) in values:
                stored[value.measure_id, value.period] = value
    new, changed = [], []
    for key, value in values.items():
        row = stored.get(key) or MeasureValue(measure=value.measure, period=value.start)
        row.actual, row.target, row.comment = value.actual, value.planned, value.comment
        row.author, row.entered_via, row.source, row.recorded_at = ctx.acting, Via.PERSON, None, now
        row.note_asked = value.note_asked
        (changed if row.pk else new).append(row)
    MeasureValue.objects.bulk_create(new, batch_size=2000)
    fields = ["actual", "target", "comment", "author", "entered_via", "source", "recorded_at"]
    fields.append("note_asked")  # whether it turned its measure red
    MeasureValue.objects.bulk_update(changed, fields, batch_size=1000)


def histories_write(
    ctx: Context, histories: list[History], owed: rollup.Touched, events: bool
) -> None:
    """Histories as `okrs.checkin_history_add` writes each: the check-ins, the key result
    moved to its latest, its forecast, its linked measure's actual for each period's
    latest; through the service itself when webhooks want each check-in's event."""
    if events:
        for history in histories:
            okrs.checkin_history_add(
                acting=ctx.acting, key_result=history.key_result, entries=history.entries
            )
        return
    # Locked in id order and read again: what a concurrent check-in left is what we move.
    ids = sorted(h.key_result.pk for h in histories)
    fresh = KeyResult.objects.select_for_update(of=("self",)).select_related(
        "cycle", "linked_measure"
    )
    key_results = {kr.pk: kr for kr in fresh.filter(pk__in=ids).order_by("pk")}
    checkins = []
    for history in histories:
        key_result = key_results[history.key_result.pk]
        try:
            okrs.refuse_closed(key_result.cycle, "key_result")
        except ValidationError as error:
            raise Refusal("checkins", history.first_row, error) from None
        checkins += [
            CheckIn(
                key_result=key_result,
                value=entry.value,
                confidence=entry.confidence,
                note=entry.note,
                author=entry.author,
                created_at=entry.at,
            )
            for entry in history.entries
        ]
    CheckIn.objects.bulk_create(checkins, batch_size=2000)
    moved_to_latest(key_results.values(), checkins)
    rollup.key_results_refresh(KeyResult.objects.filter(pk__in=ids))
    owed.key_results.update(ids)
    linked_measures_write(key_results, checkins)


def moved_to_latest(key_results, checkins: list[CheckIn]) -> None:
    latest: dict[int, CheckIn] = {}
    for checkin in checkins:
        known = latest.get(checkin.key_result_id)
        if known is None or checkin.created_at >= known.created_at:
            latest[checkin.key_result_id] = checkin
    by_cycle = defaultdict(list)
    for key_result in key_results:
        checkin = latest[key_result.pk]
        if key_result.last_checkin_at is None or checkin.created_at >= key_result.last_checkin_at:
            key_result.current = checkin.value
            key_result.latest_confidence = checkin.confidence
            key_result.last_checkin_at = checkin.created_at
        by_cycle[key_result.cycle_id].append(key_result)
    for group in by_cycle.values():
        okrs.forecasts_set(group, group[0].cycle)
    moved = ["current", "latest_confidence", "last_checkin_at", *FORECAST_FIELDS]
    KeyResult.objects.bulk_update(list(key_results), moved, batch_size=1000)


def linked_measures_write(key_results: dict[int, KeyResult], checkins: list[CheckIn]) -> None:
    """Each linked measure's actual for every period's latest new check-in, unless a later
    stored check-in of that period wrote it (as `checkin_history_add`)."""
    by_period: dict[tuple[int, date], CheckIn] = {}
    for checkin in sorted(checkins, key=lambda checkin: checkin.created_at):
        measure = key_results[checkin.key_result_id].linked_measure
        if measure is not None:
            moment = timezone.localdate(checkin.created_at)
            by_period[checkin.key_result_id, period_start(measure.frequency, moment)] = checkin
    measures = {}
    for (key_result_id, _), checkin in by_period.items():
        key_result = key_results[key_result_id]
        measure = key_result.linked_measure
        if okrs.superseded_in_period(checkin, measure.frequency):
            continue
        strategy.measure_actual_write(
            measure=measure,
            period=timezone.localdate(checkin.created_at),
            actual=checkin.value,
            comment=f"Check-in on key result “{key_result}”",
            author=checkin.author,
        )
        measures[measure.pk] = measure
    for measure in measures.values():
        rollup.after_measure_change(measure)


class Refusal(Exception):
    """A row refused while its part is written: the part rolls back."""

    def __init__(self, sheet: str, row: Row, error: Exception):
        super().__init__(str(error))
        self.sheet, self.row, self.error = sheet, row, error


def finish(ctx: Context, report: Report, plan: Plan, owed: rollup.Touched) -> None:
    """The roll-up over everything noted, then the cycles' states (a close grades the
    scores just rolled up)."""
    rollup.touched_refresh(owed)
    write_cycle_states(ctx, report, plan)
    report.cycle_turns = ctx.cycle_turns


# The run ----------------------------------------------------------------------------------
def import_in_parts(
    plan: Plan,
    report: Report,
    *,
    acting: Actor,
    dry_run: bool,
    tick: Callable[[int], None],
    say: Callable[[str], None],
) -> None:
    owed, checked = rollup.Touched(), Checked()
    events = events_wanted()
    with transaction.atomic():
        ctx = Context(acting)
        with rollup.noting(owed):
            for sheet in SHEETS:
                rows = plan.rows.get(sheet.name, [])
                if sheet.name == "measure_values":
                    checked.values = values_checked(ctx, report, rows)
                    tick(len(rows))
                elif sheet.name == "checkins":
                    checked.histories = histories_checked(ctx, report, rows)
                    tick(len(rows))
                elif sheet.name == "key_results":
                    key_results_written(ctx, report, rows, owed, tick)
                else:
                    write = row_writer(sheet)
                    for row in rows:
                        write_row(ctx, report, sheet.name, row, write)
                        tick(1)
        if report.problems or dry_run or turn_refused(ctx, plan):
            # As the one-by-one import: everything in this transaction, then rolled back.
            with rollup.noting(owed):
                checked_write(ctx, checked, owed, events)
            finish(ctx, report, plan, owed)
            transaction.set_rollback(True)
            return
    written, total = 0, checked.rows
    for part in checked.parts():
        try:
            with transaction.atomic(), rollup.noting(owed):
                checked_write(ctx, part, owed, events)
        except Refusal as refusal:
            part_refused(report, part, refusal.sheet, refusal.row, refusal.error)
            break
        except (ValidationError, PermissionDenied, DatabaseError) as error:
            sheet, row = part_start(part)
            part_refused(report, part, sheet, row, error)
            break
        written += part.rows
        say(f"{written}/{total} check-ins and measure values written")
    say("rolling up")
    with transaction.atomic():
        rollup.touched_refresh(owed)
        if report.ok:  # a close grades what is in: not a half-written import
            write_cycle_states(ctx, report, plan)
            report.cycle_turns = ctx.cycle_turns
        if checked.rows:  # one change for the bulk rows, which may be anywhere
            changed_everything()


def part_start(part: Checked) -> tuple[str, Row]:
    if part.values:
        return "measure_values", part.values[0].row
    return "checkins", part.histories[0].first_row


def part_refused(report: Report, part: Checked, sheet: str, row: Row, error: Exception) -> None:
    """A part refused while written: nothing of it is in; the report says which row."""
    report.problems.extend(problems_of(sheet, row, error))
    counts = report.counts.setdefault(sheet, Counter())
    for value in part.values:
        counts[value.outcome] -= 1
    counts[CREATED] -= sum(len(h.entries) for h in part.histories)
    counts["refused"] += part.rows
