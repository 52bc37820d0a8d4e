"""The dates a new cycle's name says (Q1 2026, 2026-H2, FY2027), and a new cycle's name
from its dates."""

import re
from datetime import date, timedelta

QUARTER = re.compile(r"^(?:q([1-4])|([1-4])q)[\s\-/]*(?:fy)?(\d{4})$|^(\d{4})[\s\-/]*q([1-4])$")
HALF = re.compile(r"^h([12])[\s\-/]*(\d{4})$|^(\d{4})[\s\-/]*h([12])$")


def named_dates(name: str) -> tuple[date, date] | None:
    """The dates a cycle's name says: Q1 2026, 2026-Q1, H2 2026, 2026."""
    text = name.strip().lower()
    if found := QUARTER.match(text):
        quarter = int(found[1] or found[2] or found[5])
        year = int(found[3] or found[4])
        return quarter_dates(year, quarter)
    if found := HALF.match(text):
        half, year = int(found[1] or found[4]), int(found[2] or found[3])
        return (
            (date(year, 1, 1), date(year, 6, 30))
            if half == 1
            else (date(year, 7, 1), date(year, 12, 31))
        )
    if re.fullmatch(r"(fy\s*)?\d{4}", text):
        year = int(text[-4:])
        return date(year, 1, 1), date(year, 12, 31)
    return None


def quarter_dates(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    following = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, following - timedelta(days=1)


def dates_name(start: date, end: date) -> str:
    """A new cycle's name from its dates: its quarter's when it is one."""
    for quarter in range(1, 5):
        if (start, end) == quarter_dates(start.year, quarter):
            return f"Q{quarter} {start.year}"
    return f"{start} to {end}"
