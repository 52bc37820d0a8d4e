"""Validation first: every row of a book checked against the layout before anything is
written — required columns, types, choices, duplicate identities, references to rows
of the file or already stored, and parents that would make a loop. It reports every
problem at once (sheet, row, column, message) and hands the importer typed rows."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.apps import apps
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from lodestar.exchange.layout import SHEETS, Column, Sheet, normalised
from lodestar.exchange.models import ImportKey
from lodestar.exchange.reader import Book, Problem
from lodestar.org.acting import Actor
from lodestar.org.models import Person
from lodestar.org.permissions import Action, can

LIMIT = 1e12
IDS_PER_READ = 5000  # keys in one `IN (…)`, well inside every database's parameter limit
YES = {"yes", "y", "true", "1", "x", "ja", "oui"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class Row:
    number: int
    values: dict[str, object]

    def identity(self, sheet: Sheet) -> tuple:
        return tuple(self.values.get(name) for name in sheet.identity)


@dataclass
class Plan:
    rows: dict[str, list[Row]] = field(default_factory=dict)  # by sheet, in import order
    problems: list[Problem] = field(default_factory=list)


class Refused(ValueError):
    pass


def as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    text = str(value).strip()
    if "\x00" in text:
        raise Refused("holds a NUL character")
    return text


def as_number(value: object) -> float:
    if isinstance(value, bool | datetime | date):
        raise Refused(f"is not a number ({value!r})")
    try:
        number = (
            float(str(value).strip().replace(" ", "")) if isinstance(value, str) else float(value)
        )
    except (TypeError, ValueError):
        raise Refused(f"is not a number ({value!r})") from None
    if not math.isfinite(number) or abs(number) > LIMIT:
        raise Refused(f"is not a finite number within ±{LIMIT:g} ({value!r})")
    return number


def as_integer(value: object) -> int:
    number = as_number(value)
    if not number.is_integer():
        raise Refused(f"is not a whole number ({value!r})")
    return int(number)


def as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(as_text(value)[:10])
    except ValueError:
        raise Refused(f"is not a date (YYYY-MM-DD): {value!r}") from None


def as_moment(value: object) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(12))
    else:
        text = as_text(value)
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise Refused(f"is not a date or date and time (ISO 8601): {value!r}") from None
        if len(text) == 10:
            moment = moment.replace(hour=12)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def as_yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise Refused(f"is not yes or no ({value!r})")


def as_choice(value: object, column: Column) -> str:
    text = normalised(value)
    for option in column.choices:
        if normalised(option) == text:
            return option
    raise Refused(f"is {value!r}; one of {', '.join(column.choices)} is expected")


def as_keys(value: object) -> list[str]:
    return [part.strip() for part in as_text(value).replace(";", ",").split(",") if part.strip()]


def coerced(value: object, column: Column) -> object:
    if column.kind == "number":
        return as_number(value)
    if column.kind == "integer":
        return as_integer(value)
    if column.kind == "date":
        return as_date(value)
    if column.kind == "moment":
        return as_moment(value)
    if column.kind == "yes/no":
        return as_yes_no(value)
    if column.kind == "choice":
        return as_choice(value, column)
    if column.kind == "keys":
        return as_keys(value)
    return as_text(value)


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def stored_object(sheet: Sheet, key: str, acting: Actor):
    """The stored record a sheet's key names, if `acting` may see it. A record they may
    not see is answered as no record at all: an import must not tell a hidden record from
    a missing one (nor, by "unchanged", what it holds)."""
    return stored_objects(sheet, {key}, acting)[key]


def stored_objects(sheet: Sheet, keys, acting: Actor, related: tuple[str, ...] = ()) -> dict:
    """{key: `stored_object`} for many keys in two queries per few thousand keys (and the
    permission layer's own); `related`: the relations to read with the records."""
    found = dict.fromkeys(keys)
    model = apps.get_model(sheet.model)
    ordered = sorted(found)
    for start in range(0, len(ordered), IDS_PER_READ):
        chunk = ordered[start : start + IDS_PER_READ]
        ids = dict(
            ImportKey.objects.filter(model=sheet.model, key__in=chunk).values_list(
                "key", "object_id"
            )
        )
        records = model.objects.select_related(*related).in_bulk(set(ids.values()))
        for key, object_id in ids.items():
            record = records.get(object_id)
            if record is not None and (acting is None or can(acting, Action.VIEW, record)):
                found[key] = record
    return found


class Known:
    """The keys and people a reference may name: in the file, or stored and visible to
    the importing person."""

    def __init__(self, plan: Plan, acting: Actor):
        self.acting = acting
        self.keys: dict[str, set[str]] = {}
        for sheet in SHEETS:
            if sheet.keyed:
                in_file = {row.values["key"] for row in plan.rows.get(sheet.name, [])}
                self.keys[sheet.name] = in_file
        self.stored_cache: dict[tuple[str, str], bool] = {}
        people = plan.rows.get("people", [])
        self.people = {str(r.values["login"]).lower() for r in people}
        self.people |= {str(r.values.get("email")).lower() for r in people if r.values.get("email")}

    def keys_read_ahead(self, sheet: Sheet, keys: set[str]) -> None:
        """What `has_key` will ask of `sheet`, read at once."""
        keys = {key for key in keys if key not in self.keys.get(sheet.name, ())}
        for key, found in stored_objects(sheet, keys, self.acting).items():
            self.stored_cache[sheet.name, key] = found is not None

    def people_read_ahead(self, names: set[str]) -> None:
        """What `has_person` will ask, read at once: the people found join `people`."""
        names = {name.lower() for name in names} - self.people
        ordered = sorted(names)
        for start in range(0, len(ordered), IDS_PER_READ):
            chunk = ordered[start : start + IDS_PER_READ]
            rows = Person.objects.annotate(login=Lower("username"), mail=Lower("email"))
            rows = rows.filter(Q(login__in=chunk) | Q(mail__in=chunk))
            for login, mail in rows.values_list("login", "mail"):
                self.people |= {login, mail} & names

    def has_key(self, sheet: Sheet, key: str) -> bool:
        if key in self.keys.get(sheet.name, ()):
            return True
        if (sheet.name, key) not in self.stored_cache:
            found = stored_object(sheet, key, self.acting)
            self.stored_cache[sheet.name, key] = found is not None
        return self.stored_cache[sheet.name, key]

    def has_person(self, name: str) -> bool:
        lowered = name.lower()
        if lowered in self.people:
            return True
        found = Person.objects.filter(Q(username__iexact=name) | Q(email__iexact=name)).exists()
        if found:
            self.people.add(lowered)
        return found


def typed_rows(book: Book, plan: Plan) -> None:
    for sheet in SHEETS:
        table = book.tables.get(sheet.name)
        if table is None:
            continue
        positions = {normalised(header): index for index, header in enumerate(table.headers)}
        missing = [
            c.name for c in sheet.columns if c.required and normalised(c.name) not in positions
        ]
        for name in missing:
            plan.problems.append(Problem(sheet.name, 1, name, "A required column is missing."))
        if missing:
            continue
        rows, seen = [], {}
        for number, cells in table.rows:
            values, ok = {}, True
            for column in sheet.columns:
                index = positions.get(normalised(column.name))
                raw = cells[index] if index is not None and index < len(cells) else None
                if blank(raw):
                    if column.required:
                        plan.problems.append(
                            Problem(sheet.name, number, column.name, "Empty, but required.")
                        )
                        ok = False
                    values[column.name] = [] if column.kind == "keys" else None
                    continue
                try:
                    values[column.name] = coerced(raw, column)
                except Refused as refusal:
                    plan.problems.append(
                        Problem(sheet.name, number, column.name, f"The value {refusal}.")
                    )
                    ok = False
            if not ok:
                continue
            row = Row(number, values)
            identity = tuple(
                str(v).lower() if isinstance(v, str) else v for v in row.identity(sheet)
            )
            if identity in seen:
                plan.problems.append(
                    Problem(
                        sheet.name,
                        number,
                        sheet.identity[0],
                        f"Duplicate of row {seen[identity]} ({', '.join(map(str, identity))}).",
                    )
                )
                continue
            seen[identity] = number
            rows.append(row)
        plan.rows[sheet.name] = rows


def references(plan: Plan, acting: Actor) -> None:
    known = Known(plan, acting)
    by_name = {sheet.name: sheet for sheet in SHEETS}
    wanted, names = defaultdict(set), set()
    for sheet in SHEETS:
        for row in plan.rows.get(sheet.name, []):
            for column in sheet.columns:
                value = row.values.get(column.name)
                if value in (None, []):
                    continue
                if column.kind == "person":
                    names.add(value)
                elif column.kind in ("key", "keys"):
                    wanted[column.sheet].update(value if column.kind == "keys" else [value])
    for sheet in SHEETS:
        known.keys_read_ahead(sheet, wanted[sheet.name])
    known.people_read_ahead(names)
    for sheet in SHEETS:
        for row in plan.rows.get(sheet.name, []):
            for column in sheet.columns:
                value = row.values.get(column.name)
                if value in (None, []):
                    continue
                if column.kind == "person" and not known.has_person(value):
                    plan.problems.append(
                        Problem(
                            sheet.name,
                            row.number,
                            column.name,
                            f"No person with login or e-mail {value!r}.",
                        )
                    )
                if column.kind in ("key", "keys"):
                    target = by_name[column.sheet]
                    for key in value if column.kind == "keys" else [value]:
                        if not known.has_key(target, key):
                            plan.problems.append(
                                Problem(
                                    sheet.name,
                                    row.number,
                                    column.name,
                                    f"No {target.name.replace('_', ' ')} row with key {key!r}.",
                                )
                            )


def tree_order(plan: Plan) -> None:
    """Parents before children; a parent chain that comes back to a row is a loop."""
    for sheet in SHEETS:
        if not sheet.tree or sheet.name not in plan.rows:
            continue
        rows = plan.rows[sheet.name]
        identity = sheet.identity[0]
        by_id = {str(row.values[identity]).lower(): row for row in rows}
        ordered, placed, looped = [], set(), set()
        for row in rows:
            chain, current = [], row
            while current is not None and id(current) not in placed:
                chain_ids = [id(member) for member in chain]
                if id(current) in chain_ids:
                    looped.update(chain_ids[chain_ids.index(id(current)) :])
                    break
                chain.append(current)
                parent = current.values.get(sheet.tree)
                current = by_id.get(str(parent).lower()) if parent else None
            for member in reversed(chain):
                if id(member) not in placed:
                    placed.add(id(member))
                    if id(member) in looped:
                        plan.problems.append(
                            Problem(
                                sheet.name, member.number, sheet.tree, "This parent makes a loop."
                            )
                        )
                    else:
                        ordered.append(member)
        plan.rows[sheet.name] = ordered


def key_results_score(plan: Plan) -> None:
    for row in plan.rows.get("key_results", []):
        kind = row.values.get("kind") or "metric"
        baseline = row.values.get("baseline") or 0.0
        if kind == "metric" and row.values.get("target") == baseline:
            plan.problems.append(
                Problem(
                    "key_results",
                    row.number,
                    "target",
                    "The target equals the baseline: nothing to progress.",
                )
            )


def validate(book: Book, *, acting: Actor) -> Plan:
    plan = Plan(problems=list(book.problems))
    typed_rows(book, plan)
    references(plan, acting)
    tree_order(plan)
    key_results_score(plan)
    order = {sheet.name: index for index, sheet in enumerate(SHEETS)}
    plan.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row or 0))
    return plan
