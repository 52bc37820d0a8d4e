"""The spreadsheet layout: one sheet per table, its columns and what each holds.

This one declaration drives the import (which columns, which types, which rows refer to
which; which model field each column fills, how a row is found again and which services
write it: `Writes`), the export (the same sheets and columns, in this order, read from
the same fields), the template workbook (a header and an example row per sheet) and
`docs/import.md` (rendered by `docs_text`).

Sheets come in the order they import: a row refers only to rows of its own sheet (a
parent) or of sheets above it. Headers match ignoring case, spaces and underscores.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from lodestar.okrs import services as okrs
from lodestar.okrs.models import KeyResult, Objective
from lodestar.org import services as org
from lodestar.org.models import Membership, Person, Unit
from lodestar.scoring.periods import period_start
from lodestar.strategy import services as strategy
from lodestar.strategy.models import Initiative, Measure


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, number, integer, date, moment, yes/no, choice, key, keys, person
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    sheet: str = ""  # for key and keys: the sheet whose key this names
    example: object = ""
    # The model field the column holds (the services' keyword): its name unless said;
    # "" for a column the importer reads itself (the row's key, a cycle's state…).
    attribute: str | None = None
    default: object = None  # what an empty cell stands for, where not "" or nothing

    @property
    def field(self) -> str:
        return self.name if self.attribute is None else self.attribute

    @property
    def empty(self) -> object:
        if self.default is not None:
            return self.default
        return {"text": "", "yes/no": False}.get(self.kind)


@dataclass(frozen=True)
class Writes:
    """How the import writes a row through the services. A row is found by its stored
    key, or by `find_by` (lookups of its natural identity on the model, never changed);
    a new one goes to `create`, a changed one to `update` with the object as `target`
    (without `update`, `create` records the row again over the stored one)."""

    create: Callable[..., object]
    update: Callable[..., object] | None = None
    target: str = ""
    find_by: tuple[str, ...] = ()
    # The organisation: only an admin imports it (stricter than the pages).
    admin_only: bool = False
    # The fields as the services take them, from the fields as the row gives them.
    prepare: Callable[[dict], dict] | None = None
    # The fields as they apply to the stored object (None for a new row).
    placed: Callable[[object | None, dict], dict] | None = None


@dataclass(frozen=True)
class Sheet:
    name: str
    model: str  # the model label of the rows, for stored keys
    help: str
    columns: tuple[Column, ...]
    # Columns that identify a row: ("key",) for a stable key of the spreadsheet's own,
    # or the natural pair of a row that is only a connection (a membership, a link).
    identity: tuple[str, ...] = ("key",)
    # A column naming a row of the same sheet (a parent): rows import parents first.
    tree: str = ""
    group: str = ""  # which part of the docs: organisation, scorecard or okrs
    # Rows the template workbook adds after the one made of the columns' examples.
    more_examples: tuple[dict, ...] = ()
    writes: Writes | None = None  # None: the import writes the sheet its own way

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    @property
    def keyed(self) -> bool:
        return self.identity == ("key",)


def choice(name: str, values, help: str, default: str, **options) -> Column:
    return Column(
        name,
        "choice",
        f"{help} One of: {', '.join(values)}; empty means {default}.",
        choices=tuple(values),
        example=default,
        default=default,
        **options,
    )


def key(help: str, example: str) -> Column:
    return Column("key", "text", help, required=True, example=example, attribute="")


def in_the_company(unit: Unit | None, fields: dict) -> dict:
    """An installation is one company: a unit row without a parent is directly under it
    (so a second import of the same rows changes nothing), except the company's own row;
    only into an empty installation does such a row come in as the company."""
    if fields["parent"] is not None or (unit is not None and unit.parent_id is None):
        return fields
    company = Unit.objects.filter(parent__isnull=True).first()
    return fields if company is None else {**fields, "parent": company}


def with_scorecard(fields: dict) -> dict:
    """A strategic objective is in its perspective's scorecard."""
    return {**fields, "scorecard": fields["perspective"].scorecard}


def draft_when_new(scorecard, fields: dict) -> dict:
    """A row makes a new scorecard a draft, never a stored one a draft or published:
    publishing is a decision (its Publish button), and a workbook without the column, an
    older export or a starter applied again, must not publish a draft by its empty cells."""
    return fields if scorecard is None else {k: v for k, v in fields.items() if k != "draft"}


