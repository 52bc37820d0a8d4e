"""The Explorer's export: one CSV file or one XLSX sheet, a row per goal, its check-ins
in one cell. Read by the workbook reader (its limits, its refusals), every sheet under
its own name."""

from typing import BinaryIO

from lodestar.exchange.layout import normalised
from lodestar.exchange.reader import Table, read_stream
from lodestar.exchange.viva.export import (
    CHECKIN,
    Checkin,
    Export,
    Goal,
    Unreadable,
    alignments,
    day_of,
    moment,
    names,
    number,
    text,
)

# The columns that tell an Explorer export from any other sheet.
SIGNATURE = {normalised(header) for header in ("Id", "Title", "Object Type", "Aligned To")}


def is_explorer(headers: list[str]) -> bool:
    return {normalised(header) for header in headers} >= SIGNATURE


def explorer_table(stream: BinaryIO, name: str) -> tuple[Table | None, list]:
    book = read_stream(stream, name, any_sheet=True)
    if book.problems:
        return None, book.problems
    return next((t for t in book.tables.values() if is_explorer(t.headers)), None), []


# Goal's field ← the Explorer's column (as normalised).
FIELDS = {
    "id": "id",
    "title": "title",
    "type": "objecttype",
    "owners": "owner",
    "teams": "team",
    "period": "period",
    "start_date": "startdate",
    "end_date": "enddate",
    "description": "description",
    "aligned_to": "alignedto",
    "metric_name": "metricname",
    "unit": "unit",
    "target": "target",
    "target_type": "goaltype",
    "start": "start",
    "progress": "progress%",
    "score": "score",
    "status": "status",
    "last_checkin": "lastcheckin",
    "last_note": "lastcheckinnote",
}
READ = {
    "owners": names,
    "teams": names,
    "start_date": day_of,
    "end_date": day_of,
    "aligned_to": alignments,
    "target": number,
    "start": number,
    "progress": number,
    "score": number,
    "last_checkin": moment,
}
HEADER = {  # what the file calls each field, for its problems
    "id": "Id",
    "owners": "Owner",
    "teams": "Team",
    "start_date": "Start Date",
    "end_date": "End Date",
    "aligned_to": "Aligned To",
    "target": "Target",
    "start": "Start",
    "progress": "Progress %",
    "score": "Score",
    "last_checkin": "Last Check-in",
}


def read_explorer(table: Table, place: str) -> Export:
    export = Export()
    positions = {normalised(header): index for index, header in enumerate(table.headers)}
    checkins_at = positions.get("checkins")
    for number_, cells in table.rows:
        values: dict[str, object] = {}
        for name, column in FIELDS.items():
            index = positions.get(column)
            raw = cells[index] if index is not None and index < len(cells) else None
            try:
                values[name] = READ.get(name, text)(raw)
            except Unreadable as problem:
                export.refuse(place, number_, HEADER.get(name, column), f"{problem}.")
                values[name] = READ.get(name, text)(None)
        if not values["id"]:
            export.refuse(place, number_, "Id", "Empty: every goal has its Id.")
            continue
        goal = Goal(place=place, row=number_, **values)
        if goal.score is not None and goal.score > 1:
            goal.score /= 100  # a score written as a percentage
        export.goals.append(goal)
        if export.too_many(place):
            return export
        if checkins_at is not None and checkins_at < len(cells):
            read_checkins(export, goal, text(cells[checkins_at]), place, number_)
    return export


def read_checkins(export: Export, goal: Goal, written: str, place: str, row: int) -> None:
    for match in CHECKIN.finditer(written):
        try:
            at = moment(match["at"])
        except Unreadable as problem:
            export.refuse(place, row, "Checkins", f"{problem}.")
            continue
        if at is None:
            export.refuse(place, row, "Checkins", "A check-in without its Checkin Date.")
            continue
        export.checkins.append(
            Checkin(
                goal_id=goal.id,
                at=at,
                value=match["value"].strip(),
                place=place,
                row=row,
                user=match["user"].strip(),
                note=match["note"].strip(),
                status=match["status"].strip(),
            )
        )
    if written and not CHECKIN.search(written):
        export.refuse(
            place, row, "Checkins", "Not written as 'Checkin Date: …; User: …; Note: …; …;'."
        )
