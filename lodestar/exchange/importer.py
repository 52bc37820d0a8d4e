"""The import: a validated plan written through the services, all or nothing.

Each row creates or updates one object with the services the pages use, acting as the
importing person and asking the permission layer what the pages ask, so an import can
do no more than its user could by hand. Rows are found again by their stored key
(`ImportKey`) or their natural identity, so a second import updates instead of
duplicating. Any refused row rolls the whole import back; a dry run always does,
after writing everything in its transaction, so it reports what would be created,
changed and refused — every problem at once.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import ProtectedError, Q

from lodestar.exchange.layout import BY_NAME, SHEETS
from lodestar.exchange.models import ImportKey
from lodestar.exchange.reader import Book, Problem
from lodestar.exchange.validate import Plan, Row, validate
from lodestar.okrs import services as okrs
from lodestar.okrs.models import CheckIn, Cycle, Objective, ObjectiveKeyResult
from lodestar.org import services as org
from lodestar.org.acting import Actor
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.permissions import access_for
from lodestar.scores import rollup
from lodestar.scoring.periods import period_start
from lodestar.strategy import services as strategy
from lodestar.strategy.models import CauseEffectLink, MeasureValue

Say = Callable[[str], None]
CREATED, CHANGED, UNCHANGED = "created", "changed", "unchanged"

# Service fields that a sheet calls by another name.
COLUMN_OF_FIELD = {"username": "login", "__all__": ""}


@dataclass
class Report:
    dry_run: bool
    counts: dict[str, Counter] = field(default_factory=dict)  # sheet → created/changed/…
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def lines(self) -> list[str]:
        lines = []
        for sheet in SHEETS:
            count = self.counts.get(sheet.name)
            if count:
                parts = ", ".join(
                    f"{count[k]} {k}" for k in (CREATED, CHANGED, UNCHANGED, "refused") if count[k]
                )
                lines.append(f"{sheet.name}: {parts}")
        return lines


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
        for sheet in SHEETS:
            if sheet.keyed:
                self.objects[sheet.name] = {}

    # Finding --------------------------------------------------------------------------
    def find(self, sheet_name: str, key: str | None):
        if key is None:
            return None
        cache = self.objects[sheet_name]
        if key not in cache:
            sheet = BY_NAME[sheet_name]
            stored = ImportKey.objects.filter(model=sheet.model, key=key).first()
            model = model_of(sheet)
            cache[key] = model.objects.filter(pk=stored.object_id).first() if stored else None
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
            found = Person.objects.filter(Q(username__iexact=name) | Q(email__iexact=name)).first()
            if found is None:
                raise ValidationError({column: [f"No person with login or e-mail {name!r}."]})
            self.people[lowered] = found
        return self.people[lowered]

    def remember(self, sheet_name: str, key: str, obj) -> None:
        ImportKey.objects.create(model=BY_NAME[sheet_name].model, key=key, object_id=obj.pk)
        self.objects[sheet_name][key] = obj

    # Permissions: each service asks its own question; these two are the import's stricter
    # rules on top (the organisation sheets, and personal objectives for someone else).
    def require_admin(self) -> None:
        self.require_admin_or("Only an admin may change the organisation.")

    def require_admin_or(self, refusal: str) -> None:
        if self.acting is not None and not access_for(self.acting).is_admin:
            raise PermissionDenied(refusal)


def model_of(sheet):
    from django.apps import apps

    return apps.get_model(sheet.model)


def changed_fields(obj, desired: dict) -> dict:
    return {name: value for name, value in desired.items() if getattr(obj, name) != value}


def same_set(manager, objects) -> bool:
    return {o.pk for o in manager.all()} == {o.pk for o in objects}


# One function per sheet: create or update the row's object, say which ----------------
def unit_row(ctx: Context, row: Row) -> str:
    v = row.values
    desired = {
        "name": v["name"],
        "kind": v["kind"] or Unit.Kind.TEAM,
        "parent": ctx.need("units", v["parent"], "parent"),
    }
    unit = ctx.find("units", v["key"])
    if unit is None:
        ctx.require_admin()
        ctx.remember("units", v["key"], org.unit_create(acting=ctx.acting, **desired))
        return CREATED
    changes = changed_fields(unit, desired)
    if changes:
        ctx.require_admin()
        org.unit_update(acting=ctx.acting, unit=unit, **changes)
    return CHANGED if changes else UNCHANGED


def person_row(ctx: Context, row: Row) -> str:
    v = row.values
    desired = {
        "email": v["email"] or "",
        "first_name": v["first_name"] or "",
        "last_name": v["last_name"] or "",
        "role": v["role"] or Person.Role.MEMBER,
        "manager": ctx.person(v["manager"], "manager"),
    }
    person = Person.objects.filter(username__iexact=v["login"]).first()
    if person is None:
        ctx.require_admin()
        person = org.person_create(acting=ctx.acting, username=v["login"], **desired)
        ctx.people[v["login"].lower()] = person
        return CREATED
    changes = changed_fields(person, desired)
    if changes:
        ctx.require_admin()
        org.person_update(acting=ctx.acting, person=person, **changes)
    return CHANGED if changes else UNCHANGED


def membership_row(ctx: Context, row: Row) -> str:
    v = row.values
    unit, person = ctx.need("units", v["unit"], "unit"), ctx.person(v["person"], "person")
    role = v["role"] or Membership.Role.MEMBER
    existing = Membership.objects.filter(unit=unit, person=person).first()
    if existing and existing.role == role:
        return UNCHANGED
    ctx.require_admin()
    org.membership_set(acting=ctx.acting, person=person, unit=unit, role=role)
    return CHANGED if existing else CREATED


def keyed_row(
    ctx: Context,
    row: Row,
    sheet: str,
    desired: dict,
    create: Callable[[dict], object],
    update: Callable[[object, dict], object],
    many: dict | None = None,
) -> str:
    """The common shape: find by key, create with everything, or update what differs
    (`many`: many-to-many fields, compared as sets)."""
    many = many or {}
    obj = ctx.find(sheet, row.values["key"])
    if obj is None:
        ctx.remember(sheet, row.values["key"], create({**desired, **many}))
        return CREATED
    changes = changed_fields(obj, desired)
    changes |= {
        name: items for name, items in many.items() if not same_set(getattr(obj, name), items)
    }
    if changes:
        update(obj, changes)
    return CHANGED if changes else UNCHANGED


def scorecard_row(ctx: Context, row: Row) -> str:
    v = row.values
    unit = ctx.need("units", v["unit"], "unit")
    desired = {
        "unit": unit,
        "name": v["name"],
        "period_start": v["period_start"],
        "period_end": v["period_end"],
    }
    return keyed_row(
        ctx,
        row,
        "scorecards",
        desired,
        create=lambda f: strategy.scorecard_create(acting=ctx.acting, perspectives=(), **f),
        update=lambda o, c: strategy.scorecard_update(acting=ctx.acting, scorecard=o, **c),
    )


def perspective_row(ctx: Context, row: Row) -> str:
    v = row.values
    scorecard = ctx.need("scorecards", v["scorecard"], "scorecard")
    desired = {
        "scorecard": scorecard,
        "name": v["name"],
        "position": v["position"],
        "weight": v["weight"] if v["weight"] is not None else 1.0,
    }
    return keyed_row(
        ctx,
        row,
        "perspectives",
        desired,
        create=lambda f: strategy.perspective_create(acting=ctx.acting, **f),
        update=lambda o, c: strategy.perspective_update(acting=ctx.acting, perspective=o, **c),
    )


def theme_row(ctx: Context, row: Row) -> str:
    v = row.values
    scorecard = ctx.need("scorecards", v["scorecard"], "scorecard")
    desired = {"scorecard": scorecard, "name": v["name"], "description": v["description"] or ""}
    return keyed_row(
        ctx,
        row,
        "themes",
        desired,
        create=lambda f: strategy.theme_create(acting=ctx.acting, **f),
        update=lambda o, c: strategy.theme_update(acting=ctx.acting, theme=o, **c),
    )


def strategic_objective_row(ctx: Context, row: Row) -> str:
    v = row.values
    perspective = ctx.need("perspectives", v["perspective"], "perspective")
    desired = {
        "scorecard": perspective.scorecard,
        "perspective": perspective,
        "code": v["code"] or "",
        "name": v["name"],
        "description": v["description"] or "",
        "owner": ctx.person(v["owner"], "owner"),
        "weight": v["weight"] if v["weight"] is not None else 1.0,
        "parent": ctx.need("strategic_objectives", v["parent"], "parent"),
    }
    themes = [ctx.need("themes", key, "themes") for key in v["themes"]]
    return keyed_row(
        ctx,
        row,
        "strategic_objectives",
        desired,
        create=lambda f: strategy.strategic_objective_create(acting=ctx.acting, **f),
        update=lambda o, c: strategy.strategic_objective_update(
            acting=ctx.acting, objective=o, **c
        ),
        many={"themes": themes},
    )


def link_row(ctx: Context, row: Row) -> str:
    v = row.values
    cause = ctx.need("strategic_objectives", v["cause"], "cause")
    effect = ctx.need("strategic_objectives", v["effect"], "effect")
    hypothesis = v["hypothesis"] or ""
    link = CauseEffectLink.objects.filter(cause=cause, effect=effect).first()
    if link is None:
        strategy.link_create(acting=ctx.acting, cause=cause, effect=effect, hypothesis=hypothesis)
        return CREATED
    if link.hypothesis == hypothesis:
        return UNCHANGED
    strategy.link_update(acting=ctx.acting, link=link, hypothesis=hypothesis)
    return CHANGED


def measure_row(ctx: Context, row: Row) -> str:
    v = row.values
    objective = ctx.need("strategic_objectives", v["objective"], "objective")
    desired = {
        "objective": objective,
        "name": v["name"],
        "unit_of_measure": v["unit_of_measure"] or "",
        "direction": v["direction"] or "higher",
        "baseline": v["baseline"],
        "target": v["target"],
        "upper": v["upper"],
        "warning": v["warning"],
        "frequency": v["frequency"] or "monthly",
        "leading": bool(v["leading"]),
        "owner": ctx.person(v["owner"], "owner"),
        "weight": v["weight"] if v["weight"] is not None else 1.0,
    }
    return keyed_row(
        ctx,
        row,
        "measures",
        desired,
        create=lambda f: strategy.measure_create(acting=ctx.acting, **f),
        update=lambda o, c: strategy.measure_update(acting=ctx.acting, measure=o, **c),
    )


def measure_value_row(ctx: Context, row: Row) -> str:
    v = row.values
    measure = ctx.need("measures", v["measure"], "measure")
    start = period_start(measure.frequency, v["period"])
    existing = MeasureValue.objects.filter(measure=measure, period=start).first()
    desired = {"actual": v["actual"], "target": v["target"], "comment": v["comment"] or ""}
    if existing and not changed_fields(existing, desired):
        return UNCHANGED
    strategy.measure_value_record(
        acting=ctx.acting, measure=measure, period=start, author=ctx.acting, **desired
    )
    return CHANGED if existing else CREATED


def initiative_row(ctx: Context, row: Row) -> str:
    from decimal import Decimal

    v = row.values
    objectives = [ctx.need("strategic_objectives", key, "objectives") for key in v["objectives"]]
    money = {
        name: Decimal(str(v[name] or 0)).quantize(Decimal("0.01")) for name in ("budget", "spent")
    }
    desired = {
        "name": v["name"],
        "owner": ctx.person(v["owner"], "owner"),
        "start": v["start"],
        "end": v["end"],
        "status": v["status"] or "planned",
        "percent_complete": v["percent_complete"] or 0,
        **money,
    }
    return keyed_row(
        ctx,
        row,
        "initiatives",
        desired,
        create=lambda f: strategy.initiative_create(acting=ctx.acting, **f),
        update=lambda o, c: strategy.initiative_update(acting=ctx.acting, initiative=o, **c),
        many={"objectives": objectives},
    )


def cycle_row(ctx: Context, row: Row) -> str:
    """Cycles import in their present state (new ones in planning); the state the sheet
    asks for is set at the end, once their objectives and check-ins are in."""
    v = row.values
    desired = {"name": v["name"], "start": v["start"], "end": v["end"]}
    stored = ctx.find("cycles", v["key"])
    if stored is not None and stored.state != (v["state"] or Cycle.State.PLANNING):
        # Only the state differs: it is set at the end, and the row counts as changed.
        keyed_row(
            ctx,
            row,
            "cycles",
            desired,
            create=None,
            update=lambda o, c: okrs.cycle_update(acting=ctx.acting, cycle=o, **c),
        )
        return CHANGED
    return keyed_row(
        ctx,
        row,
        "cycles",
        desired,
        create=lambda f: okrs.cycle_create(acting=ctx.acting, **f),
        update=lambda o, c: okrs.cycle_update(acting=ctx.acting, cycle=o, **c),
    )


def cycle_state_row(ctx: Context, row: Row) -> str | None:
    cycle = ctx.find("cycles", row.values["key"])
    wanted = row.values["state"] or Cycle.State.PLANNING
    cycle.refresh_from_db()
    if cycle.state == wanted:
        return None
    if wanted == Cycle.State.ACTIVE:
        okrs.cycle_activate(acting=ctx.acting, cycle=cycle)
    elif wanted == Cycle.State.CLOSED:
        okrs.cycle_close(acting=ctx.acting, cycle=cycle)
    else:
        okrs.cycle_update(acting=ctx.acting, cycle=cycle, state=wanted)
    return None  # counted with the cycle's own row


def objective_row(ctx: Context, row: Row) -> str:
    v = row.values
    unit = ctx.need("units", v["unit"], "unit")
    owner = ctx.person(v["owner"], "owner")
    desired = {
        "cycle": ctx.need("cycles", v["cycle"], "cycle"),
        "title": v["title"],
        "description": v["description"] or "",
        "unit": unit,
        "owner": owner,
        "parent": ctx.need("objectives", v["parent"], "parent"),
        "kind": v["kind"] or Objective.Kind.ASPIRATIONAL,
        "visibility": v["visibility"] or Objective.Visibility.PUBLIC,
        "weight": v["weight"] if v["weight"] is not None else 1.0,
    }
    contributes_to = [
        ctx.need("strategic_objectives", k, "contributes_to") for k in v["contributes_to"]
    ]

    # Stricter than the pages for now (they let leads and managers write one for others).
    personal_for_another = unit is None and owner != ctx.acting
    if ctx.find("objectives", v["key"]) is None and personal_for_another:
        ctx.require_admin_or("You may write personal objectives only for yourself.")
    return keyed_row(
        ctx,
        row,
        "objectives",
        desired,
        create=lambda f: okrs.objective_create(acting=ctx.acting, **f),
        update=lambda o, c: okrs.objective_update(acting=ctx.acting, objective=o, **c),
        many={"contributes_to": contributes_to},
    )


def key_result_row(ctx: Context, row: Row) -> str:
    v = row.values
    objective = ctx.need("objectives", v["objective"], "objective")
    weight = v["weight"] if v["weight"] is not None else 1.0
    desired = {
        "title": v["title"],
        "owner": ctx.person(v["owner"], "owner") or ctx.default_owner,
        "kind": v["kind"] or "metric",
        "baseline": v["baseline"] or 0.0,
        "target": v["target"],
        "unit_label": v["unit_label"] or "",
        "linked_measure": ctx.need("measures", v["linked_measure"], "linked_measure"),
    }
    key_result = ctx.find("key_results", v["key"])
    if key_result is None:
        created = okrs.key_result_create(
            acting=ctx.acting, objective=objective, weight=weight, **desired
        )
        ctx.remember("key_results", v["key"], created)
        return CREATED
    changes = changed_fields(key_result, desired)
    if changes:
        okrs.key_result_update(acting=ctx.acting, key_result=key_result, **changes)
    holding = ObjectiveKeyResult.objects.filter(objective=objective, key_result=key_result).first()
    if holding is None:
        raise ValidationError({"objective": ["The key result is held by another objective now."]})
    if holding.weight != weight:
        okrs.holding_update(acting=ctx.acting, holding=holding, weight=weight)
        return CHANGED
    return CHANGED if changes else UNCHANGED


def share_row(ctx: Context, row: Row) -> str:
    v = row.values
    objective = ctx.need("objectives", v["objective"], "objective")
    key_result = ctx.need("key_results", v["key_result"], "key_result")
    weight = v["weight"] if v["weight"] is not None else 1.0
    holding = ObjectiveKeyResult.objects.filter(objective=objective, key_result=key_result).first()
    if holding is None:
        okrs.key_result_hold(
            acting=ctx.acting, objective=objective, key_result=key_result, weight=weight
        )
        return CREATED
    if holding.weight == weight:
        return UNCHANGED
    okrs.holding_update(acting=ctx.acting, holding=holding, weight=weight)
    return CHANGED


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


def new_history(ctx: Context, key_result, group: list[Row], counts: Counter):
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


ROWS = {
    "units": unit_row,
    "people": person_row,
    "memberships": membership_row,
    "scorecards": scorecard_row,
    "perspectives": perspective_row,
    "themes": theme_row,
    "strategic_objectives": strategic_objective_row,
    "links": link_row,
    "measures": measure_row,
    "measure_values": measure_value_row,
    "initiatives": initiative_row,
    "cycles": cycle_row,
    "objectives": objective_row,
    "key_results": key_result_row,
    "key_result_shares": share_row,
}


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


def write_rows(ctx: Context, report: Report, plan: Plan, tick: Callable[[int], None]) -> None:
    for sheet in SHEETS:
        if sheet.name == "checkins":
            checkin_rows(ctx, report, plan.rows.get("checkins", []), tick)
            continue
        for row in plan.rows.get(sheet.name, []):
            write_row(ctx, report, sheet.name, row, ROWS[sheet.name])
            tick(1)


def write_cycle_states(ctx: Context, report: Report, plan: Plan) -> None:
    for row in plan.rows.get("cycles", []):
        if ctx.find("cycles", row.values["key"]) is not None:
            write_row(ctx, report, "cycles", row, cycle_state_row)


def import_plan(
    plan: Plan, *, acting: Actor, dry_run: bool, say: Say = lambda line: None
) -> Report:
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

    with transaction.atomic():
        ctx = Context(acting)
        # One roll-up over everything the rows touched, not one per row, inside the
        # import's transaction (nobody reads the scores in between).
        with rollup.deferred():
            write_rows(ctx, report, plan, tick)
        # A closing cycle keeps its objectives' scores as grades: after the roll-up.
        write_cycle_states(ctx, report, plan)
        if report.problems or dry_run:
            transaction.set_rollback(True)
    return report


def import_book(
    book: Book, *, acting: Actor, dry_run: bool = False, say: Say = lambda line: None
) -> Report:
    return import_plan(validate(book), acting=acting, dry_run=dry_run, say=say)
