"""Reading the values of someone else's spreadsheet: numbers written the local way
("1.234,5", "€ 1,200", "45 %"), dates in the usual orders, e-mails; and telling a
column's shape from its values. Each reader raises `NotRead` with what it expected."""

import re
from datetime import date, datetime

from lodestar.exchange.validate import LIMIT

EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
PERCENT = re.compile(r"^\s*-?[\d.,\s]+\s*%\s*$")
NUMBER = re.compile(r"^\s*[-+]?[\d\s.,']*\d[\d\s.,']*\s*$")
CURRENCY = re.compile(r"[€$£¥₹\s\u00a0\u202f]|(?<=\d)[a-zA-Z]{1,3}$|^[a-zA-Z]{3}(?=\s*\d)")
DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "januar", "janvier", "enero"),
            ("feb", "february", "februar", "fevrier", "febrero"),
            ("mar", "march", "marz", "maerz", "mars", "marzo"),
            ("apr", "april", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juni", "juin", "junio"),
            ("jul", "july", "juli", "juillet", "julio"),
            ("aug", "august", "aout", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "oktober", "octobre", "octubre", "okt"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "dezember", "decembre", "diciembre", "dez"),
        ],
        start=1,
    )
    for name in names
}
WORDY_DATE = re.compile(
    r"^(?:(\d{1,2})\.?\s+([a-z]+)\.?,?\s+(\d{4})|([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}))"
)


class NotRead(ValueError):
    pass


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number(value: object) -> float:
    """'1,234.5', '1.234,5', '1 234', '€1,200', '45%' (→ 45), '12.5k' is not read."""
    if isinstance(value, bool | datetime | date):
        raise NotRead(f"is not a number ({value!r})")
    if isinstance(value, int | float):
        found = float(value)
    else:
        text = CURRENCY.sub("", str(value).strip().rstrip("%").strip()).replace("'", "")
        if not NUMBER.match(text):
            raise NotRead(f"is not a number ({value!r})")
        found = float(decimal_point(text.replace(" ", "")))
    if found != found or abs(found) > LIMIT:
        raise NotRead(f"is not a number within ±{LIMIT:g} ({value!r})")
    return found


def decimal_point(text: str) -> str:
    """The text with '.' as its decimal point and no thousands separators: the last of
    ',' and '.' is the decimal point when both appear; a lone ',' is one unless it groups
    thousands ('1,200')."""
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return text.replace(thousands, "").replace(decimal, ".")
    if "," in text:
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
            return text.replace(",", "")
        if text.count(",") > 1:
            raise NotRead(f"is not a number ({text!r})")
        return text.replace(",", ".")
    if text.count(".") > 1:
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
            return text.replace(".", "")
        raise NotRead(f"is not a number ({text!r})")
    return text


def percent(value: object, *, fractions: bool) -> float:
    """A percentage as 0–100: '45%', 45, or 0.45 when the column holds fractions."""
    found = number(value)
    if fractions and not (isinstance(value, str) and "%" in value):
        found *= 100
    return found


def a_date(value: object, *, day_first: bool = True) -> date:
    """ISO (2026-03-31, with a time too), 31/03/2026 or 03/31/2026 (`day_first` says which
    when both could be), 31.03.2026, 31 March 2026, March 31, 2026; a spreadsheet's own
    dates as they are."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        if found := DAY_FIRST.match(text):
            first, second, year = (int(part) for part in found.groups())
            if first > 12 or (day_first and second <= 12):
                return date(year, second, first)
            return date(year, first, second)
        if found := WORDY_DATE.match(text.lower()):
            day, month, year, month2, day2, year2 = found.groups()
            month_name, day_text, year_text = (month, day, year) if day else (month2, day2, year2)
            if month_name.rstrip(".") in MONTHS:
                return date(int(year_text), MONTHS[month_name.rstrip(".")], int(day_text))
    except ValueError:
        pass
    raise NotRead(f"is not a date (such as 2026-03-31 or 31/03/2026): {value!r}")


def month_first_shown(values: list[object]) -> bool:
    """Whether a column's slashed dates show month first: a second part above 12 and no
    first part above 12."""
    firsts, seconds = [], []
    for value in values:
        if isinstance(value, str) and (found := DAY_FIRST.match(value.strip())):
            firsts.append(int(found[1]))
            seconds.append(int(found[2]))
    return bool(seconds) and max(seconds) > 12 and max(firsts) <= 12


# Shapes ---------------------------------------------------------------------------------
EMAILS, DATES, PERCENTS, NUMBERS, CYCLES, TEXTS = (
    "e-mails",
    "dates",
    "percents",
    "numbers",
    "cycle names",
    "texts",
)
CYCLE_NAME = re.compile(
    r"^(q[1-4]|h[12]|[1-4]q|fy|quarter|quartal|trimestre|semester|sprint)?[\s\-/]*"
    r"(\d{2,4})?[\s\-/]*(q[1-4]|h[12])?$",
    re.IGNORECASE,
)


def is_cycle_name(text: str) -> bool:
    text = text.strip()
    found = CYCLE_NAME.match(text)
    return bool(found and found[0] and (found[1] or found[3]) and found[2])


def shape_of(values: list[object]) -> str:
    """The shape most of a column's non-empty values have."""
    present = [value for value in values if not blank(value)]
    if not present:
        return TEXTS
    tests = (
        (EMAILS, lambda v: isinstance(v, str) and bool(EMAIL.match(v.strip()))),
        (PERCENTS, lambda v: isinstance(v, str) and bool(PERCENT.match(v))),
        (DATES, lambda v: readable(a_date, v) and not isinstance(v, int | float)),
        (NUMBERS, lambda v: readable(number, v)),
        (CYCLES, lambda v: isinstance(v, str) and is_cycle_name(v)),
    )
    for shape, test in tests:
        if sum(1 for value in present if test(value)) >= 0.8 * len(present):
            return shape
    return TEXTS


def readable(read, value: object) -> bool:
    try:
        read(value)
    except NotRead:
        return False
    return True
