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
- within `INSIGHTS_MAX_AGE_SECONDS` of the first change it missed (or of the day's start,
  for a value of an earlier day), the kept value is served with its age
  (`Reader.kept_as_of`), and ONE computation of the new value runs, claimed by an atomic
  conditional UPDATE of the row's lease: on the "insights" queue
  (`INSIGHTS_REFRESH = "background"`) or by the claiming request (`"inline"`, the embedded
  default's SQLite); the others serve the kept value meanwhile;
- with no kept value to serve (a first visit, or one beyond the bound): inline, it is
  computed by the request; in the background, a request never computes it: the one
  computation is queued (claimed as above, by a row that holds only the lease until the
  value comes) and the request raises `FiguresComputing`, which pages answer with a page
  that refreshes itself and the API with 202 (`lodestar.web.computing`, `api.errors`).
  Outside a request (commands, jobs, the digest) it is computed where it is asked.

After a run that changed everything (a recompute, an import, the demo) `warm` queues the
computation of every figure kept that day, so that the first reader finds it: a row keeps
the recipe of its figure (its name, args, scope and a person of its group) for that.

What is kept is pickled: it is written only by this code, from the database's own data.
Every key carries a fingerprint of the code, so a row kept by another release (whose
classes may have other fields) is never read; rows not refreshed for a day are dropped
when a new key is written, and the changes older than that with them.
"""

import functools
import hashlib
import json
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from lodestar.computed import computing, in_request
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
POLL_SECONDS = 0.5  # how often a waiting document asks again (`waited`)
UNREADABLE = (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError)


@dataclass(frozen=True)
class Scope:
    """What a figure depends on besides the reader's group: a unit's subtree (None: the
    whole company), one cycle (None: any), or only the months already over."""

    unit: int | None = None
    cycle: int | None = None
    months: bool = False


COMPANY = Scope()


# What a person's first pages read (`f(person)` asks for their kept figures): registered by
# the surfaces that show them (`first_read`, imported by their app's `ready`), warmed for
# the company's lead and an admin after a run that changed everything (`warm`).
FIRST_READS: list[Callable] = []


def first_read(read: Callable) -> Callable:
    FIRST_READS.append(read)
    return read


class FiguresComputing(Exception):
    """A request asked for a figure with no value to serve while its computation runs in
    the background (`kept`): the page or answer says so instead of waiting for it."""


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
    # One query: the row, and when the first change in its scope that it missed was made.
    row = (
        InsightCache.objects.filter(key=key)
        .annotate(missed_at=Subquery(in_scope(newer_than_row(), scope).values("at")[:1]))
        .values_list("payload", "computed_at", "missed_at")
        .first()
    )
    if row is not None:
        payload, computed_at, missed_at = row
        try:
            value = pickle.loads(payload)
        except UNREADABLE:
            pass  # an unreadable row (or one only claimed) has no value to serve
        else:
            outdated = outdated_since(computed_at, missed_at, now)
            if outdated is None:
                return noted(reader, value, computed_at)
            if now - outdated <= timedelta(seconds=settings.INSIGHTS_MAX_AGE_SECONDS):
                if claimed(key, now):
                    if not background():
                        return compute_and_keep(reader, figure, args, scope)
                    refresh_queue(reader, figure, args, scope)
                return noted(reader, value, computed_at)  # one computation runs meanwhile
    if background() and in_request():
        if claimed(key, now) or lease_taken(key, now):
            refresh_queue(reader, figure, args, scope)
        raise FiguresComputing(figure_name(figure))
    return compute_and_keep(reader, figure, args, scope)


def together(*reads: Callable[[], T]) -> list[T]:
    """Each read's answer; when some have their figures computing, every read is tried
    first (so a page queues all its figures in one visit), then `FiguresComputing`."""
    answers, computing = [], None
    for read in reads:
        try:
            answers.append(read())
        except FiguresComputing as error:
            computing = error
    if computing is not None:
        raise computing
    return answers


def waited(read: Callable[[], T], *, seconds: float) -> T:
    """The read's answer, waiting up to `seconds` for figures computing in the background
    (asking again every half second), then `FiguresComputing` if they are still not there:
    for a document, which cannot refresh itself as a page does."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return read()
        except FiguresComputing:
            if time.monotonic() + POLL_SECONDS > deadline:
                raise
            time.sleep(POLL_SECONDS)


def outdated_since(computed_at: datetime, missed_at: datetime | None, now: datetime):
    """Since when a kept value is out of date (None: it is not): the first change in its
    scope it missed, or the start of the first day after its computation's (its paces and
    staleness speak of that day; and a day's changes are pruned, so an older row could not
    know what it missed)."""
    if not still_today(computed_at, now):
        next_day = timezone.localdate(computed_at) + timedelta(days=1)
        day_start = timezone.make_aware(datetime.combine(next_day, datetime.min.time()))
        return min(day_start, missed_at) if missed_at is not None else day_start
    return missed_at


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
    """The changes the kept row (the outer query) has not seen, oldest first."""
    return Change.objects.filter(pk__gt=OuterRef("through")).order_by("pk")


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


def lease_taken(key: str, now: datetime) -> bool:
    """Claim a figure nothing is kept for yet, by a row that holds only the lease: its empty
    payload is no value, so the others find it claimed and serve nothing meanwhile. False
    when another request wrote the row first."""
    try:
        with transaction.atomic():
            InsightCache.objects.create(
                key=key, through=0, computed_at=now, payload=b"", refreshing_until=now + LEASE
            )
    except IntegrityError:
        return False
    return True


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
        "recipe": recipe(reader, figure, args, scope),
    }
    if not InsightCache.objects.filter(key=key).update(**fields):
        # A new key: the rows no reader refreshed for a day go (their readers may be gone),
        # and the changes no kept row can ask about any more.
        InsightCache.objects.filter(computed_at__lt=computed_at - changes.KEPT_FOR).delete()
        changes.prune()
        # another server may be writing it too: the first one stays
        InsightCache.objects.bulk_create([InsightCache(key=key, **fields)], ignore_conflicts=True)
    return noted(reader, value, computed_at)


