"""The front door's history, read: sign-ins and refused attempts, invitations, SSO identities,
role changes, deactivations and what SCIM changed, each with who, when and from where
(address, browser, the SCIM client acting). The entries are the people's own history
(django-auditlog), written by `lodestar.audit.account`, the services and `audit.origin`."""

from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry

from lodestar.audit.account import EVENT, METHOD
from lodestar.audit.history import actor_name, field_changes, of_kind
from lodestar.audit.origin import USER_AGENT, VIA, device_of
from lodestar.org.models import Person

PAGE_ROWS = 50


@dataclass(frozen=True)
class DoorEvent:
    at: datetime
    person_id: int | None
    person: str
    who: str
    what: str
    address: str
    device: str
    via: str


@dataclass(frozen=True)
class DoorHistory:
    events: list[DoorEvent]
    more: bool


def door_history(
    *, person: Person | None = None, sign_ins_only: bool = False, page: int = 1
) -> DoorHistory:
    """Newest first, a page of PAGE_ROWS; one query with the actors."""
    entries = LogEntry.objects.filter(of_kind(Person)).select_related("actor")
    if person is not None:
        entries = entries.filter(object_id=person.pk)
    if sign_ins_only:
        entries = entries.filter(action=LogEntry.Action.ACCESS)
    start = (page - 1) * PAGE_ROWS
    found = list(entries.order_by("-timestamp", "-pk")[start : start + PAGE_ROWS + 1])
    return DoorHistory([event_of(e) for e in found[:PAGE_ROWS]], len(found) > PAGE_ROWS)


def event_of(entry: LogEntry) -> DoorEvent:
    data = entry.additional_data or {}
    return DoorEvent(
        at=entry.timestamp,
        person_id=entry.object_id,
        person=entry.object_repr,
        who=actor_name(entry) if entry.actor_id or entry.action != LogEntry.Action.ACCESS else "",
        what=what_of(entry),
        address=entry.remote_addr or "",
        device=device_of(data[USER_AGENT]) if data.get(USER_AGENT) else "",
        via=data.get(VIA, ""),
    )


def what_of(entry: LogEntry) -> str:
    data = entry.additional_data or {}
    if entry.action == LogEntry.Action.ACCESS:
        method = data.get(METHOD)
        return f"{data.get(EVENT, 'signed in')} ({method})" if method else data.get(EVENT, "")
    if entry.action == LogEntry.Action.CREATE:
        return "added"
    if entry.action == LogEntry.Action.DELETE:
        return "deleted"
    parts = []
    for change in field_changes(Person, entry, set()):
        if change.added or change.removed:
            parts.append(f"{change.label}: added {change.added or '—'}, removed {change.removed}")
        else:
            parts.append(f"{change.label}: {change.before} → {change.after}")
    return "; ".join(parts)
