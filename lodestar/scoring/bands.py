"""Colour bands and the rounding used whenever a score is compared with a limit.

Scores are rounded to 9 decimals before a comparison: 0.5 - 0.6 is
-0.09999999999999998 in binary floating point, yet a person who works the figure by hand
expects exactly -0.10, and a limit set at -0.10 must treat it as -0.10. Nine decimals is
far below anything a person can see and far above floating-point noise.
"""

from lodestar.scoring.errors import ScoringError
from lodestar.scoring.numbers import finite, plain

PRECISION = 9


def tidy(value: float) -> float:
    """`value` rounded for comparison with a limit (see the module docstring)."""
    return round(value, PRECISION)


def check_bands(red_below: float, green_from: float) -> None:
    """Refuse band limits unless 0 <= red_below <= green_from <= 1."""
    red_below = finite(red_below, "red_below")
    green_from = finite(green_from, "green_from")
    if not 0 <= red_below <= 1:
        raise ScoringError("red_below", "must be from 0 to 1")
    if not 0 <= green_from <= 1:
        raise ScoringError("green_from", "must be from 0 to 1")
    if red_below > green_from:
        raise ScoringError(
            "green_from", f"must be at least red_below (red_below is {plain(red_below)})"
        )


# A status colour in words, for measures and rolled-up scores (pages and pictures alike).
STATUS_WORDS = {"green": "on target", "yellow": "warning", "red": "off target", "grey": "N/A"}


def status_word(colour: str) -> str:
    """ "on target" for green, "warning" for yellow, "off target" for red, "N/A" for grey."""
    if colour not in STATUS_WORDS:
        raise ScoringError("status", f"must be one of {', '.join(STATUS_WORDS)}")
    return STATUS_WORDS[colour]


def band_colour(score: float, red_below: float, green_from: float) -> str:
    """Colour of a score: red below `red_below`, green from `green_from`, else yellow."""
    value = tidy(finite(score, "score"))
    if value < red_below:
        return "red"
    if value >= green_from:
        return "green"
    return "yellow"
