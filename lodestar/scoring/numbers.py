"""Number hygiene shared by every rule.

- `finite` turns an input into a float and refuses NaN and infinity: one NaN would
  silently poison every average it reaches, so it is stopped at the door, named.
- `clamp` keeps a value inside a range (scores live in [0, 1]).
- `plain` shows a number in a refusal message the way a person typed it.
- `figure_style` and `figure` write a figure the one way every page, chart and PDF
  does: by its unit ("1,250 users", "42.5%", "7.08 days"), with thousands separators,
  a count as a whole number, the same decimals for all the figures of one measure or key
  result, and "N/A" for no value.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from lodestar.scoring.errors import ScoringError


def finite(value: float, field: str) -> float:
    """Return `value` as a float, or raise ScoringError naming `field` if it is not a
    finite number. Text is refused even when it looks numeric: parsing belongs to forms."""
    # bool is an int subclass; a True baseline is a bug upstream, not the number 1.
    if isinstance(value, (str, bytes, bool)):
        raise ScoringError(field, "must be a number")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError) as error:
        # None, objects, signalling-NaN Decimals and huge ints all end up here.
        raise ScoringError(field, "must be a number") from error
    if not math.isfinite(number):
        raise ScoringError(field, "must be a finite number")
    return number


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    """Return `value` limited to [low, high]."""
    if low > high:
        # A programming mistake, not user input: plain ValueError.
        raise ValueError(f"clamp: low ({low}) is above high ({high})")
    return min(max(value, low), high)


def plain(value: float) -> str:
    """Show a number the way a person typed it, for messages: 60 not 60.0, 99.95 as is."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


# Units that name a measurement rather than things counted, though plural English words.
MEASURED_PLURALS = frozenset(
    {"days", "hours", "hrs", "minutes", "mins", "seconds", "secs", "ms", "weeks", "months"}
    | {"years", "pts", "points", "kms", "kgs", "lbs", "miles", "gbs", "mbs", "tbs", "kwhs"}
)
COUNT_WORDS = frozenset({"count", "#", "number", "no."})
MOST_DECIMALS = 2


def is_count(unit: str) -> bool:
    """A unit that counts things ("users", "reviews", "count") is shown as a whole number:
    7.03 reviews reads as a slip, 7 reviews as a count. A plural word counts things
    unless it names a measurement (days, hours, pts ...)."""
    word = unit.strip().lower()
    if word in COUNT_WORDS:
        return True
    return word.isalpha() and word.endswith("s") and word not in MEASURED_PLURALS


def _decimals_needed(value: float) -> int:
    text = f"{abs(value):.{MOST_DECIMALS}f}".rstrip("0")
    return len(text.split(".")[1])


@dataclass(frozen=True)
class FigureStyle:
    unit: str = ""
    decimals: int | None = None  # None: as few as the figure needs, up to 2

    def show(self, value: float | None) -> str:
        return figure(value, self.unit, self.decimals)

    @property
    def bare(self) -> "FigureStyle":
        """The same decimals without the unit: for the first figure of "95–105 %"."""
        return FigureStyle("", self.decimals)


def figure_style(unit: str, values: Iterable[float | None]) -> FigureStyle:
    """One style for all the figures of a measure or key result (its baseline, target,
    values...): a count with no decimals, anything else with the fewest decimals (up to
    2) that show every one of them, so 7 and 7.08 days are written 7.00 and 7.08."""
    if is_count(unit):
        return FigureStyle(unit, 0)
    shown = [v for v in values if v is not None and math.isfinite(v)]
    return FigureStyle(unit, max((_decimals_needed(v) for v in shown), default=0))


def figure(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    """A figure the way people write it, with its unit: 1,250 users, 42.5%, 0.13; "N/A"
    when there is none. Without `decimals`, a count is whole and anything else takes as
    few decimals as it needs, up to 2."""
    if value is None:
        return "N/A"
    if decimals is None:
        decimals = 0 if is_count(unit) else _decimals_needed(value)
    number = f"{value:,.{decimals}f}"
    if number.lstrip("-").strip("0.,") == "":
        number = number.lstrip("-")  # -0.001 rounds to 0, not "-0"
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"
