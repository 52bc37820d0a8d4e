"""The export: the organisation, scorecards and OKRs in the import's own layout, so that
export → import → export gives the same sheets.

It shows only what the exporting person may see: private objectives they may not see
are left out, with their key results and check-ins. Every exported row carries a key;
an object made by hand gets one here (`<sheet>-<id>`, stored as an `ImportKey`), so the
exported file, imported again, updates the same objects.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from lodestar import scoring
from lodestar.exchange.layout import BY_NAME, SHEETS, Column, Sheet
from lodestar.exchange.models import ImportKey
from lodestar.exchange.reader import FORMULA_START, escaped
from lodestar.okrs.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveKeyResult
from lodestar.okrs.selectors import visible_objectives
from lodestar.org.acting import Actor
from lodestar.org.models import Membership, Person, Unit
from lodestar.org.permissions import reader_for
from lodestar.strategy.models import (
    CauseEffectLink,
    Initiative,
    Measure,
    MeasureValue,
    Perspective,
    Scorecard,
    StrategicObjective,
    Theme,
)

Say = Callable[[str], None]
Rows = dict[str, list[list[object]]]


class Keys:
    """The key of every exported object, by sheet; missing keys are made and stored."""

    def __init__(self):
        self.by_sheet: dict[str, dict[int, str]] = {}

    def load(self, sheet_name: str, objects: Iterable) -> None:
        sheet = BY_NAME[sheet_name]
        ids = [obj.pk for obj in objects]
        stored = dict(
            ImportKey.objects.filter(model=sheet.model, object_id__in=ids).values_list(
                "object_id", "key"
            )
        )
        used = set(ImportKey.objects.filter(model=sheet.model).values_list("key", flat=True))
        missing = []
        for pk in ids:
            if pk not in stored:
                key = f"{sheet_name.replace('_', '-')}-{pk}"
                while key in used:
                    key += "x"
                used.add(key)
                stored[pk] = key
                missing.append(ImportKey(model=sheet.model, key=key, object_id=pk))
        ImportKey.objects.bulk_create(missing, batch_size=2000)
        self.by_sheet.setdefault(sheet_name, {}).update(stored)

    def of(self, sheet_name: str, obj_or_id) -> str | None:
        if obj_or_id is None:
            return None
        pk = obj_or_id if isinstance(obj_or_id, int) else obj_or_id.pk
        return self.by_sheet[sheet_name].get(pk)


def login(person: Person | None) -> str | None:
    return person.username if person is not None else None


def joined(keys: Iterable[str | None]) -> str:
    return ", ".join(sorted(key for key in keys if key))


def moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def cell_of(sheet: Sheet, column: Column, obj, keys: Keys) -> object:
    """The value of an object's column, as the import reads it back."""
    if column.name == "key":
        return keys.of(sheet.name, obj)
    name = column.field or column.name
    if column.kind == "key":
        return keys.of(column.sheet, getattr(obj, f"{name}_id"))
    if column.kind == "keys":
        return joined(keys.of(column.sheet, o) for o in getattr(obj, name).all())
    value = getattr(obj, name)
    if column.kind == "person":
        return login(value)
    if column.kind == "yes/no":
        return "yes" if value else "no"
    if column.kind == "moment":
        return moment(value)
    return float(value) if isinstance(value, Decimal) else value


def sheet_rows(sheet_name: str, objects: Iterable, keys: Keys, **own: Callable) -> list[list]:
    """A sheet's rows of the objects, column by column; `own` names the columns whose
    value the export works out itself (by a function of the object)."""
    sheet = BY_NAME[sheet_name]
    return [
        [
            own[column.name](obj) if column.name in own else cell_of(sheet, column, obj, keys)
            for column in sheet.columns
        ]
        for obj in objects
    ]


def organisation_rows(rows: Rows, keys: Keys) -> None:
    units = list(Unit.objects.order_by("pk"))
    keys.load("units", units)
    rows["units"] = sheet_rows("units", units, keys)
    people = Person.objects.select_related("manager").order_by("username")
    rows["people"] = sheet_rows("people", people, keys)
    memberships = Membership.objects.select_related("person").order_by(
        "unit_id", "person__username"
    )
    rows["memberships"] = sheet_rows("memberships", memberships, keys)


