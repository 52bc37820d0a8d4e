"""The import: a validated plan written through the services, all or nothing.

Each row creates or updates one object with the services the pages use, acting as the
importing person and asking the permission layer what the pages ask, so an import can
do no more than its user could by hand. Rows are found again by their stored key
(`ImportKey`) or their natural identity, so a second import updates instead of
duplicating. Every sheet is written one way, as its layout says (`layout.Writes`); only
cycles, OKR objectives and key results add a rule of their own, and check-ins go in as
one dated history per key result. Any refused row rolls the whole import back; a dry
run always does, after writing everything in its transaction, so it reports what would
be created, changed and refused — every problem at once. Check-ins, measure values and
new key results take the bulk path (`exchange.bulk`), which asks them the same questions
and writes a clean file's history in parts; `one_by_one` keeps every row on the services.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from lodestar.exchange.cycle_turns import cycle_turn
from lodestar.exchange.layout import BY_NAME, SHEETS, Sheet
from lodestar.exchange.models import ImportKey
from lodestar.exchange.people import person_named_by
from lodestar.exchange.reader import Book, Problem
from lodestar.exchange.validate import Plan, Row, stored_object, validate
from lodestar.insights import kept
from lodestar.okrs import services as okrs
from lodestar.okrs.models import CheckIn, Cycle, ObjectiveKeyResult
from lodestar.org.acting import Actor
from lodestar.org.models import Person
from lodestar.org.permissions import reader_for
from lodestar.scores import rollup

Say = Callable[[str], None]
CREATED, CHANGED, UNCHANGED = "created", "changed", "unchanged"

# Service fields that a sheet calls by another name.
COLUMN_OF_FIELD = {"username": "login", "__all__": ""}


@dataclass
class Report:
    dry_run: bool
    counts: dict[str, Counter] = field(default_factory=dict)  # sheet → created/changed/…
    problems: list[Problem] = field(default_factory=list)
    # What the cycles' rows do to the cycles here: "closes Q4 2026 early and grades…".
    cycle_turns: list[str] = field(default_factory=list)
    # What reading a file of another shape decided for the person (`exchange.incoming`).
    decisions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def lines(self) -> list[str]:
        """What it did or would do; a refused file does nothing, so says only how it was read."""
        if not self.ok:
            return self.decisions
        lines = []
        for sheet in SHEETS:
            count = self.counts.get(sheet.name)
            if count:
                parts = ", ".join(
                    f"{count[k]} {k}" for k in (CREATED, CHANGED, UNCHANGED, "refused") if count[k]
                )
                lines.append(f"{sheet.name}: {parts}")
        return lines + [f"cycles: {turn}" for turn in self.cycle_turns] + self.decisions


class Context:
    def __init__(self, acting: Actor):
        self.acting = acting
        # Who owns what the sheet leaves unowned: the importing person, or for the
        # installation itself its first admin.
        self.default_owner = acting or (
            Person.objects.filter(role=Person.Role.ADMIN, is_active=True).order_by("pk").first()
        )
        self.objects: dict[str, dict[str, object]] = {}
        self.people: dict[str, Person] = {}
        self.cycle_turns: list[str] = []
        for sheet in SHEETS:
            if sheet.keyed:
                self.objects[sheet.name] = {}

    # Finding --------------------------------------------------------------------------
    def find(self, sheet_name: str, key: str | None):
        if key is None:
            return None
        cache = self.objects[sheet_name]
        if key not in cache:
            cache[key] = stored_object(BY_NAME[sheet_name], key, self.acting)
        return cache[key]

    def need(self, sheet_name: str, key: str | None, column: str):
        found = self.find(sheet_name, key)
        if key is not None and found is None:
            raise ValidationError(
                {column: [f"The {sheet_name.replace('_', ' ')} row {key!r} was not imported."]}
            )
        return found

    def person(self, name: str | None, column: str) -> Person | None:
        if name is None:
            return None
        lowered = name.lower()
        if lowered not in self.people:
            self.people[lowered] = person_named_by(name, column)
        return self.people[lowered]

    def remember(self, sheet_name: str, key: str, obj) -> None:
        # A key held by a record the importer may not see stays with that record: the
        # row made one of their own, as it would have for a key never used.
        model = BY_NAME[sheet_name].model
        if not ImportKey.objects.filter(model=model, key=key).exists():
            ImportKey.objects.create(model=model, key=key, object_id=obj.pk)
        self.objects[sheet_name][key] = obj

    # Permissions: each service asks its own question; these two are the import's stricter
    # rules on top (the organisation sheets, and personal objectives for someone else).
    def require_admin(self) -> None:
        self.require_admin_or("Only an admin may change the organisation.")

    def require_admin_or(self, refusal: str) -> None:
        if self.acting is not None and not reader_for(self.acting).is_admin:
            raise PermissionDenied(refusal)


def model_of(sheet):
    from django.apps import apps

    return apps.get_model(sheet.model)


def changed_fields(obj, desired: dict) -> dict:
    return {name: value for name, value in desired.items() if getattr(obj, name) != value}


def same_set(manager, objects) -> bool:
    return {o.pk for o in manager.all()} == {o.pk for o in objects}


# The one way of a sheet's row (layout's `Writes`): create or update it, say which -----
def desired_of(ctx: Context, sheet: Sheet, row: Row) -> tuple[dict, dict]:
    """The row's fields as the services take them, the many-to-many ones apart."""
    fields, many = {}, {}
    for column in sheet.columns:
        if not column.field:
            continue
        value = row.values[column.name]
        if column.kind == "keys":
            many[column.field] = [ctx.need(column.sheet, key, column.name) for key in value]
        elif column.kind == "key":
            fields[column.field] = ctx.need(column.sheet, value, column.name)
        elif column.kind == "person":
            fields[column.field] = ctx.person(value, column.name)
        elif value is None or value == "":
            fields[column.field] = column.empty
        else:
            fields[column.field] = bool(value) if column.kind == "yes/no" else value
    prepare = sheet.writes.prepare
    return (prepare(fields) if prepare else fields), many


