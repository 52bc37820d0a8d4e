"""Number hygiene shared by every rule.

- `finite` turns an input into a float and refuses NaN and infinity: one NaN would
  silently poison every average it reaches, so it is stopped at the door, named.
- `clamp` keeps a value inside a range (scores live in [0, 1]).
- `plain` shows a number in a refusal message the way a person typed it.
"""

import math

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
