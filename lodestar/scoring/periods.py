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
