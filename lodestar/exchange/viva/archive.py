"""The JSON zip: `Users`, `Teams`, `TimePeriods`, `Tags`, `Comments`, `checkins` and
`objectives`, one JSON list each (in a folder or not). Unpacked through the reader's
budget (a zip bomb, a damaged or truncated zip are refused as a workbook's would be)."""

import json
import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

from lodestar.exchange.layout import normalised
from lodestar.exchange.reader import (
    LIMITS,
    Budget,
    Metered,
    Refused,
    check_size,
    declared_sizes_ok,
)
from lodestar.exchange.viva.export import (
    Alignment,
    Checkin,
    Export,
    Goal,
    Period,
    Team,
    Unreadable,
    User,
    day_of,
    moment,
    names,
    number,
    text,
)

ENTRIES = ("users", "teams", "timeperiods", "tags", "comments", "checkins", "objectives")


def entry_names(names_in_zip: list[str]) -> dict[str, str]:
    """{entry: its name in the zip} for the Viva entries it holds."""
    found = {}
    for name in names_in_zip:
        path = PurePosixPath(name)
        if path.suffix.lower() == ".json" and normalised(path.stem) in ENTRIES:
            found.setdefault(normalised(path.stem), name)
    return found


def field(record: dict, *keys: str) -> object:
    """A record's field by any of its names, ignoring case and spaces."""
    wanted = {normalised(key) for key in keys}
    return next((value for key, value in record.items() if normalised(key) in wanted), None)


def read_archive(stream: BinaryIO, name: str) -> Export:
    export = Export()
    try:
        check_size(stream.seek(0, 2), name)
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            declared_sizes_ok(members)
            entries = entry_names([member.filename for member in members])
            if "objectives" not in entries:
                raise Refused(f"{name} holds no objectives.json: is it a Viva Goals export?")
            budget = Budget(LIMITS.member_bytes, LIMITS.unpacked_bytes)
            lists = {key: entry_list(archive, entries[key], budget) for key in entries}
    except zipfile.BadZipFile as error:
        export.refuse(name, None, "", f"{name} is a damaged or truncated zip ({error}).")
        return export
    except Refused as refusal:
        export.refuse(refusal.sheet or name, refusal.row, "", refusal.message)
        return export
    place = entries["objectives"]
    for number_, record in enumerate(lists["objectives"], start=1):
        goal = goal_of(export, record, place, number_)
        if goal is not None:
            export.goals.append(goal)
        if export.too_many(place):
            return export
    checkin_rows(export, lists.get("checkins", []), entries.get("checkins", ""))
    export.users = [user_of(record) for record in lists.get("users", [])]
    export.teams = [team_of(record) for record in lists.get("teams", [])]
    period_rows(export, lists.get("timeperiods", []), entries.get("timeperiods", ""))
    return export


def entry_list(archive: zipfile.ZipFile, entry: str, budget: Budget) -> list[dict]:
    with Metered(archive.open(entry), budget, entry) as raw:
        data = raw.readall()
    try:
        found = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Refused(f"{entry} is not JSON text ({error}).", entry) from None
    if isinstance(found, dict):  # {"objectives": [...]} as well as [...]
        found = next((value for value in found.values() if isinstance(value, list)), [])
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise Refused(f"{entry} is not a list of records.", entry)
    if len(found) > LIMITS.rows:
        raise Refused(f"{entry} holds more than {LIMITS.rows:,} records.", entry)
    return found


def goal_of(export: Export, record: dict, place: str, row: int) -> Goal | None:
    goal_id = text(field(record, "ID", "Id"))
    if not goal_id:
        export.refuse(place, row, "ID", "Empty: every objective has its ID.")
        return None
    outcome = field(record, "Outcome") or {}
    outcome = outcome if isinstance(outcome, dict) else {}
    try:
        aligned = [
            Alignment(text(field(item, "ID", "Id")), number(field(item, "Weight")))
            for item in field(record, "Alignment") or []
            if isinstance(item, dict)
        ]
        known = {alignment.id for alignment in aligned}
        aligned += [
            Alignment(text(parent))
            for parent in field(record, "Parent IDs", "ParentIds") or []
            if text(parent) not in known
        ]
        score = number(field(record, "Score"))
        return Goal(
            id=goal_id,
            title=text(field(record, "Title")),
            type=text(field(record, "Type", "Object Type")),
            place=place,
            row=row,
            owners=names(field(record, "Owner", "Owners")),
            teams=names(field(record, "Teams", "Team")),
            period=text(field(record, "Time Period", "TimePeriod")),
            description=text(field(record, "Description")),
            aligned_to=aligned,
            metric_name=text(field(outcome, "Metric Name")),
            unit=text(field(outcome, "Metric Unit", "Unit")),
            outcome_type=text(field(outcome, "Outcome Type")),
            target_type=text(field(outcome, "Target Type") or field(record, "Goal Type")),
            start=number(field(outcome, "Start")),
            target=number(field(outcome, "Target")),
            progress=number(field(record, "Progress")),
            score=score / 100 if score is not None and score > 1 else score,
            status=text(field(record, "Status")),
        )
    except (Unreadable, TypeError) as problem:
        export.refuse(place, row, "", f"The objective {goal_id}: {problem}.")
        return None


def checkin_rows(export: Export, records: list[dict], place: str) -> None:
    for row, record in enumerate(records, start=1):
        try:
            at = moment(field(record, "CheckIn Date", "Checkin Date", "Date"))
        except Unreadable as problem:
            export.refuse(place, row, "CheckIn Date", f"{problem}.")
            continue
        if at is None:
            export.refuse(place, row, "CheckIn Date", "Empty: a check-in has its date.")
            continue
        export.checkins.append(
            Checkin(
                goal_id=text(field(record, "OKR ID", "OkrId")),
                at=at,
                value=text(field(record, "Current Value", "Value")),
                place=place,
                row=row,
                user=next(iter(names(field(record, "Check In Owner", "User"))), ""),
                note=text(field(record, "Check In Note", "CheckIn Note", "Note")),
                status=text(field(record, "Status")),
            )
        )


def user_of(record: dict) -> User:
    teams = names(field(record, "Teams") or [])
    return User(
        name=text(field(record, "Name", "Display Name", "Full Name")),
        email=text(field(record, "Email", "Email Address", "Mail")),
        manager=text(field(record, "Manager")),
        teams=teams,
    )


def team_of(record: dict) -> Team:
    return Team(
        id=text(field(record, "ID", "Id")),
        name=text(field(record, "Name", "Title")),
        parent=text(field(record, "Parent ID", "Parent", "ParentId")),
    )


def period_rows(export: Export, records: list[dict], place: str) -> None:
    for row, record in enumerate(records, start=1):
        try:
            export.periods.append(
                Period(
                    text(field(record, "Name", "Title")),
                    day_of(field(record, "Start Date", "StartDate", "Start")),
                    day_of(field(record, "End Date", "EndDate", "End")),
                )
            )
        except Unreadable as problem:
            export.refuse(place, row, "", f"{problem}.")
