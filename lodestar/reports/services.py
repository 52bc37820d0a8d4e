"""Writes of the review: the leaders' commentary per perspective, and the snapshot that
keeps a closed quarter's figures."""

from dataclasses import asdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connections

from lodestar.okrs.models import Cycle
from lodestar.org.acting import Actor, service
from lodestar.org.changes import changed
from lodestar.org.permissions import Action, require
from lodestar.reports.figures import executions_regraded
from lodestar.reports.models import ReviewComment, ReviewSnapshot
from lodestar.reports.review import quarter_line, review_figures
from lodestar.strategy.models import Perspective


@service
def review_comment_write(
    *, acting: Actor, cycle: Cycle, perspective: Perspective, text: str
) -> ReviewComment | None:
    """Write (or, with empty text, remove) the commentary on a perspective for a cycle;
    the right of those who run the cycle's review."""
    require(acting, Action.REVIEW, cycle)
    text = (text or "").strip()
    changed(cycle=cycle.pk)  # the cycle's kept review shows the commentary
    if len(text) > 5000:
        raise ValidationError({"text": ["At most 5000 characters."]})
    if not text:
        ReviewComment.objects.filter(cycle=cycle, perspective=perspective).delete()
        return None
    comment, _ = ReviewComment.objects.update_or_create(
        cycle=cycle, perspective=perspective, defaults={"text": text, "author": acting}
    )
    return comment


@service
def review_snapshot_take(*, acting: Actor, cycle: Cycle, closed_on: date | None) -> ReviewSnapshot:
    """Keep a closed cycle's review as it stands: performance as of its end (or of the
    day it closed early), its own execution, the map, the gaps and the statistics. Taken
    when the cycle closes (`closed_on`: that day), or afterwards for a cycle closed
    before reviews were kept (None: as of its end); a cycle keeps its first snapshot."""
    require(acting, Action.REVIEW, cycle)
    if cycle.state != Cycle.State.CLOSED:
        raise ValidationError({"cycle": [f"The cycle {cycle} is not closed: its review is live."]})
    found = ReviewSnapshot.objects.filter(cycle=cycle).first()
    if found is not None:
        return found
    as_of = min(closed_on or cycle.end, cycle.end)
    changed(cycle=cycle.pk)  # the kept review is the snapshot's from now on
    return ReviewSnapshot.objects.create(
        cycle=cycle,
        as_of=as_of,
        closed_on=closed_on,
        figures=review_figures(cycle, as_of, ended=True),
    )


def review_kept_at_close(*, cycle: Cycle, closed_on: date, acting: Actor, **_signal) -> None:
    """`okrs.closing.cycle_closed`: the closing cycle's review is kept as it stands."""
    review_snapshot_take(acting=acting, cycle=cycle, closed_on=closed_on)


def review_grades_kept(*, cycle: Cycle, **_signal) -> None:
    """A closed quarter's grades are its review's own (given after it closes, as the
    commentary is): the figures made of them follow in the snapshots, the quarter's
    execution in its own, and its line across quarters in its own and every later one.
    Part of the grading service's write."""
    for snapshot in ReviewSnapshot.objects.filter(cycle__start__gte=cycle.start):
        figures = snapshot.figures
        if snapshot.cycle_id == cycle.pk:
            figures = executions_regraded(figures, cycle)
        line = asdict(quarter_line(cycle, snapshot.as_of))
        quarters = [line if q["cycle"] == line["cycle"] else q for q in figures["quarters"]]
        snapshot.figures = figures | {"quarters": quarters}
        snapshot.save(update_fields=["figures"])


def reviews_kept_for_closed_cycles(using: str = "default", **_signal) -> None:
    """After `migrate`: snapshots for the cycles closed before reviews were kept, so that
    an existing installation's past quarters read as they stood at their end. Nothing
    while the table is missing (migrated back before it)."""
    if ReviewSnapshot._meta.db_table not in connections[using].introspection.table_names():
        return
    for cycle in Cycle.objects.filter(state=Cycle.State.CLOSED, review_snapshot__isnull=True):
        review_snapshot_take(acting=None, cycle=cycle, closed_on=None)