def stored_row(ctx: Context, sheet: Sheet, row: Row, fields: dict):
    if sheet.keyed:
        return ctx.find(sheet.name, row.values["key"])
    lookups = {lookup: fields[lookup.split("__")[0]] for lookup in sheet.writes.find_by}
    return model_of(sheet).objects.filter(**lookups).first()


def sheet_row(ctx: Context, row: Row, sheet: Sheet) -> str:
    fields, many = desired_of(ctx, sheet, row)
    return written(ctx, sheet, row, stored_row(ctx, sheet, row, fields), fields, many)


def written(ctx: Context, sheet: Sheet, row: Row, stored, fields: dict, many: dict) -> str:
    """Create the row's object with everything, or update what differs (`many`:
    many-to-many fields, compared as sets)."""
    writes = sheet.writes
    if writes.placed is not None:
        fields = writes.placed(stored, fields)
    if stored is None:
        if writes.admin_only:
            ctx.require_admin()
        created = writes.create(acting=ctx.acting, **fields, **many)
        if sheet.keyed:
            ctx.remember(sheet.name, row.values["key"], created)
        return CREATED
    identity = {lookup.split("__")[0] for lookup in writes.find_by}
    changes = changed_fields(stored, {k: v for k, v in fields.items() if k not in identity})
    changes |= {
        name: items for name, items in many.items() if not same_set(getattr(stored, name), items)
    }
    if not changes:
        return UNCHANGED
    if writes.admin_only:
        ctx.require_admin()
    if writes.update is None:
        writes.create(acting=ctx.acting, **fields, **many)
    else:
        writes.update(acting=ctx.acting, **{writes.target: stored}, **changes)
    return CHANGED


# The sheets with a rule of their own, on top of the one way --------------------------
def cycle_row(ctx: Context, row: Row, sheet: Sheet) -> str:
    """Cycles import in their present state (new ones in planning); the state the sheet
    asks for is set at the end, once their objectives and check-ins are in."""
    stored = ctx.find("cycles", row.values["key"])
    outcome = sheet_row(ctx, row, sheet)
    if stored is not None and stored.state != (row.values["state"] or Cycle.State.PLANNING):
        return CHANGED  # only the state differs: it is set at the end
    return outcome


