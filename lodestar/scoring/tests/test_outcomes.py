"""Outcome words only when they are true (docs/scoring.md, "Where an objective stands")."""

import pytest

from lodestar.scoring.okrs import Pace
from lodestar.scoring.outcomes import OUTCOME_WORDS, Outcome, objective_outcome, outcome_word


@pytest.mark.parametrize(
    "state, graded, succeeded, pace, word",
    [
        ("planning", False, False, Pace.BEHIND, "planned"),
        ("active", False, False, Pace.BEHIND, "behind"),
        ("active", False, False, Pace.AT_RISK, "at risk"),
        ("active", False, None, Pace.NOT_STARTED, "not started"),
        ("active", False, True, Pace.ON_TRACK, "on track"),
        ("active", True, False, Pace.ON_TRACK, "missed"),  # graded early: a verdict
        ("closed", False, False, Pace.ON_TRACK, "missed"),
        ("closed", True, True, None, "succeeded"),
        ("closed", False, None, None, "not scored"),
        ("active", False, None, None, "no key results"),
    ],
)
def test_every_state_has_its_one_word(state, graded, succeeded, pace, word):
    outcome = objective_outcome(cycle_state=state, graded=graded, succeeded=succeeded, pace=pace)
    assert outcome_word(outcome) == word


def test_the_table_words_every_outcome():
    assert set(OUTCOME_WORDS) == set(Outcome)
