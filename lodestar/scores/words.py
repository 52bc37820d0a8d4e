"""The one colour and the one pace word of a score, for every page, message and API.

Two scales, never mixed: OKR scores - and execution, which is an average of OKR scores -
are coloured by the OKR bands (red < 0.4 <= yellow < 0.7 <= green by default); the
performance of strategic objectives, perspectives and scorecards by the higher roll-up
bands (red < 0.7 <= yellow < 0.9 <= green), worded "off target", "warning", "on target".
"""

from dataclasses import dataclass

from lodestar import scoring
from lodestar.scores.parameters import okr_bands, rollup_bands
from lodestar.scoring.bands import STATUS_WORDS
from lodestar.scoring.outcomes import Outcome, outcome_word


def okr_colour_of(score: float | None) -> str:
    return "grey" if score is None else scoring.okr_colour(score, okr_bands())


def execution_colour_of(execution: float | None) -> str:
    """Execution is an average of OKR scores, so it takes the OKR bands: a strategic
    objective served by two yellow OKRs is yellow, not "off target"."""
    return okr_colour_of(execution)


def performance_colour_of(performance: float | None) -> str:
    return scoring.rollup_colour(performance, rollup_bands())


def key_result_colour_of(score: float | None, pace: scoring.Pace | None) -> str:
    """A key result not started yet is neutral (grey), whatever its score: new work is not
    failed work. Otherwise the OKR colour of its score."""
    return "grey" if pace == scoring.Pace.NOT_STARTED else okr_colour_of(score)


def pace_word(pace: scoring.Pace | str | None) -> str:
    """The word of `scoring.outcomes`' one table ("no key results" for None)."""
    return outcome_word(Outcome.NO_KEY_RESULTS if pace is None else scoring.Pace(pace).value)


@dataclass(frozen=True)
class Scale:
    name: str  # "OKR" or "strategy"
    judges: str  # what it colours, in words
    red_below: float
    green_from: float
    words: dict[str, str]  # colour → the word a chip shows

    def chips(self) -> list[tuple[str, str, str]]:
        """(colour, word, from where) for each colour, red first."""
        low, high = f"{self.red_below:g}", f"{self.green_from:g}"
        return [
            ("red", self.words["red"], f"below {low}"),
            ("yellow", self.words["yellow"], f"from {low}"),
            ("green", self.words["green"], f"from {high}"),
        ]

    @property
    def summary(self) -> str:
        """ "OKR scale: red below 0.4, yellow from 0.4, green from 0.7"."""
        return f"{self.name} scale: " + ", ".join(f"{w} {at}" for _, w, at in self.chips())


def okr_scale() -> Scale:
    bands = okr_bands()
    words = {"red": "red", "yellow": "yellow", "green": "green"}
    return Scale("OKR", "OKR scores and execution", bands.red_below, bands.green_from, words)


def strategy_scale() -> Scale:
    bands = rollup_bands()
    return Scale(
        "Strategy",
        "performance of objectives, perspectives, scorecards",
        bands.red_below,
        bands.green_from,
        dict(STATUS_WORDS),
    )