def objective_row(ctx: Context, row: Row, sheet: Sheet) -> str:
    v = row.values
    unit = ctx.need("units", v["unit"], "unit")
    owner = ctx.person(v["owner"], "owner")
    # Stricter than the pages for now (they let leads and managers write one for others).
    personal_for_another = unit is None and owner != ctx.acting
    if ctx.find("objectives", v["key"]) is None and personal_for_another:
        ctx.require_admin_or("You may write personal objectives only for yourself.")
    return sheet_row(ctx, row, sheet)


def key_result_row(ctx: Context, row: Row, sheet: Sheet) -> str:
    """A key result is created in the objective holding it first, with its weight there;
    a second import changes that holding's weight."""
    objective = ctx.need("objectives", row.values["objective"], "objective")
    weight = row.values["weight"]
    weight = sheet.column("weight").empty if weight is None else weight
    fields, _ = desired_of(ctx, sheet, row)
    fields["owner"] = fields["owner"] or ctx.default_owner
    key_result = ctx.find("key_results", row.values["key"])
    if key_result is None:
        new = {**fields, "objective": objective, "weight": weight}
        return written(ctx, sheet, row, None, new, {})
    outcome = written(ctx, sheet, row, key_result, fields, {})
    holding = ObjectiveKeyResult.objects.filter(objective=objective, key_result=key_result).first()
    if holding is None:
        raise ValidationError({"objective": ["The key result is held by another objective now."]})
    if holding.weight != weight:
        okrs.holding_update(acting=ctx.acting, holding=holding, weight=weight)
        return CHANGED
    return outcome


def cycle_state_row(ctx: Context, row: Row) -> str | None:
    cycle = ctx.find("cycles", row.values["key"])
    wanted = row.values["state"] or Cycle.State.PLANNING
    cycle.refresh_from_db()
    if cycle.state == wanted:
        return None
    ctx.cycle_turns += cycle_turn(
        acting=ctx.acting,
        cycle=cycle,
        wanted=wanted,
        reason=row.values["reason"],
        today=timezone.localdate(),
    )
    return None  # counted with the cycle's own row


