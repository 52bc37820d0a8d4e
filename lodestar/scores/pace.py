"""A key result's pace: it depends on today, so it is computed when read, never stored."""

from datetime import datetime

from django.utils import timezone

from lodestar import scoring
from lodestar.okrs.models import Cycle, KeyResult
from lodestar.scores.parameters import pace_rules


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
        rules=pace_rules(),
    )
