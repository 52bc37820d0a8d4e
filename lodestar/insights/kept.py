"""Figures computed from the data and kept in the database (`InsightCache`): the alerts,
the OKR health counts, the alignment report, the score history, a quarter's review. Asked
for through a reader (`Reader.kept`): the key always names the reader's group (the
private objectives they may see), so no caller can forget it and share one reader's
figures with another. In the database, not in a process, so that every app server reads
and refreshes the same rows.

A figure is computed by a function of module level, `figure(person, *args)` (args plain
JSON: ids, ISO dates), so that a worker can compute it again from its name; it depends on
a `Scope`: a unit (its subtree), a cycle, or only the months already over. It is fresh
while no change (`org.Change`) in its scope is newer than its computation. When it is
not:
- within `INSIGHTS_MAX_AGE_SECONDS` of its computation, the kept value is served with its
  age (`Reader.kept_as_of`), and ONE computation of the new value runs, claimed by an
  atomic conditional UPDATE of the row's lease: on the "insights" queue
  (`INSIGHTS_REFRESH = "background"`) or by the claiming request (`"inline"`, the embedded
  default's SQLite); the others serve the kept value meanwhile;
- with no kept value, or an older one, it is computed in the request (a first visit).

What is kept is pickled: it is written only by this code, from the database's own data.
Every key carries a fingerprint of the code, so a row kept by another release (whose
classes may have other fields) is never read; rows not refreshed for a day are dropped
when a new key is written, and the changes older than that with them.
"""

import functools
import hashlib
import json
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lodestar.computed import computing
from lodestar.insights.models import InsightCache
from lodestar.org import changes
from lodestar.org.models import Change
from lodestar.org.selectors import subtree_ids, unit_parents

T = TypeVar("T")

# How long a computation's claim lasts: one that dies lets go after this.
LEASE = timedelta(minutes=5)
# A change is appended as its transaction's last statement, and on PostgreSQL ids are
# handed out as rows are inserted, not as they commit: a missing id among the changes
# appended this recently may be a write still committing (`seen_through`).
IN_FLIGHT = timedelta(seconds=5)
RECENT_CHANGES = 100
# A unit's subtree larger than this is asked about as the company is: any change.
UNITS_NAMED = 500
UNREADABLE = (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError)


@dataclass(frozen=True)
class Scope:
    """What a figure depends on besides the reader's group: a unit's subtree (None: the
    whole company), one cycle (None: any), or only the months already over."""

    unit: int | None = None
    cycle: int | None = None
    months: bool = False


COMPANY = Scope()


@functools.cache
def code_fingerprint() -> str:
    """Of every Python file of the package: what a kept value's form depends on."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def figure_name(figure: Callable) -> str:
    return f"{figure.__module__}.{figure.__qualname__}"


def key_of(group: str, figure: Callable, args: tuple) -> str:
    described = json.dumps(list(args), separators=(",", ":"))
    return f"{code_fingerprint()}:{figure_name(figure)}:{described}:{group}"


def release(key: str) -> None:
    """Let go of a claimed computation that will not keep its value."""
    InsightCache.objects.filter(key=key).update(refreshing_until=None)


def background() -> bool:
    return settings.INSIGHTS_REFRESH == "background"


def kept(reader, figure: Callable[..., T], *args, scope: Scope = COMPANY) -> T:
    """`figure(reader.person, *args)` as kept for the reader's group (see the module)."""
    key = key_of(reader.group, figure, args)
    now = timezone.now()
    # One query: the row, and whether a change in its scope is newer than it.
    row = (
        InsightCache.objects.filter(key=key)
        .annotate(stale=Exists(in_scope(newer_than_row(), scope)))
        .values_list("payload", "computed_at", "stale")
        .first()
    )
    if row is not None:
        payload, computed_at, stale = row
        try:
            value = pickle.loads(payload)
        except UNREADABLE:
            pass  # an unreadable row is only computed again
        else:
            if not stale and still_today(computed_at, now):
                return noted(reader, value, computed_at)
            if now - computed_at <= timedelta(seconds=settings.INSIGHTS_MAX_AGE_SECONDS):
                if claimed(key, now):
                    if not background():
                        return compute_and_keep(reader, figure, args, scope)
                    refresh_queue(reader, figure, args, scope)
                return noted(reader, value, computed_at)  # one computation runs meanwhile
    return compute_and_keep(reader, figure, args, scope)


