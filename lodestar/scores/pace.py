"""A key result's pace: it depends on today, so it is computed when read, never stored."""

from datetime import date, datetime

from django.utils import timezone

from lodestar import scoring
from lodestar.okrs.models import Cycle, KeyResult
from lodestar.scores.parameters import pace_rules


def started_on(key_result: KeyResult, cycle: Cycle) -> date:
    """The day a key result's work starts: its cycle's start, or the day it was added
    if later (one made before that was kept counts from its cycle's start)."""
    if key_result.created_at is None:
        return cycle.start
    return max(cycle.start, timezone.localdate(key_result.created_at))


def key_result_pace(
    key_result: KeyResult, cycle: Cycle, now: datetime | None = None
) -> scoring.Pace:
    now = now or timezone.now()
    days = (now - key_result.last_checkin_at).days if key_result.last_checkin_at else None
    return scoring.pace(
        progress=key_result.score or 0.0,
        expected=scoring.expected_progress(cycle.start, cycle.end, now.date()),
        latest_confidence=key_result.latest_confidence,
        days_since_checkin=days,
        days_since_start=(timezone.localdate(now) - started_on(key_result, cycle)).days,
        rules=pace_rules(),
    )