def recipe(reader, figure: Callable, args: tuple, scope: Scope) -> dict:
    """What a worker needs to compute the figure again (`tasks.kept_refresh`'s arguments)."""
    return {
        "figure": figure_name(figure),
        "args": list(args),
        "person_id": reader.person.pk if reader.person is not None else None,
        "group": reader.group,
        "scope": [scope.unit, scope.cycle, scope.months],
    }


def refresh_queue(reader, figure: Callable, args: tuple, scope: Scope) -> None:
    from lodestar.insights.tasks import kept_refresh  # the task module imports this one

    kept_refresh.enqueue(**recipe(reader, figure, args, scope))


def warm() -> int:
    """Queue the computation of every figure of this release kept within the day (what
    readers have been reading) that is not being computed already, and of the first
    pages' figures (`FIRST_READS`): called after a run that made everything stale (a
    recompute, an import, the demo), so that the first reader finds them. How many rows.
    Only in the background: inline, the readers compute."""
    from lodestar.insights.tasks import kept_first_reads, kept_refresh

    if not background():
        return 0  # inline, the first reader computes: there is no worker to ask
    now = timezone.now()
    rows = (
        InsightCache.objects.filter(
            key__startswith=f"{code_fingerprint()}:", computed_at__gte=now - changes.KEPT_FOR
        )
        .exclude(recipe={})
        .values_list("key", "recipe")
    )
    queued = 0
    for key, described in rows:
        if claimed(key, now):
            kept_refresh.enqueue(**described)
            queued += 1
    if FIRST_READS:
        kept_first_reads.enqueue()
    return queued


def warm_when_committed() -> None:
    """`warm` once the current transaction (if any) has committed what made it stale."""
    transaction.on_commit(warm)
