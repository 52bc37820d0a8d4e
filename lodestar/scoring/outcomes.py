"""The one word for where an OKR objective stands (no Django): every page, PDF, API
answer, digest and export words an objective's state from `OUTCOME_WORDS`.

An outcome is told only once it is true: "succeeded" and "missed" exist for a closed
cycle, or for an objective already graded; an open cycle's objective is on track,
behind, at risk, stale or not started (its pace, told with its forecast); a cycle still
in planning has its objectives planned. *Three weeks before Q4 ends an objective at 0.31
whose key results are behind reads "behind", not "missed"; the same objective once Q4
has closed, or once graded 0.31, reads "missed".*

Sentences that judge OKR work ("the OKRs score well") take their words from the OKR
colour bands too (`OKR_JUDGEMENT`), so that 0.54, yellow, is never "scoring well".
"""

from enum import StrEnum

from lodestar.scoring.okrs import Pace


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
    the cycle is closed), None with neither; `pace`: the worst of its key results'
    paces, None with no key result."""
    if cycle_state == "planning":
        return Outcome.PLANNED
    if cycle_state == "closed" or graded:
        if succeeded is None:
            return Outcome.NOT_SCORED
        return Outcome.SUCCEEDED if succeeded else Outcome.MISSED
    if pace is None:
        return Outcome.NO_KEY_RESULTS
    return Outcome(Pace(pace).value)


def outcome_word(outcome: Outcome | str) -> str:
    return OUTCOME_WORDS[Outcome(outcome)][0]


def outcome_colour(outcome: Outcome | str) -> str:
    return OUTCOME_WORDS[Outcome(outcome)][1]


# How a sentence judges OKR scores of each OKR colour ("the OKRs score well").
OKR_JUDGEMENT = {"green": "score well", "yellow": "are partly there", "red": "score low"}
