"""The one word for where an OKR objective or key result stands (no Django): every page,
PDF, API answer, digest and export words its state from `OUTCOME_WORDS`, and an open
cycle's word is decided by one rule, `open_pace`.

An outcome is told only once it is true: "succeeded" and "missed" exist for a closed
cycle, or for an objective already graded; a cycle still in planning has its objectives
planned. While a cycle runs, the word follows the forecast (the score the check-ins'
trend line reaches at the cycle's end), so that it never contradicts it:

    stale        no check-in for too long: its figures, the forecast too, are not trusted;
    not started  no check-in yet (nothing to forecast; new work is not failed work);
    on track     the forecast reaches the success bar: 0.7 for an aspirational objective,
                 1.0 for a committed one, the green band's limit for a key result;
    at risk      the forecast is red (below the OKR bands' red limit, 0.4);
    behind       in between.

Without a forecast (fewer than three check-ins, a milestone's row, an objective with a
key result lacking one) the pace against the plan line decides (`scoring.okrs.pace`), and
an objective reads its worst key result's word. *Worked example: on 16 Nov, half-way
through Q4, an aspirational objective at 0.31 whose trend reaches 0.83 by 31 Dec is "on
track" (not "at risk", as its 0.31 against 0.50 expected alone would say); with a trend
reaching 0.52 it is "behind"; once Q4 has closed at 0.31, or graded 0.31, "missed".*

Sentences that judge OKR work ("the OKRs score well") take their words from the OKR
colour bands too (`OKR_JUDGEMENT`), so that 0.54, yellow, is never "scoring well".
"""

from enum import StrEnum

from lodestar.scoring.bands import tidy
from lodestar.scoring.numbers import finite
from lodestar.scoring.okrs import OkrBands, Pace, okr_colour


class Outcome(StrEnum):
    PLANNED = "planned"
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    AT_RISK = "at_risk"
    STALE = "stale"
    NO_KEY_RESULTS = "no_key_results"
    SUCCEEDED = "succeeded"
    MISSED = "missed"
    NOT_SCORED = "not_scored"


# Every state's word, and the colour of its badge (grey: no verdict yet).
OUTCOME_WORDS: dict[Outcome, tuple[str, str]] = {
    Outcome.PLANNED: ("planned", "grey"),
    Outcome.NOT_STARTED: ("not started", "grey"),
    Outcome.ON_TRACK: ("on track", "green"),
    Outcome.BEHIND: ("behind", "yellow"),
    Outcome.AT_RISK: ("at risk", "red"),
    Outcome.STALE: ("stale", "red"),
    Outcome.NO_KEY_RESULTS: ("no key results", "grey"),
    Outcome.SUCCEEDED: ("succeeded", "green"),
    Outcome.MISSED: ("missed", "red"),
    Outcome.NOT_SCORED: ("not scored", "grey"),
}

# The outcomes that are a verdict, told only for a closed cycle or a graded objective.
VERDICTS = frozenset({Outcome.SUCCEEDED, Outcome.MISSED, Outcome.NOT_SCORED})
# The outcomes of an open cycle that are a pace, worded as the pace is.
PACES = frozenset(Outcome(pace.value) for pace in Pace)


def objective_outcome(
    *, cycle_state: str, graded: bool, succeeded: bool | None, pace: Pace | str | None
) -> Outcome:
    """Where an objective stands. `succeeded`: success on its grade (or its score once
    the cycle is closed), None with neither; `pace`: its word while the cycle runs
    (`open_pace`), None with no key result."""
    if cycle_state == "planning":
        return Outcome.PLANNED
    if cycle_state == "closed" or graded:
        if succeeded is None:
            return Outcome.NOT_SCORED
        return Outcome.SUCCEEDED if succeeded else Outcome.MISSED
    if pace is None:
        return Outcome.NO_KEY_RESULTS
    return Outcome(Pace(pace).value)


# Paces told by the check-ins alone, whatever the forecast: a stale one's forecast is not
# trusted, and a key result not started has none.
UNFORECAST = frozenset({Pace.STALE, Pace.NOT_STARTED})


def forecast_pace(forecast: float, *, success_at: float, bands: OkrBands) -> Pace:
    """The word a forecast score earns: on track from `success_at`, at risk when it is
    red, behind in between."""
    value = tidy(finite(forecast, "forecast"))
    if value >= success_at:
        return Pace.ON_TRACK
    return Pace.AT_RISK if okr_colour(value, bands) == "red" else Pace.BEHIND


def open_pace(
    checked: Pace | str | None,
    forecast: float | None,
    *,
    success_at: float,
    bands: OkrBands,
) -> Pace | None:
    """The word of a key result or objective while its cycle runs (the module docstring's
    rule). `checked`: its pace by check-ins and the plan line (for an objective its key
    results' worst word, None without any); `forecast`: its forecast score, None without."""
    if checked is None:
        return None
    checked = Pace(checked)
    if checked in UNFORECAST or forecast is None:
        return checked
    return forecast_pace(forecast, success_at=success_at, bands=bands)


def outcome_word(outcome: Outcome | str) -> str:
    return OUTCOME_WORDS[Outcome(outcome)][0]


def outcome_colour(outcome: Outcome | str) -> str:
    return OUTCOME_WORDS[Outcome(outcome)][1]


# How a sentence judges OKR scores of each OKR colour ("the OKRs score well").
OKR_JUDGEMENT = {"green": "score well", "yellow": "are partly there", "red": "score low"}
