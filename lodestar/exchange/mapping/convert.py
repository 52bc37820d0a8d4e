"""A file read by a mapping, turned into the rows of Lodestar's layout.

Each row of the file is an objective or a key result: by its type column (in a known
word, or the mapping's own `terms`), else by its place — a row under an objective with a
target, a current value or a progress is a key result; a row whose parent names no row of
the file is a key result of an objective of that name (a flat sheet: one row per key
result, its objective in a column). Projects, tasks and the like are left out, and said.
People are named by login or e-mail; a display name is matched to the one person of that
name, or by the mapping's `people`; an unknown e-mail becomes a new person; what is left
is listed to be named. Cycles are found by name or dates among the stored ones, else
made (and said when one overlaps a stored cycle). Rows keep their row numbers, so that
every problem the import finds is said where it lies in the file
(`exchange.incoming`)."""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models.functions import Lower
from django.utils import timezone

from lodestar.exchange.incoming import Incoming, StoredKeys, rows_book
from lodestar.exchange.mapping import values
from lodestar.exchange.mapping.cycle_names import dates_name, named_dates
from lodestar.exchange.mapping.fields import (
    DATE_FIELDS,
    DEFAULT_CONFIDENCE,
    FIELD_BY_NAME,
    KEY_RESULT,
    LEFT_OUT,
    OBJECTIVE,
    STATUS_CONFIDENCE,
    TERM_OF,
    normalised,
)
from lodestar.exchange.mapping.source import Source
from lodestar.exchange.mapping.spec import Mapping
from lodestar.exchange.models import ImportKey
from lodestar.exchange.reader import Problem
from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.acting import Actor
from lodestar.org.models import Person, Unit
from lodestar.org.permissions import reader_for

SHAPE = "mapping"
METRICS = ("target", "current", "start_value", "progress")
DEEPEST = 200  # parents above a row that are followed
# What the file calls each layout column, for saying problems in its terms.
FIELD_OF_COLUMN = {
    ("objectives", "title"): "title",
    ("objectives", "description"): "description",
    ("objectives", "owner"): "owner",
    ("objectives", "unit"): "unit",
    ("objectives", "parent"): "parent",
    ("objectives", "cycle"): "cycle",
    ("objectives", "weight"): "weight",
    ("key_results", "title"): "title",
    ("key_results", "objective"): "parent",
    ("key_results", "owner"): "owner",
    ("key_results", "baseline"): "start_value",
    ("key_results", "target"): "target",
    ("key_results", "unit_label"): "unit_label",
    ("key_results", "weight"): "weight",
    ("checkins", "value"): "current",
    ("checkins", "at"): "checkin_date",
    ("checkins", "confidence"): "confidence",
    ("cycles", "name"): "cycle",
    ("cycles", "start"): "start_date",
    ("cycles", "end"): "end_date",
    ("units", "name"): "unit",
    ("people", "login"): "owner",
    ("people", "email"): "owner",
}


@dataclass
class Item:
    """One row of the file, its mapped fields read."""

    number: int
    fields: dict[str, object]
    kind: str = ""
    parent: "Item | None" = None
    parent_title: str = ""  # an objective the row names that no row of the file is
    key: str = ""
    cycle_key: str = ""
    resolved: bool = False

    def has_metrics(self) -> bool:
        return any(self.fields.get(name) is not None for name in METRICS)


@dataclass
class Mapped:
    """What the conversion found, for the dry run to say."""

    incoming: Incoming
    new_people: list[str] = field(default_factory=list)
    unmatched: dict[str, list[int]] = field(default_factory=dict)  # name → rows
    new_cycles: list[str] = field(default_factory=list)
    left_out: list[int] = field(default_factory=list)
    without_strategy: int = 0


