"""Measure periods: a value belongs to the period that starts on the returned day."""

from datetime import date


def period_start(frequency: str, day: date) -> date:
    if frequency == "monthly":
        return day.replace(day=1)
    if frequency == "quarterly":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if frequency == "yearly":
        return date(day.year, 1, 1)
    raise ValueError(f"unknown frequency {frequency!r}")


MONTHS_IN = {"monthly": 1, "quarterly": 3, "yearly": 12}


def next_period_start(frequency: str, start: date) -> date:
    months = start.year * 12 + start.month - 1 + MONTHS_IN[frequency]
    return date(months // 12, months % 12 + 1, 1)


def period_starts(frequency: str, first: date, last: date) -> list[date]:
    """Every period start from the period containing `first` to the one containing `last`."""
    starts, start = [], period_start(frequency, first)
    while start <= last:
        starts.append(start)
        start = next_period_start(frequency, start)
    return starts


def period_name(frequency: str, start: date) -> str:
    """The period in words: "Oct 2026", "Q4 2026" or "2026"."""
    if frequency == "quarterly":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if frequency == "yearly":
        return str(start.year)
    return f"{start:%b %Y}"