def checkin_rows(
    ctx: Context, report: Report, rows: list[Row], tick: Callable[[int], None]
) -> None:
    """Check-ins go in per key result, as one dated history (one roll-up, not one per
    row); each row is still checked by the rules of a single check-in, named by its row."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.values["key_result"], []).append(row)
    counts = report.counts.setdefault("checkins", Counter())
    for key, group in groups.items():
        tick(len(group))
        try:
            with transaction.atomic():
                key_result = ctx.need("key_results", key, "key_result")
                entries, problems = new_history(ctx, key_result, group, counts)
                if problems:
                    report.problems.extend(problems)
                    counts["refused"] += len(problems)
                    continue
                if entries:
                    okrs.checkin_history_add(
                        acting=ctx.acting, key_result=key_result, entries=entries
                    )
                    counts[CREATED] += len(entries)
        except (ValidationError, PermissionDenied, DatabaseError) as error:
            report.problems.extend(problems_of("checkins", group[0], error))
            counts["refused"] += len(group)


def new_history(ctx: Context, key_result, group: list[Row], counts: Counter, stored=None):
    """The group's new entries and its refused rows; `stored`: the key result's check-ins
    {moment: (value, confidence, note)} when the caller read them already."""
    if stored is None:
        stored = {
            checkin.created_at: (checkin.value, checkin.confidence, checkin.note)
            for checkin in CheckIn.objects.filter(key_result=key_result)
        }
    entries, problems = [], []
    for row in group:
        v = row.values
        if v["at"] in stored:
            if stored[v["at"]] != (v["value"], v["confidence"], v["note"] or ""):
                problems.append(
                    Problem(
                        "checkins",
                        row.number,
                        "value",
                        "Check-ins are append-only: this one is stored with other values.",
                    )
                )
            else:
                counts[UNCHANGED] += 1
            continue
        try:
            entry = okrs.HistoryEntry(
                value=v["value"],
                confidence=v["confidence"],
                at=v["at"],
                note=v["note"] or "",
                author=ctx.person(v["author"], "author") or ctx.acting,
            )
            okrs.checkin_entry_check(key_result, entry)
        except ValidationError as error:
            problems.extend(problems_of("checkins", row, error))
            continue
        entries.append(entry)
    return entries, problems


OWN_WAY = {"cycles": cycle_row, "objectives": objective_row, "key_results": key_result_row}


def problems_of(sheet: str, row: Row, error: Exception) -> list[Problem]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [
            Problem(sheet, row.number, COLUMN_OF_FIELD.get(name, name), " ".join(messages))
            for name, messages in error.message_dict.items()
        ]
    if isinstance(error, ValidationError):
        return [Problem(sheet, row.number, "", " ".join(error.messages))]
    if isinstance(error, ProtectedError):
        return [Problem(sheet, row.number, "", "Other records depend on this one.")]
    if isinstance(error, IntegrityError | DatabaseError):
        return [Problem(sheet, row.number, "", f"The database refused the row: {error}".strip())]
    return [Problem(sheet, row.number, "", str(error))]


def write_row(ctx: Context, report: Report, sheet: str, row: Row, write) -> None:
    try:
        with transaction.atomic():
            outcome = write(ctx, row)
    except (ValidationError, PermissionDenied, ProtectedError, DatabaseError) as error:
        report.problems.extend(problems_of(sheet, row, error))
        report.counts.setdefault(sheet, Counter())["refused"] += 1
        return
    if outcome:
        report.counts.setdefault(sheet, Counter())[outcome] += 1


def row_writer(sheet: Sheet) -> Callable[[Context, Row], str]:
    return partial(OWN_WAY.get(sheet.name, sheet_row), sheet=sheet)


def write_rows(ctx: Context, report: Report, plan: Plan, tick: Callable[[int], None]) -> None:
    for sheet in SHEETS:
        if sheet.name == "checkins":
            checkin_rows(ctx, report, plan.rows.get("checkins", []), tick)
            continue
        write = row_writer(sheet)
        for row in plan.rows.get(sheet.name, []):
            write_row(ctx, report, sheet.name, row, write)
            tick(1)


def write_cycle_states(ctx: Context, report: Report, plan: Plan) -> None:
    for row in plan.rows.get("cycles", []):
        if ctx.find("cycles", row.values["key"]) is not None:
            write_row(ctx, report, "cycles", row, cycle_state_row)


def import_plan(
    plan: Plan,
    *,
    acting: Actor,
    dry_run: bool,
    say: Say = lambda line: None,
    one_by_one: bool = False,
) -> Report:
    """Import the validated plan. The check-ins and measure values, most rows of a large
    workbook, take the bulk path (`exchange.bulk`) and the rest goes row by row in its
    first transaction; `one_by_one` writes every row through the services in one
    transaction (the reference the bulk path is tested against)."""
    report = Report(dry_run=dry_run, problems=list(plan.problems))
    if plan.problems:
        return report  # validation first: nothing is tried while a row is wrong
    total = sum(len(rows) for rows in plan.rows.values())
    done = 0

    def tick(rows: int) -> None:
        nonlocal done
        before, done = done, done + rows
        if before // 1000 != done // 1000:
            say(f"{done}/{total} rows")

    if not one_by_one:
        from lodestar.exchange.bulk import import_in_parts  # bulk builds on this module

        import_in_parts(plan, report, acting=acting, dry_run=dry_run, tick=tick, say=say)
        warmed(report)
        return report
    with transaction.atomic():
        ctx = Context(acting)
        # One roll-up over everything the rows touched, not one per row, inside the
        # import's transaction (nobody reads the scores in between).
        with rollup.deferred():
            write_rows(ctx, report, plan, tick)
        # A closing cycle keeps its objectives' scores as grades: after the roll-up.
        write_cycle_states(ctx, report, plan)
        report.cycle_turns = ctx.cycle_turns
        if report.problems or dry_run:
            transaction.set_rollback(True)
    warmed(report)
    return report


def warmed(report: Report) -> None:
    """After an import (the bulk path keeps the parts written before a refused one), the
    kept figures, all stale now, are computed again in the background, so that its first
    readers find them."""
    if not report.dry_run:
        kept.warm_when_committed()


def import_book(
    book: Book,
    *,
    acting: Actor,
    dry_run: bool = False,
    say: Say = lambda line: None,
    one_by_one: bool = False,
) -> Report:
    plan = validate(book, acting=acting)
    return import_plan(plan, acting=acting, dry_run=dry_run, say=say, one_by_one=one_by_one)