def scorecard_rows(rows: Rows, keys: Keys, scorecards) -> None:
    scorecards = list(scorecards.order_by("pk"))
    keys.load("scorecards", scorecards)
    units = Unit.objects.filter(pk__in=[s.unit_id for s in scorecards])
    keys.load("units", units)
    rows["scorecards"] = sheet_rows("scorecards", scorecards, keys)
    perspectives = list(
        Perspective.objects.filter(scorecard__in=scorecards).order_by(
            "scorecard_id", *Perspective.READING_ORDER
        )
    )
    keys.load("perspectives", perspectives)
    rows["perspectives"] = sheet_rows("perspectives", perspectives, keys)
    themes = list(Theme.objects.filter(scorecard__in=scorecards).order_by("pk"))
    keys.load("themes", themes)
    rows["themes"] = sheet_rows("themes", themes, keys)
    objectives = list(
        StrategicObjective.objects.filter(scorecard__in=scorecards)
        .select_related("owner")
        .prefetch_related("themes")
        .order_by("pk")
    )
    keys.load("strategic_objectives", objectives)
    parents = StrategicObjective.objects.filter(
        pk__in={o.parent_id for o in objectives if o.parent_id}
    )
    keys.load("strategic_objectives", parents)
    rows["strategic_objectives"] = sheet_rows("strategic_objectives", objectives, keys)
    links = CauseEffectLink.objects.filter(cause__scorecard__in=scorecards).order_by("pk")
    rows["links"] = sheet_rows("links", links, keys)
    measures = list(
        Measure.objects.filter(objective__in=objectives).select_related("owner").order_by("pk")
    )
    keys.load("measures", measures)
    rows["measures"] = sheet_rows("measures", measures, keys)
    values = (
        MeasureValue.objects.filter(measure__in=measures)
        .select_related("measure")
        .order_by("measure_id", "period")
    )
    rows["measure_values"] = sheet_rows(
        "measure_values",
        values.iterator(chunk_size=5000),
        keys,
        # docs/scoring.md, "A period's target": what its status was judged against
        period_target=lambda v: scoring.period_target(v.target, v.measure.target),
    )
    initiatives = list(
        Initiative.objects.filter(strategic_objectives__in=objectives)
        .distinct()
        .select_related("owner")
        .prefetch_related("strategic_objectives")
        .order_by("pk")
    )
    keys.load("initiatives", initiatives)
    exported = {o.pk for o in objectives}
    rows["initiatives"] = sheet_rows(
        "initiatives",
        initiatives,
        keys,
        # Only the objectives exported here (a cascade parent's key is known too).
        objectives=lambda i: joined(
            keys.of("strategic_objectives", o)
            for o in i.strategic_objectives.all()
            if o.pk in exported
        ),
    )


def turn_reason(cycle: Cycle) -> str:
    """Why the cycle reached its state early, so that importing it back may do the same."""
    if cycle.state == Cycle.State.CLOSED:
        return cycle.early_close_reason
    return cycle.early_activation_reason if cycle.state == Cycle.State.ACTIVE else ""


