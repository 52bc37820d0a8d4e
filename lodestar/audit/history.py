"""The history of one object, read from the audit log: newest first, in plain words.

`entries_of` is the one query of an object's log entries (the API pages it);
`history_of` turns a page of them into rows a person reads (field names by their verbose
name, choices by their label, related objects by name); `last_change` says who changed
an object last, for the message of a refused stale edit; `keep_related_names` stores
the related objects' names with each entry when it is written; `creation_logged` is the
one-row entry of a hot write (a check-in), which also carries the change it made to
another object (its key result's current value) for that object's history.
"""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import get_format

from lodestar.scoring.numbers import figure

ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
}
EMPTY = "—"
HIDDEN = "(hidden)"
NAMES = "names"  # where an entry keeps the names of the related objects it mentions
MOVED = "moved"  # where a creation keeps the change it made to the object it points at
PAGE_ROWS = 20

# {model: (the model whose creations move it, the field pointing at it)}: a key result's
# current value is moved by its check-ins, whose one entry each carries that change
# (registered by lodestar.audit.registration).
MOVED_BY: dict[type[models.Model], tuple[type[models.Model], str]] = {}


def of_kind(model: type[models.Model], prefix: str = "") -> Q:
    meta = model._meta
    return Q(
        **{f"{prefix}content_type__app_label": meta.app_label},
        **{f"{prefix}content_type__model": meta.model_name},
    )


def entries_of(obj: models.Model) -> models.QuerySet[LogEntry]:
    """Joined by the content type's natural key, so the count of queries never depends
    on whether the content-type cache is warm. An object moved by others' creations (a
    key result by its check-ins) also has those entries, read as the change they made
    (`as_move`)."""
    own = of_kind(type(obj)) & Q(object_id=obj.pk)
    entries = LogEntry.objects.filter(action__in=list(ACTIONS))
    if type(obj) in MOVED_BY:
        mover, field = MOVED_BY[type(obj)]
        movers = mover._base_manager.filter(**{field: obj.pk}).values("pk")
        moves = of_kind(mover) & Q(object_id__in=movers, additional_data__has_key=MOVED)
        entries = entries.filter(own | moves).annotate(
            as_move=Case(
                When(own, then=Value(False)), default=Value(True), output_field=BooleanField()
            )
        )
    else:
        entries = entries.filter(own)
    return entries.select_related("actor").order_by("-timestamp", "-pk")


def action_of(entry: LogEntry) -> str:
    """An entry read for the object another's creation moved is a change to it."""
    return "update" if getattr(entry, "as_move", False) else ACTIONS[entry.action]


def changes_of(entry: LogEntry) -> dict[str, list[Any]]:
    """{field: [before, after]} as stored; a many-to-many change reads as the objects
    before and after the change: added ones come after, removed ones before."""
    if getattr(entry, "as_move", False):
        return {name: list(change) for name, change in entry.additional_data[MOVED].items()}
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


def history_of(
    obj: models.Model,
    *,
    limit: int = PAGE_ROWS,
    offset: int = 0,
    visible: dict[type[models.Model], models.QuerySet] | None = None,
) -> History:
    """One query for the entries with their actors; related objects read by the names
    they had when the change was made (kept with the entry). `visible` narrows the
    related objects of a model to the rows the reader may see (private objectives): any
    other reads "(hidden)". That costs one more query per such model, whatever the rows."""
    entries = list(entries_of(obj)[offset : offset + limit + 1])
    shown = entries[:limit]
    model = type(obj)
    hidden = hidden_ids(model, shown, visible or {})
    return History(
        changes=[
            Change(
                at=entry.timestamp,
                who=actor_name(entry),
                action=action_of(entry),
                fields=field_changes(model, entry, hidden),
            )
            for entry in shown
        ],
        more=len(entries) > limit,
    )


