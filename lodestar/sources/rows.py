"""Checking a source's rows one by one before anything is written.

A row is refused, with its reason, when its period is no date, its value no finite
number (text, NaN, infinity, empty), its period lies outside the scorecard's period, or
its period appears in more than one row (which row is right cannot be known, so all of
them are refused). The rows left are the accepted ones, one per period.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from lodestar.scoring.periods import period_start
from lodestar.strategy.models import Measure


class Refused(Exception):
    pass


@dataclass
class Checked:
    accepted: dict[date, float] = field(default_factory=dict)
    row_of: dict[date, int] = field(default_factory=dict)  # an accepted period's row number
    refusals: list[dict] = field(default_factory=list)

    def refuse(self, row: int, period: date | None, value: float | None, reason: str) -> None:
        """A refused row, named by its number and the rule; its period and value only as
        far as they were read as a date and a number, never the source's raw text (which
        may be anything the server sent, shown to every reader of the log)."""
        self.refusals.append(
            {
                "row": row,
                "period": period.isoformat() if period is not None else "",
                "value": str(value) if value is not None else "",
                "reason": reason,
            }
        )


def parse_period(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        for candidate in (text, text[:10], f"{text}-01"):
            try:
                return date.fromisoformat(candidate)
            except ValueError:
                continue
    raise Refused("the period is not a date (YYYY-MM-DD or YYYY-MM)")


def parse_value(raw: Any) -> float:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise Refused("no value")
    if isinstance(raw, bool):
        raise Refused("the value is not a number")
    if isinstance(raw, int | float | Decimal):
        number = float(raw)
    else:
        try:
            number = float(str(raw).strip())
        except ValueError:
            raise Refused("the value is not a number") from None
    if not math.isfinite(number):
        raise Refused("the value is not a finite number")
    if abs(number) > 1e12:
        raise Refused("the value is out of range")
    return number


def check_rows(rows: list[tuple[Any, Any]], measure: Measure) -> Checked:
    scorecard = measure.objective.scorecard
    first = period_start(measure.frequency, scorecard.period_start)
    checked, parsed = Checked(), []
    for number, (period_raw, value_raw) in enumerate(rows, start=1):
        start = value = None
        try:
            start = period_start(measure.frequency, parse_period(period_raw))
            value = parse_value(value_raw)
            if not first <= start <= scorecard.period_end:
                raise Refused(f"{start:%Y-%m} is outside the scorecard's period")
        except Refused as reason:
            checked.refuse(number, start, value, str(reason))
            continue
        parsed.append((number, start, value))
    times = Counter(start for _, start, _ in parsed)
    for number, start, value in parsed:
        if times[start] > 1:
            reason = f"the period {start:%Y-%m} appears in {times[start]} rows"
            checked.refuse(number, start, value, reason)
        else:
            checked.accepted[start] = value
            checked.row_of[start] = number
    checked.refusals.sort(key=lambda refusal: refusal["row"])
    return checked