def okr_rows(rows: Rows, keys: Keys, acting: Actor) -> None:
    cycles = list(Cycle.objects.order_by("start", "pk"))
    keys.load("cycles", cycles)
    rows["cycles"] = sheet_rows("cycles", cycles, keys, reason=turn_reason)
    seen = Objective.objects.all() if acting is None else visible_objectives(acting)
    objectives = list(
        seen.select_related("owner").prefetch_related("contributes_to").distinct().order_by("pk")
    )
    visible = {o.pk for o in objectives}
    # Only the objectives shown have keys here: a parent the person may not see reads empty.
    keys.load("objectives", objectives)
    strategic = StrategicObjective.objects.filter(okr_objectives__in=objectives).distinct()
    keys.load("strategic_objectives", strategic)
    keys.load("units", Unit.objects.all())
    rows["objectives"] = sheet_rows("objectives", objectives, keys)
    holdings = ObjectiveKeyResult.objects.filter(objective_id__in=visible).order_by(
        "key_result_id", "pk"
    )
    first, shares = {}, []
    all_first = dict(
        ObjectiveKeyResult.objects.order_by("key_result_id", "-pk").values_list(
            "key_result_id", "pk"
        )
    )  # the earliest holding of each key result (later pks overwritten by earlier)
    for holding in holdings:
        if all_first.get(holding.key_result_id) == holding.pk:
            first[holding.key_result_id] = holding
        else:
            shares.append(holding)
    key_results = list(
        KeyResult.objects.filter(pk__in=first).select_related("owner").order_by("pk")
    )
    keys.load("key_results", key_results)
    measures = Measure.objects.filter(
        pk__in={k.linked_measure_id for k in key_results if k.linked_measure_id}
    )
    keys.load("measures", measures)
    rows["key_results"] = sheet_rows(
        "key_results",
        key_results,
        keys,
        objective=lambda k: keys.of("objectives", first[k.pk].objective_id),
        weight=lambda k: first[k.pk].weight,
    )
    rows["key_result_shares"] = sheet_rows(
        "key_result_shares", (h for h in shares if h.key_result_id in first), keys
    )
    checkins = (
        CheckIn.objects.filter(key_result_id__in=first)
        .select_related("author")
        .order_by("key_result_id", "created_at", "pk")
    )
    rows["checkins"] = sheet_rows("checkins", checkins.iterator(chunk_size=5000), keys)


def export_rows(*, acting: Actor, scorecard: Scorecard | None = None) -> Rows:
    """Every sheet's rows (the whole installation), or one scorecard's sheets."""
    rows: Rows = {}
    keys = Keys()
    if scorecard is not None:
        scorecard_rows(rows, keys, Scorecard.objects.filter(pk=scorecard.pk))
        return rows
    organisation_rows(rows, keys)
    # A draft scorecard only for those who see it (its maker, the strategy office).
    seen = Scorecard.objects.all() if acting is None else reader_for(acting).visible(Scorecard)
    scorecard_rows(rows, keys, seen)
    okr_rows(rows, keys, acting)
    return rows


def cell(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return value


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return escaped(value)  # a number (a negative one too) is not a text
    return str(value)


def sheets_of(rows: Rows) -> list[Sheet]:
    return [sheet for sheet in SHEETS if sheet.name in rows]


def xlsx_bytes(rows: Rows, *, say: Say = lambda line: None) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for sheet in sheets_of(rows):
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append([column.name for column in sheet.columns])
        for row in rows[sheet.name]:
            worksheet.append([xlsx_cell(worksheet, cell(value)) for value in row])
        say(f"{sheet.name}: {len(rows[sheet.name])} rows")
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def xlsx_cell(worksheet, value: object) -> object:
    """A text that starts like a formula is written as text, marked so that Excel keeps it
    text when the cell is edited (openpyxl would write a text starting with `=` as a
    formula)."""
    if not (isinstance(value, str) and value.startswith(FORMULA_START)):
        return value
    from openpyxl.cell import WriteOnlyCell

    written = WriteOnlyCell(worksheet, value=value)
    written.data_type = "s"
    written.quotePrefix = True
    return written


def csv_files(rows: Rows) -> dict[str, bytes]:
    files = {}
    for sheet in sheets_of(rows):
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([column.name for column in sheet.columns])
        writer.writerows([text(value) for value in row] for row in rows[sheet.name])
        # With Excel's byte order mark, Excel opens the file as UTF-8.
        files[f"{sheet.name}.csv"] = stream.getvalue().encode("utf-8-sig")
    return files


def csv_zip_bytes(rows: Rows) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_files(rows).items():
            archive.writestr(name, data)
    return stream.getvalue()


def export_write(path: Path | str, *, acting: Actor, say: Say = lambda line: None) -> Rows:
    """`.xlsx` → a workbook; `.zip` → a zip of CSV files; anything else → a folder of CSV."""
    path = Path(path)
    rows = export_rows(acting=acting)
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(xlsx_bytes(rows, say=say))
    elif path.suffix.lower() == ".zip":
        path.write_bytes(csv_zip_bytes(rows))
    else:
        path.mkdir(parents=True, exist_ok=True)
        for name, data in csv_files(rows).items():
            (path / name).write_bytes(data)
    return rows