def in_cents(fields: dict) -> dict:
    """Money as stored (to the cent), so that an unchanged amount compares equal."""
    cents = Decimal("0.01")
    return {
        **fields,
        **{name: Decimal(str(fields[name])).quantize(cents) for name in ("budget", "spent")},
    }


def period_started(fields: dict) -> dict:
    """A measure's value is for the period containing the day given: stored at its start."""
    return {**fields, "period": period_start(fields["measure"].frequency, fields["period"])}


PERSON_HELP = "A person's login or e-mail (from the people sheet or already here)."

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "units",
        "org.unit",
        "The organisation's tree: the company, its divisions, departments and teams.",
        (
            key("Your stable name for the unit; a second import with it updates the unit.", "acme"),
            Column("name", "text", "The unit's name.", required=True, example="Acme"),
            choice(
                "kind",
                Unit.Kind.values,
                "What sort of unit.",
                "team",
            ),
            Column(
                "parent",
                "key",
                "The key of the unit above; empty: directly under the company (the first "
                "unit of an empty installation is the company).",
                sheet="units",
            ),
        ),
        tree="parent",
        group="organisation",
        writes=Writes(
            org.unit_create, org.unit_update, "unit", admin_only=True, placed=in_the_company
        ),
    ),
    Sheet(
        "people",
        "org.person",
        "People, keyed by their login. New people get no password: they are given one by an "
        "admin (or sign in another way the installation offers).",
        (
            Column(
                "login",
                "text",
                "The login (user name); it keys the person.",
                required=True,
                example="ada",
                attribute="username",
            ),
            Column(
                "email",
                "text",
                "E-mail address; other sheets may name people by it.",
                example="ada@example.com",
            ),
            Column("first_name", "text", "First name.", example="Ada"),
            Column("last_name", "text", "Last name.", example="Lovelace"),
            choice("role", Person.Role.values, "What the person may do everywhere.", "member"),
            Column("manager", "person", f"Whom the person reports to. {PERSON_HELP}"),
        ),
        identity=("login",),
        tree="manager",
        group="organisation",
        writes=Writes(
            org.person_create,
            org.person_update,
            "person",
            find_by=("username__iexact",),
            admin_only=True,
        ),
    ),
    Sheet(
        "memberships",
        "org.membership",
        "Who is in which unit, with which role (one lead per unit).",
        (
            Column("unit", "key", "The unit's key.", required=True, sheet="units", example="acme"),
            Column("person", "person", PERSON_HELP, required=True, example="ada"),
            choice("role", Membership.Role.values, "The role in the unit.", "member"),
        ),
        identity=("unit", "person"),
        group="organisation",
        writes=Writes(org.membership_set, find_by=("unit", "person"), admin_only=True),
    ),
    Sheet(
        "scorecards",
        "strategy.scorecard",
        "A unit's Balanced Scorecard for a period.",
        (
            key("Your stable name for the scorecard.", "fy2026"),
            Column("unit", "key", "The unit's key.", required=True, sheet="units", example="acme"),
            Column("name", "text", "The scorecard's name.", required=True, example="FY2026"),
            Column(
                "period_start",
                "date",
                "First day of its period.",
                required=True,
                example="2026-01-01",
            ),
            Column(
                "period_end", "date", "Last day of its period.", required=True, example="2026-12-31"
            ),
            Column(
                "draft",
                "yes/no",
                "A draft: seen only by whom made it (the importer), the strategy office and "
                "the admins until someone publishes it; empty means published. Read when the "
                "import creates the scorecard: a stored one keeps its state (its Publish "
                "button publishes it).",
                example="no",
            ),
        ),
        group="scorecard",
        writes=Writes(
            partial(strategy.scorecard_create, perspectives=()),
            strategy.scorecard_update,
            "scorecard",
            placed=draft_when_new,
        ),
    ),
    Sheet(
        "perspectives",
        "strategy.perspective",
        "The bands of a scorecard; position 0 is the bottom band of the strategy map.",
        (
            key("Your stable name for the perspective.", "fy2026-customer"),
            Column(
                "scorecard",
                "key",
                "The scorecard's key.",
                required=True,
                sheet="scorecards",
                example="fy2026",
            ),
            Column("name", "text", "The perspective's name.", required=True, example="Customer"),
            Column(
                "position",
                "integer",
                "Its place from the bottom (0, 1, …).",
                required=True,
                example=0,
            ),
            Column(
                "weight",
                "number",
                "Relative weight in the scorecard; empty means 1.",
                example=1,
                default=1.0,
            ),
        ),
        group="scorecard",
        writes=Writes(strategy.perspective_create, strategy.perspective_update, "perspective"),
    ),
    Sheet(
        "themes",
        "strategy.theme",
        "Strategic themes across a scorecard's perspectives.",
        (
            key("Your stable name for the theme.", "fy2026-growth"),
            Column(
                "scorecard",
                "key",
                "The scorecard's key.",
                required=True,
                sheet="scorecards",
                example="fy2026",
            ),
            Column("name", "text", "The theme's name.", required=True, example="Growth"),
            Column("description", "text", "What the theme is about."),
        ),
        group="scorecard",
        writes=Writes(strategy.theme_create, strategy.theme_update, "theme"),
    ),
    Sheet(
        "strategic_objectives",
        "strategy.strategicobjective",
        "The objectives of a scorecard, in a perspective, cascading from a parent unit's.",
        (
            key("Your stable name for the objective.", "c1"),
            Column(
                "perspective",
                "key",
                "The perspective's key (it names the scorecard).",
                required=True,
                sheet="perspectives",
                example="fy2026-customer",
            ),
            Column("code", "text", "A short code shown on the map.", example="C1"),
            Column("name", "text", "The objective.", required=True, example="Delight customers"),
            Column("description", "text", "What it means."),
            Column("owner", "person", PERSON_HELP, example="ada"),
            Column(
                "weight",
                "number",
                "Relative weight in its perspective; empty means 1.",
                example=1,
                default=1.0,
            ),
            Column(
                "parent",
                "key",
                "The objective of a parent unit's scorecard it cascades from.",
                sheet="strategic_objectives",
            ),
            Column(
                "themes",
                "keys",
                "Theme keys, separated by commas.",
                sheet="themes",
                example="fy2026-growth",
            ),
        ),
        tree="parent",
        group="scorecard",
        writes=Writes(
            strategy.strategic_objective_create,
            strategy.strategic_objective_update,
            "objective",
            prepare=with_scorecard,
        ),
        more_examples=(
            {
                "key": "c0",
                "perspective": "fy2026-customer",
                "code": "C0",
                "name": "Answer within a day",
                "weight": 1,
            },
        ),
    ),
    Sheet(
        "links",
        "strategy.causeeffectlink",
        "The strategy map's cause-effect arrows between objectives of one scorecard.",
        (
            Column(
                "cause",
                "key",
                "The key of the objective that drives.",
                required=True,
                sheet="strategic_objectives",
                example="c0",
            ),
            Column(
                "effect",
                "key",
                "The key of the objective it drives.",
                required=True,
                sheet="strategic_objectives",
                example="c1",
            ),
            Column("hypothesis", "text", "Why improving the cause should improve the effect."),
        ),
        identity=("cause", "effect"),
        group="scorecard",
        writes=Writes(
            strategy.link_create, strategy.link_update, "link", find_by=("cause", "effect")
        ),
    ),
    Sheet(
        "measures",
        "strategy.measure",
        "How an objective's performance is measured.",
        (
            key("Your stable name for the measure.", "nps"),
            Column(
                "objective",
                "key",
                "The strategic objective's key.",
                required=True,
                sheet="strategic_objectives",
                example="c1",
            ),
            Column("name", "text", "The measure.", required=True, example="Net promoter score"),
            Column("unit_of_measure", "text", "Its unit: %, €, days…", example="points"),
            choice("direction", Measure.Direction.values, "Which way is better.", "higher"),
            Column("baseline", "number", "Where it starts.", required=True, example=20),
            Column(
                "target",
                "number",
                "Where it should be (for a range: the lower bound).",
                required=True,
                example=50,
            ),
            Column("upper", "number", "For a range: the upper bound."),
            Column("warning", "number", "Yellow from this value; empty means 70 % of the way."),
            choice("frequency", Measure.Frequency.values, "How often it is measured.", "monthly"),
            Column("leading", "yes/no", "Leading (a driver) rather than lagging.", example="no"),
            Column("owner", "person", PERSON_HELP, example="ada"),
            Column(
                "weight",
                "number",
                "Relative weight in the objective; empty means 1.",
                example=1,
                default=1.0,
            ),
        ),
        group="scorecard",
        writes=Writes(strategy.measure_create, strategy.measure_update, "measure"),
    ),
    Sheet(
        "measure_values",
        "strategy.measurevalue",
        "A measure's actual for a period, with the period's planned target.",
        (
            Column(
                "measure",
                "key",
                "The measure's key.",
                required=True,
                sheet="measures",
                example="nps",
            ),
            Column(
                "period",
                "date",
                "Any day of the period (stored as its first day).",
                required=True,
                example="2026-01-01",
            ),
            Column("actual", "number", "The actual value.", required=True, example=24),
            Column(
                "target",
                "number",
                "Plans the period's target; empty keeps its plan, else the final target.",
                example=25,
            ),
            Column("comment", "text", "A note on the value."),
            Column(
                "period_target",
                "number",
                "The target the value was judged against (its plan, else the final target): "
                "written by the export for its reader; the import ignores it.",
                attribute="",
            ),
        ),
        identity=("measure", "period"),
        group="scorecard",
        writes=Writes(
            strategy.measure_value_record, find_by=("measure", "period"), prepare=period_started
        ),
    ),
    Sheet(
        "initiatives",
        "strategy.initiative",
        "Projects that serve strategic objectives.",
        (
            key("Your stable name for the initiative.", "crm"),
            Column("name", "text", "The initiative.", required=True, example="New CRM"),
            Column(
                "objectives",
                "keys",
                "Keys of the strategic objectives it serves, separated by commas.",
                required=True,
                sheet="strategic_objectives",
                example="c1",
                attribute="strategic_objectives",
            ),
            Column("owner", "person", PERSON_HELP, example="ada"),
            Column("start", "date", "Start date.", example="2026-02-01"),
            Column("end", "date", "End date.", example="2026-09-30"),
            Column("budget", "number", "Budget.", example=50000, default=0),
            Column("spent", "number", "Spent so far.", example=12000, default=0),
            choice("status", Initiative.Status.values, "Where it stands.", "planned"),
            Column("percent_complete", "integer", "Done so far, 0–100.", example=20, default=0),
        ),
        group="scorecard",
        writes=Writes(
            strategy.initiative_create,
            strategy.initiative_update,
            "initiative",
            prepare=in_cents,
        ),
    ),
    Sheet(
        "cycles",
        "okrs.cycle",
        "OKR cycles (quarters, halves…). The state is set after everything else imports.",
        (
            key("Your stable name for the cycle.", "q1-2026"),
            Column("name", "text", "The cycle's name.", required=True, example="Q1 2026"),
            Column("start", "date", "First day.", required=True, example="2026-01-01"),
            Column("end", "date", "Last day.", required=True, example="2026-03-31"),
            choice(
                "state", ("planning", "active", "closed"), "Its state.", "planning", attribute=""
            ),
            Column(
                "reason",
                "text",
                "Why the state comes early, as the cycle's page asks: activating a cycle before "
                "its start, or closing one (the running one too, which an activation closes) "
                "before its end, is refused without it.",
                attribute="",
            ),
        ),
        group="okrs",
        writes=Writes(okrs.cycle_create, okrs.cycle_update, "cycle"),
    ),
    Sheet(
        "objectives",
        "okrs.objective",
        "OKR objectives of a cycle, for a unit or a person.",
        (
            key("Your stable name for the objective.", "o1"),
            Column(
                "cycle", "key", "The cycle's key.", required=True, sheet="cycles", example="q1-2026"
            ),
            Column(
                "title",
                "text",
                "The objective.",
                required=True,
                example="Make onboarding effortless",
            ),
            Column("description", "text", "What it means."),
            Column(
                "unit",
                "key",
                "The unit's key; empty for a personal objective.",
                sheet="units",
                example="acme",
            ),
            Column("owner", "person", PERSON_HELP, example="ada"),
            Column("parent", "key", "The objective it serves (alignment).", sheet="objectives"),
            Column(
                "contributes_to",
                "keys",
                "Keys of the strategic objectives it serves, separated by commas.",
                sheet="strategic_objectives",
                example="c1",
            ),
            choice("kind", Objective.Kind.values, "Aspirational or committed.", "aspirational"),
            choice("visibility", Objective.Visibility.values, "Who sees it.", "public"),
            Column("weight", "number", "Relative weight; empty means 1.", example=1, default=1.0),
        ),
        tree="parent",
        group="okrs",
        writes=Writes(okrs.objective_create, okrs.objective_update, "objective"),
        more_examples=(
            {
                "key": "o2",
                "cycle": "q1-2026",
                "title": "Keep every customer we win",
                "unit": "acme",
                "owner": "ada",
                "parent": "o1",
                "kind": "committed",
                "visibility": "public",
                "weight": 1,
            },
        ),
    ),
    Sheet(
        "key_results",
        "okrs.keyresult",
        "Key results, each in the objective that holds it first (share it below).",
        (
            key("Your stable name for the key result.", "kr1"),
            Column(
                "objective",
                "key",
                "The key of the objective holding it.",
                required=True,
                sheet="objectives",
                example="o1",
                attribute="",
            ),
            Column(
                "title",
                "text",
                "The key result.",
                required=True,
                example="Activation rate from 40 % to 60 %",
            ),
            Column(
                "owner", "person", f"{PERSON_HELP} Empty means the importing person.", example="ada"
            ),
            choice("kind", KeyResult.Kind.values, "How it is scored.", "metric"),
            Column(
                "baseline", "number", "Where it starts; empty means 0.", example=40, default=0.0
            ),
            Column(
                "target",
                "number",
                "Where it should end; differs from the baseline.",
                required=True,
                example=60,
            ),
            Column("unit_label", "text", "Its unit: %, €, days…", example="%"),
            Column(
                "linked_measure", "key", "A measure its check-ins also write.", sheet="measures"
            ),
            Column(
                "weight",
                "number",
                "Its weight in that objective; empty means 1.",
                example=1,
                default=1.0,
                attribute="",  # the holding's, not the key result's
            ),
        ),
        group="okrs",
        writes=Writes(okrs.key_result_create, okrs.key_result_update, "key_result"),
    ),
    Sheet(
        "key_result_shares",
        "okrs.objectivekeyresult",
        "A key result shared with a further objective of the same cycle, with its weight there.",
        (
            Column(
                "objective",
                "key",
                "The further objective's key.",
                required=True,
                sheet="objectives",
                example="o2",
            ),
            Column(
                "key_result",
                "key",
                "The key result's key.",
                required=True,
                sheet="key_results",
                example="kr1",
            ),
            Column("weight", "number", "Its weight there; empty means 1.", example=1, default=1.0),
        ),
        identity=("objective", "key_result"),
        group="okrs",
        writes=Writes(
            okrs.key_result_hold,
            okrs.holding_update,
            "holding",
            find_by=("objective", "key_result"),
        ),
    ),
    Sheet(
        "checkins",
        "okrs.checkin",
        "The check-in history: dated inside the key result's cycle, never ahead of today.",
        (
            Column(
                "key_result",
                "key",
                "The key result's key.",
                required=True,
                sheet="key_results",
                example="kr1",
            ),
            Column(
                "at",
                "moment",
                "When (a date, or date and time; ISO 8601 text keeps the exact moment).",
                required=True,
                example="2026-01-15T09:00:00+00:00",
                attribute="created_at",
            ),
            Column("value", "number", "The value reached.", required=True, example=44),
            Column("confidence", "integer", "Confidence 0–10.", required=True, example=7),
            Column("note", "text", "What happened."),
            Column(
                "author",
                "person",
                f"Who checked in; empty means the importing person. {PERSON_HELP}",
            ),
        ),
        identity=("key_result", "at"),
        group="okrs",
    ),
)