class Conversion:
    def __init__(self, source: Source, mapping: Mapping, acting: Actor):
        self.source, self.mapping = source, mapping
        # Stored objectives and key results are read only as `acting` may see them: what
        # the dry run says of them must not tell a hidden one from none.
        self.acting = acting
        self.today = timezone.localdate()
        self.problems: list[Problem] = []
        self.unread: set[int] = set()  # rows with a value refused: said once, by that value
        self.decisions: list[str] = []
        self.rows: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        self.stored_keys = StoredKeys()
        self.keys_read: dict[tuple[str, int], str] = {}  # each stored record's key, read once
        self.mapped = Mapped(Incoming(rows_book({})))

    # Saying where -----------------------------------------------------------------------
    def refuse(self, number: int | None, field_name: str, message: str) -> None:
        """A problem of the row, unless one of its values was refused already (what follows
        from that would only repeat it)."""
        if number not in self.unread:
            self.said(number, field_name, message)

    def said(self, number: int | None, field_name: str, message: str) -> None:
        header = self.mapping.header(field_name) or FIELD_BY_NAME[field_name].label
        self.problems.append(Problem(self.source.name, number, header, message))

    # Reading the rows -------------------------------------------------------------------
    def items(self) -> list[Item]:
        headers = {h: i for i, h in enumerate(self.source.headers)}
        missing = [h for h in self.mapping.columns.values() if h not in headers]
        for header in missing:
            self.problems.append(
                Problem(
                    self.source.name,
                    1,
                    header,
                    "The mapping names this column; the file has none of that name.",
                )
            )
        if "title" not in self.mapping.columns:
            self.problems.append(
                Problem(
                    self.source.name,
                    None,
                    "",
                    "Choose the column that holds the names (Name / title).",
                )
            )
        if self.problems:
            return []
        month_first = {
            name: values.month_first_shown(self.source.column(header))
            for name, header in self.mapping.columns.items()
            if name in DATE_FIELDS
        }
        items = []
        for number, cells in self.source.rows:
            read = {}
            for name, header in self.mapping.columns.items():
                read[name] = self.value(number, name, cells[headers[header]], month_first)
            if not values.blank(read.get("title")):
                items.append(Item(number, read))
            elif any(v is not None for v in read.values()):
                self.refuse(number, "title", "Empty: every row needs its name.")
        return items

    def value(self, number: int, name: str, raw: object, month_first: dict) -> object:
        if values.blank(raw):
            return None
        try:
            if name in DATE_FIELDS:
                return values.a_date(raw, day_first=not month_first.get(name))
            if name in ("start_value", "target", "current"):
                return values.number(raw)
            if name == "weight":
                return values.number(raw)
            if name == "progress":
                header = self.mapping.header("progress")
                fractions = all(
                    abs(values.number(v)) <= 1
                    for v in self.source.column(header)
                    if not values.blank(v) and values.readable(values.number, v)
                )
                return values.percent(raw, fractions=fractions)
            if name == "confidence":
                found = values.number(raw)
                return round(found / 10) if 10 < found <= 100 or "%" in str(raw) else round(found)
        except values.NotRead as refusal:
            self.said(number, name, f"The value {refusal}.")
            self.unread.add(number)
            return None
        text = str(raw).strip()
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        return text

    # Objective or key result ------------------------------------------------------------
    def kinds(self, items: list[Item]) -> list[Item]:
        by_id, by_title = {}, defaultdict(list)
        for item in items:
            if item.fields.get("id") is not None:
                by_id.setdefault(normalised(item.fields["id"]), item)
            by_title[normalised(item.fields["title"])].append(item)
        terms = {normalised(word): kind for word, kind in self.mapping.terms.items()}
        for item in items:
            word = item.fields.get("type")
            if word is not None:
                item.kind = terms.get(normalised(word)) or TERM_OF.get(normalised(word), "")
            named = item.fields.get("parent")
            if named is None:
                continue
            found = by_id.get(normalised(named)) or None
            if found is None:
                same = by_title.get(normalised(named), [])
                if len(same) > 1:
                    rows = ", ".join(str(other.number) for other in same)
                    self.refuse(
                        item.number,
                        "parent",
                        f"{named!r} names several rows (rows {rows}): give the rows IDs "
                        "and name the parent by its ID.",
                    )
                    continue
                found = same[0] if same else None
            if found is item:
                self.refuse(item.number, "parent", "The row names itself as its parent.")
            elif found is None:
                item.parent_title = str(named)
            else:
                item.parent = found
        unknown_words = defaultdict(list)
        for item in items:
            if item.fields.get("type") is not None and not item.kind:
                unknown_words[str(item.fields["type"])].append(item.number)
            self.kind_of(item, set())
        for word, rows in unknown_words.items():
            self.decisions.append(
                f"Type {word!r} is not a word the mapping knows: its {len(rows)} rows are "
                "read by their place in the tree (under an objective and with a target: a "
                "key result; else an objective). Name it in the mapping's words to decide."
            )
        return [item for item in items if item.kind in (OBJECTIVE, KEY_RESULT)]

    def kind_of(self, item: Item, visiting: set[int]) -> str:
        """The row's kind, its parents' first; a loop (or a chain deeper than any tree
        of goals) stops here, and the layout's own check names it."""
        if item.resolved or id(item) in visiting or len(visiting) > DEEPEST:
            return item.kind or OBJECTIVE
        visiting.add(id(item))
        parent_kind = self.kind_of(item.parent, visiting) if item.parent else ""
        item.resolved = True
        if not item.kind:
            if item.parent_title:
                item.kind = KEY_RESULT if item.has_metrics() else OBJECTIVE
            elif parent_kind == OBJECTIVE and item.has_metrics():
                item.kind = KEY_RESULT
            else:
                item.kind = OBJECTIVE
        problem = self.misplaced(item, parent_kind)
        if problem:
            self.refuse(item.number, "parent", problem)
        if item.kind == LEFT_OUT:
            self.mapped.left_out.append(item.number)
        return item.kind

    def misplaced(self, item: Item, parent_kind: str) -> str:
        parent = item.parent
        if item.kind == KEY_RESULT and parent is None and not item.parent_title:
            return "A key result needs its objective: this row names none."
        if item.kind == KEY_RESULT and parent_kind in (KEY_RESULT, LEFT_OUT):
            return (
                f"Names row {parent.number}, a {parent_kind}: a key result belongs to an objective."
            )
        if item.kind == OBJECTIVE and item.parent_title:
            return f"No row of the file is named {item.parent_title!r}."
        if item.kind == OBJECTIVE and parent_kind in (KEY_RESULT, LEFT_OUT):
            return f"Names row {parent.number}, a {parent_kind}: an objective serves an objective."
        return ""

    # Keys -------------------------------------------------------------------------------
    def key(self, *parts: object) -> str:
        text = "/".join(normalised(part) or "-" for part in parts)
        if len(text) > 150:
            text = text[:120] + "-" + hashlib.sha1(text.encode()).hexdigest()[:12]
        return f"{self.mapping.key_prefix}:{text}"

    def item_key(self, item: Item, cycle_key: str) -> str:
        if item.fields.get("id") is not None:
            return self.key(item.fields["id"])
        return self.key(cycle_key, item.fields["title"])

    # Cycles -----------------------------------------------------------------------------
    def cycle_key(self, item: Item) -> str:
        """The key of the objective's cycle: a stored one by name or dates, else a new one
        (made once, its dates spanning its rows); "" with a problem said."""
        fields = item.fields
        name, start = fields.get("cycle"), fields.get("start_date")
        end = fields.get("end_date") or fields.get("due_date")
        stored = self.stored_cycles
        if name is not None:
            found = stored.get(str(name).lower())
            if found is not None:
                return self.stored_key("cycles", found)
            return self.new_cycle(item, str(name), start, end)
        if start is not None and end is not None:
            covering = [c for c in stored.values() if c.start <= start and end <= c.end]
            if covering:
                return self.stored_key("cycles", min(covering, key=lambda c: c.end - c.start))
            return self.new_cycle(item, dates_name(start, end), start, end)
        if end is not None:
            covering = [c for c in stored.values() if c.start <= end <= c.end]
            if covering:
                return self.stored_key("cycles", min(covering, key=lambda c: c.end - c.start))
            self.refuse(
                item.number,
                "due_date" if fields.get("due_date") else "end_date",
                f"No cycle holds {end}: map the start date too, or a cycle column.",
            )
            return ""
        default = stored.get(self.mapping.cycle.lower()) if self.mapping.cycle else None
        if default is None:
            self.refuse(
                item.number,
                "cycle",
                "The row names no cycle and no dates: choose the cycle of such rows.",
            )
            return ""
        return self.stored_key("cycles", default)

    def new_cycle(self, item: Item, name: str, start, end) -> str:
        key = self.key("cycle", name)
        cycle = self.cycles_made.setdefault(
            key, {"name": name, "start": None, "end": None, "number": item.number}
        )
        named = named_dates(name)
        start, end = start or (named and named[0]), end or (named and named[1])
        if start:
            cycle["start"] = min(start, cycle["start"] or start)
        if end:
            cycle["end"] = max(end, cycle["end"] or end)
        return key

    def cycle_rows(self) -> None:
        for key, cycle in self.cycles_made.items():
            if cycle["start"] is None or cycle["end"] is None:
                self.refuse(
                    cycle["number"],
                    "cycle",
                    f"The cycle {cycle['name']!r} is new here and the file gives no dates "
                    "for it: map its start and end dates, or rename it as a cycle of Lodestar's.",
                )
                continue
            self.rows["cycles"].append(
                (cycle["number"], {"key": key, **{k: cycle[k] for k in ("name", "start", "end")}})
            )
            self.cycle_dates[key] = (cycle["start"], cycle["end"])
            overlaps = [
                c.name
                for c in self.stored_cycles.values()
                if c.start <= cycle["end"] and cycle["start"] <= c.end
            ]
            sentence = f"Cycle {cycle['name']} ({cycle['start']} to {cycle['end']}) is new"
            if overlaps:
                sentence += f"; it overlaps {', '.join(sorted(overlaps))}"
            self.mapped.new_cycles.append(sentence + ".")

    def stored_key(self, sheet: str, obj) -> str:
        """The key of a stored record: its own, or the one an export would give it (made
        only while the file is previewed or imported: `exchange.incoming`)."""
        if (sheet, obj.pk) not in self.keys_read:
            self.keys_read[sheet, obj.pk] = self.stored_keys.key(sheet, obj)
        key = self.keys_read[sheet, obj.pk]
        if sheet == "cycles":
            self.cycle_dates[key] = (obj.start, obj.end)
        return key

    # Units and people -------------------------------------------------------------------
    def unit_key(self, item: Item) -> str | None:
        name = item.fields.get("unit")
        if name is None:
            return None
        found = self.stored_units.get(str(name).lower())
        if found is not None:
            return self.stored_key("units", found)
        key = self.key("unit", name)
        if key not in self.units_made:
            self.units_made[key] = (item.number, {"key": key, "name": str(name)})
        return key

    def person(self, item: Item) -> str | None:
        """A login or e-mail the layout takes, or None (listed to be named)."""
        name = item.fields.get("owner")
        if name is None:
            return None
        name = self.mapping.people.get(str(name), str(name))
        lowered = name.lower()
        if lowered in self.logins:
            return name
        by_name = self.full_names.get(lowered, [])
        if len(by_name) == 1:
            return by_name[0]
        if values.EMAIL.match(name):
            self.people_made.setdefault(lowered, (item.number, name))
            return name
        self.mapped.unmatched.setdefault(name, []).append(item.number)
        return None

    def read_people(self, items: list[Item]) -> None:
        names = {
            str(self.mapping.people.get(str(i.fields["owner"]), i.fields["owner"])).lower()
            for i in items
            if i.fields.get("owner") is not None
        }
        found = Person.objects.annotate(login=Lower("username"), mail=Lower("email"))
        self.logins |= set(found.filter(login__in=names).values_list("login", flat=True))
        self.logins |= set(found.filter(mail__in=names).values_list("mail", flat=True))
        if names - self.logins:
            for person in Person.objects.filter(is_active=True).only(
                "username", "first_name", "last_name"
            ):
                full = person.get_full_name().strip().lower()
                if full in names:
                    self.full_names.setdefault(full, []).append(person.username)

    def people_rows(self) -> None:
        used = {login.lower() for login in Person.objects.values_list("username", flat=True)}
        for number, email in self.people_made.values():
            login = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower()) or "person"
            while login in used:
                login += "1"
            used.add(login)
            self.rows["people"].append((number, {"login": login, "email": email}))
            self.mapped.new_people.append(email)

    # The layout's rows ------------------------------------------------------------------
    def objective_rows(self, items: list[Item]) -> None:
        """The file's objectives, and those a flat sheet's key results name."""
        made: dict[str, Item] = {}
        for item in items:
            if item.kind == KEY_RESULT and item.parent_title:
                blanks = dict.fromkeys(("id", "weight", "description"))
                named = Item(item.number, {**item.fields, **blanks, "title": item.parent_title})
                named.kind = OBJECTIVE
                cycle = self.cycle_key(named)
                key = self.key(cycle, item.parent_title)
                item.parent = made.setdefault(key, named)
                item.parent.key, item.parent.cycle_key = key, cycle
        objectives = [item for item in items if item.kind == OBJECTIVE]
        for item in objectives:
            item.cycle_key = self.cycle_key(item)
            item.key = self.item_key(item, item.cycle_key)
        for item in [*made.values(), *objectives]:
            owner, unit = self.person(item), self.unit_key(item)
            if owner is None and unit is None:
                self.refuse(
                    item.number,
                    "owner",
                    "The objective has neither an owner Lodestar knows nor a unit: map its "
                    "team, or name its owner.",
                )
                continue
            self.rows["objectives"].append(
                (
                    item.number,
                    {
                        "key": item.key,
                        "cycle": item.cycle_key,
                        "title": item.fields["title"],
                        "description": item.fields.get("description"),
                        "unit": unit,
                        "owner": owner,
                        "parent": item.parent.key if item.parent else None,
                        "weight": item.fields.get("weight"),
                    },
                )
            )
        self.file_objectives = [*made.values(), *objectives]

    def key_result_rows(self, items: list[Item]) -> None:
        for item in items:
            if item.kind != KEY_RESULT or item.parent is None or not item.parent.key:
                continue
            fields = item.fields
            baseline, target = fields.get("start_value"), fields.get("target")
            unit_label, current = fields.get("unit_label"), fields.get("current")
            if target is None and fields.get("progress") is not None:
                baseline, target, unit_label = 0.0, 100.0, unit_label or "%"
                current = fields["progress"] if current is None else current
            elif target is None:
                self.refuse(
                    item.number, "target", "A key result needs a target: this row has none."
                )
                continue
            elif current is None and fields.get("progress") is not None:
                current = (baseline or 0.0) + fields["progress"] / 100 * (
                    target - (baseline or 0.0)
                )
            item.key = (
                self.key(item.fields["id"])
                if fields.get("id") is not None
                else self.key(item.parent.key, fields["title"])
            )
            self.rows["key_results"].append(
                (
                    item.number,
                    {
                        "key": item.key,
                        "objective": item.parent.key,
                        "title": fields["title"],
                        "owner": self.person(item),
                        "baseline": baseline,
                        "target": target,
                        "unit_label": unit_label,
                        "weight": fields.get("weight"),
                    },
                )
            )
            if current is not None:
                self.checkin_row(item, current, baseline or 0.0)

    def checkin_row(self, item: Item, value: float, baseline: float) -> None:
        start, end = self.cycle_dates.get(item.parent.cycle_key, (None, None))
        at = item.fields.get("checkin_date")
        if at is None:
            if value == baseline or self.stored_current.get(item.key) == value:
                return  # nothing moved, or moved here already
            if start is not None and self.today < start:
                self.not_started.append(item.number)
                return
            at = timezone.now().replace(second=0, microsecond=0)
            if end is not None and end < self.today:
                at = datetime.combine(end, datetime.min.time()).replace(hour=12)
        self.rows["checkins"].append(
            (
                item.number,
                {
                    "key_result": item.key,
                    "at": at,
                    "value": value,
                    "confidence": self.confidence(item),
                    "note": f"Imported from {self.source.name}.",
                },
            )
        )

    def confidence(self, item: Item) -> int:
        given = item.fields.get("confidence")
        if given is None:
            given = STATUS_CONFIDENCE.get(normalised(item.fields.get("status")), DEFAULT_CONFIDENCE)
        return max(0, min(10, int(given)))

    # What the dry run says ---------------------------------------------------------------
    def say(self) -> None:
        mapped = self.mapped
        if mapped.left_out:
            rows = ", ".join(map(str, mapped.left_out[:10])) + (
                " …" if len(mapped.left_out) > 10 else ""
            )
            self.decisions.append(
                f"{len(mapped.left_out)} rows are left out (projects, tasks and the like; "
                f"rows {rows}): a mapping imports objectives and key results."
            )
        if self.not_started:
            self.decisions.append(
                f"{len(self.not_started)} current values are not checked in: their cycle "
                "has not started."
            )
        if mapped.new_people:
            self.decisions.append(
                f"New people ({len(mapped.new_people)}): {', '.join(mapped.new_people[:20])}."
            )
        if mapped.unmatched:
            names = ", ".join(
                f"{name} (row {rows[0]})" for name, rows in list(mapped.unmatched.items())[:20]
            )
            self.decisions.append(
                f"People it could not match ({len(mapped.unmatched)}), to name by hand: "
                f"{names}; their key results are the importing person's until then."
            )
        self.decisions += mapped.new_cycles
        served = self.served()
        mapped.without_strategy = sum(1 for item in self.file_objectives if not served(item))
        if mapped.without_strategy:
            self.decisions.append(
                f"{mapped.without_strategy} objectives have no strategic objective: link "
                "them after import (on the Alignment page)."
            )

    def served(self):
        """Whether an objective of the file, or one above it, serves a strategic objective
        already (a second import of a file whose objectives were linked since)."""
        keys = [item.key for item in self.file_objectives]
        ids = dict(
            ImportKey.objects.filter(model="okrs.objective", key__in=keys).values_list(
                "key", "object_id"
            )
        )
        seen = self.visible(Objective).filter(pk__in=ids.values(), contributes_to__isnull=False)
        linked = set(seen.values_list("pk", flat=True))

        def serves(item: Item | None, depth: int = 0) -> bool:
            if item is None or depth > 50:
                return False
            return ids.get(item.key) in linked or serves(item.parent, depth + 1)

        return serves

    # The whole ----------------------------------------------------------------------------
    def run(self) -> Mapped:
        self.stored_cycles = {c.name.lower(): c for c in Cycle.objects.all()}
        self.stored_units = {}
        for unit in Unit.objects.order_by("-pk"):
            self.stored_units[unit.name.lower()] = unit
        self.cycle_dates, self.cycles_made, self.units_made, self.people_made = {}, {}, {}, {}
        self.logins, self.full_names, self.not_started, self.file_objectives = set(), {}, [], []
        items = self.kinds(self.items())
        self.read_people(items)
        self.objective_rows(items)
        self.cycle_rows()
        guessed = [self.item_key_guess(item) for item in items if item.kind == KEY_RESULT]
        self.stored_current = self.currents(guessed)
        self.key_result_rows(items)
        self.rows["units"] = list(self.units_made.values())
        self.people_rows()
        self.say()
        if self.problems:
            self.rows.clear()
        incoming = Incoming(
            rows_book(self.rows, self.problems),
            shape=SHAPE,
            decisions=self.decisions,
            origins=dict.fromkeys(self.rows, self.source.name),
            columns=self.columns_named(),
            stored_keys=self.stored_keys,
        )
        self.mapped.incoming = incoming
        return self.mapped

    def item_key_guess(self, item: Item) -> str:
        if item.fields.get("id") is not None:
            return self.key(item.fields["id"])
        return self.key(item.parent.key, item.fields["title"]) if item.parent else ""

    def currents(self, keys: list[str]) -> dict[str, float]:
        ids = dict(
            ImportKey.objects.filter(model="okrs.keyresult", key__in=keys).values_list(
                "object_id", "key"
            )
        )
        return {
            ids[pk]: current
            for pk, current in self.visible(KeyResult)
            .filter(pk__in=ids)
            .values_list("pk", "current")
        }

    def visible(self, model):
        return (
            model.objects.all() if self.acting is None else reader_for(self.acting).visible(model)
        )

    def columns_named(self) -> dict[tuple[str, str], str]:
        return {
            place: self.mapping.columns[field_name]
            for place, field_name in FIELD_OF_COLUMN.items()
            if field_name in self.mapping.columns
        }


def convert(source: Source, mapping: Mapping, *, acting: Actor) -> Mapped:
    """The file's rows in Lodestar's layout, by the mapping."""
    if source.problems:
        return Mapped(Incoming(rows_book({}, source.problems), shape=SHAPE))
    return Conversion(source, mapping, acting).run()
