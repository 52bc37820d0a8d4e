"""The history of one object, read from the audit log: newest first, in plain words.

`entries_of` is the one query of an object's log entries (the API pages it);
`history_of` turns a page of them into rows a person reads (field names by their verbose
name, choices by their label, related objects by name); `last_change` says who changed
an object last, for the message of a refused stale edit.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from auditlog.models import LogEntry
from django.db import models

ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
}
EMPTY = "—"
PAGE_ROWS = 20


def entries_of(obj: models.Model) -> models.QuerySet[LogEntry]:
    """Joined by the content type's natural key, so the count of queries never depends
    on whether the content-type cache is warm."""
    meta = obj._meta
    return (
        LogEntry.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id=obj.pk,
            action__in=list(ACTIONS),
        )
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )


def changes_of(entry: LogEntry) -> dict[str, list[Any]]:
    """{field: [before, after]} as stored; a many-to-many change reads as the objects
    before and after the change: added ones come after, removed ones before."""
    found = {}
    for name, change in (entry.changes or {}).items():
        if isinstance(change, dict) and change.get("type") == "m2m":
            objects = change.get("objects", [])
            found[name] = [[], objects] if change.get("operation") == "add" else [objects, []]
        else:
            found[name] = list(change)
    return found


def actor_name(entry: LogEntry) -> str:
    return str(entry.actor) if entry.actor else "the system"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    # A many-to-many change: "added …" / "removed …" reads better than before → after.
    added: str = ""
    removed: str = ""


@dataclass(frozen=True)
class Change:
    at: datetime
    who: str
    action: str
    fields: list[FieldChange]


@dataclass(frozen=True)
class History:
    changes: list[Change]
    more: bool


def history_of(obj: models.Model, *, limit: int = PAGE_ROWS, offset: int = 0) -> History:
    """One query for the entries with their actors, then one per kind of related object
    named in them (at most the model's number of related models)."""
    entries = list(entries_of(obj)[offset : offset + limit + 1])
    shown = entries[:limit]
    model = type(obj)
    names = related_names(model, shown)
    return History(
        changes=[
            Change(
                at=entry.timestamp,
                who=actor_name(entry),
                action=ACTIONS[entry.action],
                fields=field_changes(model, entry, names),
            )
            for entry in shown
        ],
        more=len(entries) > limit,
    )


def field_of(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except models.FieldDoesNotExist:  # a field since removed: shown by its stored name
        return None


def related_names(model: type[models.Model], entries: list[LogEntry]) -> dict[tuple, str]:
    """{(related model, id): name} for every foreign key value in the entries."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        for name, pair in changes_of(entry).items():
            field = field_of(model, name)
            if field is not None and field.many_to_one:
                wanted[field.related_model].update(v for v in pair if v not in (None, ""))
    names = {}
    for related, ids in wanted.items():
        # select_related(): names such as a scorecard's ("Unit · name") read a parent.
        for item in related._base_manager.select_related().filter(pk__in=ids):
            names[(related, str(item.pk))] = str(item)
    return names


def field_changes(
    model: type[models.Model], entry: LogEntry, names: dict[tuple, str]
) -> list[FieldChange]:
    rows = []
    for name, (before, after) in changes_of(entry).items():
        field = field_of(model, name)
        if entry.action == LogEntry.Action.CREATE and after in (None, "", [], False):
            continue  # a new object's empty fields say nothing
        label = str(field.verbose_name if field is not None else name).capitalize()
        if isinstance(before, list):
            rows.append(
                FieldChange(label, EMPTY, EMPTY, added=", ".join(after), removed=", ".join(before))
            )
            continue
        rows.append(
            FieldChange(label, in_words(field, before, names), in_words(field, after, names))
        )
    return rows


def in_words(field: models.Field | None, value: Any, names: dict[tuple, str]) -> str:
    if value is None or value == "":
        return EMPTY
    if field is None:
        return str(value)
    if field.many_to_one:
        return names.get((field.related_model, str(value)), f"#{value} (deleted)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def last_change(obj: models.Model) -> LogEntry | None:
    return entries_of(obj).first()
