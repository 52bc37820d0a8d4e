"""The preview of an import, worked out by reading only.

The import's dry run writes every row and rolls back: on SQLite it holds the database's
one write lock from its first row to its last (a preview of 4,000 check-ins made another
member's check-in wait 13 s). The page's preview instead validates the file, finds each
row's record as the import would, compares, and asks the permission layer and the
check-in rules — all reads — then reports what would be created, changed, left
unchanged and refused. Confirming writes it in one transaction; a rule only a service
knows (it cannot be asked without writing) may still refuse a row there, and then
nothing is written and the page says why.
"""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lodestar.exchange.cycle_turns import Effect, effects_of, require_reason
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
    same_set,
    stored_row,
)
from lodestar.exchange.layout import SHEETS, Sheet
from lodestar.exchange.reader import Book
from lodestar.exchange.validate import Row, validate
from lodestar.okrs.models import Cycle, ObjectiveKeyResult
from lodestar.org.acting import Actor
from lodestar.org.permissions import Action, require


class MadeByTheFile(Exception):
    """A row names a record that an earlier row of the file creates: it cannot be
    compared with anything stored."""


class PreviewContext(Context):
    def __init__(self, acting: Actor):
        super().__init__(acting)
        self.new_keys: dict[str, set[str]] = {sheet.name: set() for sheet in SHEETS}
        self.new_people: set[str] = set()  # logins and e-mails, lowered

    def need(self, sheet_name: str, key: str | None, column: str):
        if key is not None and key in self.new_keys[sheet_name]:
            raise MadeByTheFile
        return super().need(sheet_name, key, column)

    def person(self, name: str | None, column: str):
        if name is not None and name.lower() in self.new_people:
            raise MadeByTheFile  # a manager or owner the people sheet creates
        return super().person(name, column)


def row_outcome(ctx: PreviewContext, sheet: Sheet, row: Row) -> str:
    try:
        fields, many = desired_of(ctx, sheet, row)
    except MadeByTheFile:
        stored = ctx.find(sheet.name, row.values["key"]) if sheet.keyed else None
        return new_or_changed(ctx, sheet, row, stored)
    stored = stored_row(ctx, sheet, row, fields)
    if stored is None:
        # The import's own rule for objectives (see importer.objective_row).
        if sheet.name == "objectives" and fields["unit"] is None and fields["owner"] != ctx.acting:
            ctx.require_admin_or("You may write personal objectives only for yourself.")
        return new_or_changed(ctx, sheet, row, None)
    identity = {lookup.split("__")[0] for lookup in sheet.writes.find_by}
    changes = changed_fields(stored, {k: v for k, v in fields.items() if k not in identity})
    changes |= {n: items for n, items in many.items() if not same_set(getattr(stored, n), items)}
    if changes or own_changes(ctx, sheet, row, stored):
        return new_or_changed(ctx, sheet, row, stored)
    return UNCHANGED


def own_changes(ctx: PreviewContext, sheet: Sheet, row: Row, stored) -> bool:
    """What a sheet's own way changes beyond its fields: a cycle's state, a key result's
    weight in the objective holding it."""
    if sheet.name == "cycles":
        return stored.state != (row.values["state"] or Cycle.State.PLANNING)
    if sheet.name == "key_results":
        objective = ctx.need("objectives", row.values["objective"], "objective")
        weight = row.values["weight"]
        weight = sheet.column("weight").empty if weight is None else weight
        holding = ObjectiveKeyResult.objects.filter(objective=objective, key_result=stored)
        return not holding.filter(weight=weight).exists()
    return False


def new_or_changed(ctx: PreviewContext, sheet: Sheet, row: Row, stored) -> str:
    if sheet.writes.admin_only:
        ctx.require_admin()
    if stored is None:
        if sheet.keyed:
            ctx.new_keys[sheet.name].add(row.values["key"])
        if sheet.name == "people":
            named = (row.values["login"], row.values.get("email"))
            ctx.new_people |= {str(name).lower() for name in named if name}
        return CREATED
    require(ctx.acting, Action.CHANGE, stored)
    return CHANGED


def checkin_outcomes(ctx: PreviewContext, report: Report, rows: list[Row]) -> None:
    counts = report.counts.setdefault("checkins", Counter())
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.values["key_result"], []).append(row)
    for key, group in groups.items():
        try:
            key_result = ctx.need("key_results", key, "key_result")
            require(ctx.acting, Action.CHECK_IN, key_result)
        except MadeByTheFile:
            counts[CREATED] += len(group)
            continue
        except (ValidationError, PermissionDenied) as error:
            report.problems.extend(problems_of("checkins", group[0], error))
            counts["refused"] += len(group)
            continue
        entries, problems = new_history(ctx, key_result, group, counts)
        report.problems.extend(problems)
        counts["refused"] += len(problems)
        counts[CREATED] += len(entries)


def cycle_turns(ctx: PreviewContext, report: Report, rows: list[Row]) -> None:
    """What the cycles' rows do to the cycles here, said as the import says it
    (`cycle_turns.cycle_turn`), and refused alike when it comes early without a reason."""
    today = timezone.localdate()
    for row in rows:
        v = row.values
        wanted = v["state"] or Cycle.State.PLANNING
        cycle = ctx.find("cycles", v["key"])
        if cycle is None:
            cycle = Cycle(name=v["name"], start=v["start"], end=v["end"])
        elif cycle.state == wanted:
            continue
        if cycle.pk is None and wanted == Cycle.State.CLOSED:
            # Its objectives come with the file: how many a close grades is known only then.
            effects = [
                Effect(f"closes {cycle}" + " early" * (today < cycle.end), today < cycle.end)
            ]
        else:
            effects = effects_of(cycle, wanted, today)
        try:
            require_reason(effects, v["reason"])
        except ValidationError as refusal:
            report.problems.extend(problems_of("cycles", row, refusal))
            continue
        report.cycle_turns += [effect.sentence for effect in effects]


def preview_book(book: Book, *, acting: Actor) -> Report:
    """What importing the book would do, read without a write."""
    plan = validate(book, acting=acting)
    report = Report(dry_run=True, problems=list(plan.problems))
    if plan.problems:
        return report
    ctx = PreviewContext(acting)
    for sheet in SHEETS:
        rows = plan.rows.get(sheet.name, [])
        if sheet.name == "checkins":
            checkin_outcomes(ctx, report, rows)
            continue
        for row in rows:
            counts = report.counts.setdefault(sheet.name, Counter())
            try:
                counts[row_outcome(ctx, sheet, row)] += 1
            except (ValidationError, PermissionDenied) as error:
                report.problems.extend(problems_of(sheet.name, row, error))
                counts["refused"] += 1
    cycle_turns(ctx, report, plan.rows.get("cycles", []))
    return report