def field_of(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed: shown by its stored name
        return None


def hidden_ids(
    model: type[models.Model],
    entries: list[LogEntry],
    visible: dict[type[models.Model], models.QuerySet],
) -> set[tuple[type[models.Model], str]]:
    """(related model, id) of the related objects the reader may not see."""
    hidden = set()
    for field in model._meta.concrete_fields:
        if not field.many_to_one or field.related_model not in visible:
            continue
        ids = {
            str(value)
            for entry in entries
            for value in changes_of(entry).get(field.name, [])
            if value not in (None, "")
        }
        # `or ["0"]`: the query runs whatever the rows, so a page's count stays fixed.
        seen = visible[field.related_model].filter(pk__in=sorted(ids) or ["0"])
        shown = {str(pk) for pk in seen.values_list("pk", flat=True)}
        hidden |= {(field.related_model, i) for i in ids - shown}
    return hidden


def field_changes(model: type[models.Model], entry: LogEntry, hidden: set) -> list[FieldChange]:
    rows = []
    names = (entry.additional_data or {}).get(NAMES, {})
    for name, (before, after) in changes_of(entry).items():
        field = field_of(model, name)
        if action_of(entry) == "create" and after in (None, "", [], False):
            continue  # a new object's empty fields say nothing
        label = str(field.verbose_name if field is not None else name).capitalize()
        if isinstance(before, list):
            rows.append(
                FieldChange(label, EMPTY, EMPTY, added=", ".join(after), removed=", ".join(before))
            )
            continue
        named = names.get(name, [None, None])
        rows.append(
            FieldChange(
                label,
                in_words(field, before, named[0], hidden),
                in_words(field, after, named[1], hidden),
            )
        )
    return rows


def in_words(field: models.Field | None, value: Any, name: str | None, hidden: set) -> str:
    if value is None or value == "":
        return EMPTY
    if field is None:
        return str(value)
    if field.many_to_one:
        if (field.related_model, str(value)) in hidden:
            return HIDDEN
        return name or f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(field, models.FloatField | models.DecimalField):
        return number_in_words(value)
    if isinstance(field, models.DateTimeField | models.DateField):
        return moment_in_words(field, value)
    return str(value)


def number_in_words(value: Any) -> str:
    """Through the one figure formatter: 0.54, not 0.5409999999999999 as the log stored it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return figure(number) if math.isfinite(number) else str(value)


def moment_in_words(field: models.Field, value: Any) -> str:
    """In the pages' one date style ("7 Dec 2026 15:10" in the installation's time zone); the
    log stores a moment in UTC without its zone."""
    moment = value if isinstance(value, date) else parse_datetime(str(value))
    if moment is None:
        moment = parse_date(str(value))
    if moment is None:
        return str(value)
    if not isinstance(field, models.DateTimeField) or not isinstance(moment, datetime):
        return date_format(moment, get_format("DATE_FORMAT"))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return date_format(timezone.localtime(moment), get_format("DATETIME_FORMAT"))


def last_change(obj: models.Model) -> LogEntry | None:
    return entries_of(obj).first()


def keep_related_names(sender, instance, instance_old, action, log_entry, **kwargs) -> None:
    """auditlog's post_log receiver: keep the names of the related objects a new or
    changed object points at, so that its history reads names without a query per kind
    of related object (and keeps the name a since-renamed object had then). The new
    object's relations are mostly in memory already; an old one costs a query."""
    if log_entry is None or action not in (LogEntry.Action.CREATE, LogEntry.Action.UPDATE):
        return
    old = instance_old if action == LogEntry.Action.UPDATE else None
    names = related_names(instance, old, log_entry.changes)
    if names:
        log_entry.additional_data = {**(log_entry.additional_data or {}), NAMES: names}
        LogEntry.objects.filter(pk=log_entry.pk).update(additional_data=log_entry.additional_data)


def related_names(instance: models.Model, old: models.Model | None, changes) -> dict:
    """{field: [name before, name after]} of the related objects the changes mention."""
    names = {}
    for name in changes or {}:
        field = field_of(type(instance), name)
        if field is not None and field.many_to_one:
            names[name] = [name_of(old, field), name_of(instance, field)]
    return names


def creation_logged(
    instance: models.Model, *, moved: tuple[models.Model, models.Model, list[str]] | None = None
) -> LogEntry:
    """The creation's entry in one INSERT, the related names inside (the object's
    relations are in memory). `moved`: (the object it points at as it was, as it is now,
    the fields written), the change kept in the same entry and shown in that object's
    history (`MOVED_BY`) instead of an entry of its own, with the old row re-read. Call it
    with auditlog disabled for both saves (auditlog.context.disable_auditlog)."""
    typed = settings.AUDITLOG_STORE_JSON_CHANGES
    changes = model_instance_diff(None, instance, use_json_for_changes=typed)
    data = {}
    names = related_names(instance, None, changes)
    if names:
        data[NAMES] = names
    if moved is not None:
        before, after, fields = moved
        change = model_instance_diff(
            before, after, fields_to_check=fields, use_json_for_changes=typed
        )
        if change:
            data[MOVED] = change
    return LogEntry.objects.log_create(
        instance, action=LogEntry.Action.CREATE, changes=changes, additional_data=data or None
    )


def name_of(obj: models.Model | None, field: models.ForeignKey) -> str | None:
    if obj is None or getattr(obj, field.attname) is None:
        return None
    try:
        return str(getattr(obj, field.name))
    except ObjectDoesNotExist:
        return None