BY_NAME = {sheet.name: sheet for sheet in SHEETS}
GROUP_TITLES = {"organisation": "The organisation", "scorecard": "Scorecards", "okrs": "OKRs"}


def normalised(header: object) -> str:
    """Headers and sheet names match ignoring case, spaces, underscores and dashes."""
    return re.sub(r"[\s_\-]+", "", str(header or "")).lower()


SHEET_BY_NORMALISED = {normalised(sheet.name): sheet for sheet in SHEETS}


def docs_text() -> str:
    """The column reference of docs/import.md, written from this declaration."""
    lines, group = [], None
    for sheet in SHEETS:
        if sheet.group != group:
            group = sheet.group
            lines += [f"### {GROUP_TITLES[group]}", ""]
        identity = " + ".join(f"`{name}`" for name in sheet.identity)
        lines += [f"#### `{sheet.name}`", "", sheet.help, "", f"Identified by {identity}.", ""]
        lines += ["| column | type | required | what it holds |", "|---|---|---|---|"]
        for column in sheet.columns:
            kind = f"key of `{column.sheet}`" if column.kind in ("key", "keys") else column.kind
            kind = f"keys of `{column.sheet}`" if column.kind == "keys" else kind
            required = "yes" if column.required else ""
            lines.append(f"| `{column.name}` | {kind} | {required} | {column.help} |")
        lines.append("")
    return "\n".join(lines)