def noted(reader, value: T, computed_at: datetime) -> T:
    """The value, its age noted on the reader: a page says how old its oldest figure is."""
    if reader.kept_as_of is None or computed_at < reader.kept_as_of:
        reader.kept_as_of = computed_at
    return value


def still_today(computed_at: datetime, now: datetime) -> bool:
    """The figures speak of today (paces, staleness); and the changes of more than a day
    ago are pruned, so an older row could not know what it missed."""
    same_day = timezone.localdate(computed_at) == timezone.localdate(now)
    return same_day and now - computed_at < changes.KEPT_FOR


def newer_than_row():
    """The changes the kept row (the outer query) has not seen."""
    return Change.objects.filter(pk__gt=OuterRef("through"))


def seen_through() -> int:
    """The newest change a computation starting now sees with every change before it: the
    newest, or just below the first missing id among the recent ones (a write that took
    its id and has not committed yet; SQLite, one writer at a time, has none)."""
    recent = list(Change.objects.order_by("-pk").values_list("pk", "at")[:RECENT_CHANGES])
    if not recent:
        return 0
    through = recent[0][0]
    since = timezone.now() - IN_FLIGHT
    for (newer, at), (older, _) in pairwise(recent):
        if at >= since and newer - older > 1:
            through = older  # the missing ones may still commit: stale when they do
    return through


def in_scope(newer, scope: Scope):
    """The changes among `newer` that touch the scope. The row's `units` is the pattern of
    its units' ids (`units_pattern`): "" for the whole company, which every change matches."""
    if scope.months:
        return newer.filter(months=True)  # set by every change that touched everything
    if scope.cycle is not None:
        newer = newer.filter(Q(cycle_id=None) | Q(cycle_id=scope.cycle))
    if scope.unit is not None:
        newer = newer.filter(Q(everything=True) | Q(units__regex=OuterRef("units")))
    return newer


def units_pattern(scope: Scope) -> str:
    """The regular expression a change's units match when it touched the scope's subtree
    (",3,7," touched units 3 and 7); "" when any change does."""
    if scope.unit is None or scope.months:
        return ""
    ids = subtree_ids({scope.unit}, unit_parents())
    if len(ids) > UNITS_NAMED:
        return ""
    return ",(" + "|".join(str(pk) for pk in sorted(ids)) + "),"


def claimed(key: str, now: datetime) -> bool:
    """Whether this caller claimed the row's one computation (an atomic conditional
    UPDATE: of concurrent callers, one changes the row, the others find it claimed)."""
    free = Q(refreshing_until=None) | Q(refreshing_until__lt=now)
    return bool(InsightCache.objects.filter(free, key=key).update(refreshing_until=now + LEASE))


def compute_and_keep(reader, figure: Callable[..., T], args, scope: Scope) -> T:
    # Read before the data: a change meanwhile is newer than what the value was made of.
    key = key_of(reader.group, figure, args)
    through = seen_through()
    computed_at = timezone.now()
    computing(figure.__qualname__)  # X-Lodestar-Computed on the response (lodestar/computed.py)
    try:
        value = figure(reader.person, *args)
    except BaseException:
        release(key)
        raise
    try:
        payload = pickle.dumps(value)
    except (pickle.PicklingError, TypeError, AttributeError):
        release(key)
        return noted(reader, value, computed_at)  # still the right answer, if not kept
    fields = {
        "through": through,
        "computed_at": computed_at,
        "units": units_pattern(scope),
        "payload": payload,
        "refreshing_until": None,
    }
    if not InsightCache.objects.filter(key=key).update(**fields):
        # A new key: the rows no reader refreshed for a day go (their readers may be gone),
        # and the changes no kept row can ask about any more.
        InsightCache.objects.filter(computed_at__lt=computed_at - changes.KEPT_FOR).delete()
        changes.prune()
        # another server may be writing it too: the first one stays
        InsightCache.objects.bulk_create([InsightCache(key=key, **fields)], ignore_conflicts=True)
    return noted(reader, value, computed_at)


def refresh_queue(reader, figure: Callable, args: tuple, scope: Scope) -> None:
    from lodestar.insights.tasks import kept_refresh  # the task module imports this one

    kept_refresh.enqueue(
        figure=figure_name(figure),
        args=list(args),
        person_id=reader.person.pk if reader.person is not None else None,
        group=reader.group,
        scope=[scope.unit, scope.cycle, scope.months],
    )
