"""The one colour and the one pace word of a score, for every page, message and API."""

from lodestar import scoring
from lodestar.scores.parameters import okr_bands


def okr_colour_of(score: float | None) -> str:
    return "grey" if score is None else scoring.okr_colour(score, okr_bands())


def pace_word(pace: scoring.Pace | str | None) -> str:
    return "no key results" if pace is None else scoring.Pace(pace).value.replace("_", " ")
