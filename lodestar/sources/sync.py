"""Syncing sources: claim a due one, fetch its rows, check them, write the accepted ones,
log the run. A source that fails is logged and rescheduled; it never stops the others.

Workers claim a source with the same conditional UPDATE as the webhook workers
(`lodestar.notify.delivery`): `UPDATE … SET next_sync_at = <lease end> WHERE id = ? AND
next_sync_at = <as read>`. Only one worker's UPDATE matches, so two workers never sync
one source at once, and a worker that dies mid-sync frees the source when its lease ends.

"Sync now" on a page or through the API only asks (`sync_request`): the source is due at
once for the workers, first in line, and its page shows the request until a run that
started after it ends. A web request never waits on a slow query or server.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.utils import timezone

from lodestar.org.acting import Actor
from lodestar.org.permissions import Action, can
from lodestar.sources.fetchers import FetchError, fetch
from lodestar.sources.models import DataSource, SyncRun
from lodestar.sources.rows import check_rows
from lodestar.sources.services import source_rows_write

log = logging.getLogger(__name__)


def lease() -> timedelta:
    return timedelta(seconds=settings.SOURCE_TIMEOUT_SECONDS * 3 + 60)


def claim(source: DataSource, *, only_if_due: bool = False) -> bool:
    """Claim this source for this worker; False when another worker holds it (or, for
    the schedule, when it is no longer due)."""
    now = timezone.now()
    free = DataSource.objects.filter(pk=source.pk).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    if only_if_due:
        free = free.filter(is_due(now))
    if not free.update(claimed_until=now + lease()):
        return False
    source.claimed_until = now + lease()
    return True


def is_due(now) -> Q:
    """Asked for by a person, or active and its interval passed."""
    scheduled = Q(active=True) & (Q(next_sync_at__isnull=True) | Q(next_sync_at__lte=now))
    return Q(sync_requested_at__isnull=False) | scheduled


def due() -> list[DataSource]:
    now = timezone.now()
    return list(
        DataSource.objects.exclude(kind=DataSource.Kind.PUSH)
        .filter(is_due(now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .select_related("measure")
        .order_by(
            F("sync_requested_at").asc(nulls_last=True),
            F("next_sync_at").asc(nulls_first=True),
            "pk",
        )[:20]
    )


def claim_due() -> DataSource | None:
    while batch := due():
        for source in batch:
            if claim(source, only_if_due=True):
                return source
    return None


def sync(source: DataSource, trigger: str = SyncRun.Trigger.SCHEDULE) -> SyncRun:
    """Sync a claimed source once and log the run; the next one is due an interval later."""
    run = SyncRun.objects.create(source=source, trigger=trigger, started_at=timezone.now())
    try:
        rows = fetch(source)  # outside any transaction: a slow source holds no lock
        record(run, source, rows)
    except FetchError as error:
        run.error = str(error)
    except ValidationError as error:
        run.error = " ".join(error.messages)
    except Exception:  # a bug or an outage in one source must not stop the others
        log.exception("data source %s failed", source.pk)
        # Readers of the measure see this: the details (maybe the document's text) go
        # to the operator's log only.
        run.error = "The sync failed unexpectedly; the operator's log has the details."
    return finish(run, source)


def push(source: DataSource, rows: list) -> SyncRun:
    """Rows an integrator pushed, checked and logged like a sync."""
    run = SyncRun.objects.create(
        source=source, trigger=SyncRun.Trigger.PUSH, started_at=timezone.now()
    )
    try:
        record(run, source, rows)
    except ValidationError as error:
        run.error = " ".join(error.messages)
    return finish(run, source, reschedule=False)


def record(run: SyncRun, source: DataSource, rows: list) -> None:
    checked = check_rows(rows, source.measure)
    source_rows_write(acting=None, source=source, checked=checked)
    run.rows_accepted, run.rows_refused = len(checked.accepted), len(checked.refusals)
    run.refusals = checked.refusals


def finish(run: SyncRun, source: DataSource, reschedule: bool = True) -> SyncRun:
    now = timezone.now()
    run.finished_at = now
    run.save()
    source.last_sync_at, source.last_error, source.claimed_until = now, run.error, None
    fields = ["last_sync_at", "last_error", "claimed_until"]
    if reschedule:
        source.next_sync_at = now + timedelta(minutes=source.interval_minutes)
        fields.append("next_sync_at")
    DataSource.objects.filter(pk=source.pk).update(
        **{name: getattr(source, name) for name in fields}
    )
    # A request made while this run was under way stays, and the workers run it next.
    DataSource.objects.filter(pk=source.pk, sync_requested_at__lte=run.started_at).update(
        sync_requested_at=None
    )
    return run


def sync_due() -> list[SyncRun]:
    """Sync every source due now, one after the other; returns their runs."""
    runs = []
    while (source := claim_due()) is not None:
        asked = source.sync_requested_at is not None
        runs.append(sync(source, SyncRun.Trigger.MANUAL if asked else SyncRun.Trigger.SCHEDULE))
    return runs


def sync_request(*, acting: Actor, source: DataSource) -> DataSource:
    """ "Sync now" (page button, API): the workers sync it next; asking twice asks once."""
    if acting is not None and not can(acting, Action.CHANGE, source):
        raise PermissionDenied("Only the strategy office or an admin syncs a data source.")
    if source.kind == DataSource.Kind.PUSH:
        raise ValidationError({"kind": ["A push source is written through the API."]})
    now = timezone.now()
    DataSource.objects.filter(pk=source.pk, sync_requested_at__isnull=True).update(
        sync_requested_at=now
    )
    source.refresh_from_db()
    return source


def push_rows(*, acting: Actor, source: DataSource, rows: list) -> SyncRun:
    if acting is not None and not can(acting, Action.CHANGE, source):
        raise PermissionDenied("Only the strategy office or an admin pushes to a data source.")
    if source.kind != DataSource.Kind.PUSH:
        raise ValidationError({"kind": ["Only a push source takes rows through the API."]})
    return push(source, rows)
