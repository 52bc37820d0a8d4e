"""An open cycle's word follows the forecast (scoring.outcomes.open_pace): on track from
the success bar, at risk in the red band, behind in between; never a word the forecast
beside it contradicts, never a verdict before the cycle closes."""

from hypothesis import given
from hypothesis import strategies as st

from lodestar.scoring import OkrBands, Pace
from lodestar.scoring.outcomes import (
    VERDICTS,
    Outcome,
    forecast_pace,
    objective_outcome,
    open_pace,
)

BANDS = OkrBands()
scores = st.floats(min_value=0, max_value=1, allow_nan=False)
bands = st.tuples(scores, scores).map(lambda pair: OkrBands(min(pair), max(pair)))
success_bars = st.sampled_from([0.7, 1.0]) | scores
paces = st.sampled_from(list(Pace))


@given(checked=paces, forecast=scores, success_at=success_bars, bands=bands)
def test_the_word_never_contradicts_the_forecast(checked, forecast, success_at, bands):
    word = open_pace(checked, forecast, success_at=success_at, bands=bands)
    if checked in (Pace.STALE, Pace.NOT_STARTED):
        assert word == checked  # no trusted forecast to follow
        return
    reaches = round(forecast, 9) >= success_at
    red = round(forecast, 9) < bands.red_below
    assert (word == Pace.ON_TRACK) == reaches
    assert word != Pace.AT_RISK or (red and not reaches)
    assert word != Pace.BEHIND or not (red or reaches)


@given(checked=paces, success_at=success_bars)
def test_without_a_forecast_the_check_ins_and_the_plan_line_decide(checked, success_at):
    assert open_pace(checked, None, success_at=success_at, bands=BANDS) == checked


@given(forecast=scores, succeeded=st.booleans(), checked=paces)
def test_an_open_cycle_never_reads_a_verdict(forecast, succeeded, checked):
    word = open_pace(checked, forecast, success_at=0.7, bands=BANDS)
    outcome = objective_outcome(cycle_state="active", graded=False, succeeded=succeeded, pace=word)
    assert outcome not in VERDICTS and outcome != Outcome.PLANNED


def test_the_worked_example_of_docs_scoring():
    """Half-way through Q4 an aspirational objective at 0.31 (0.50 expected: at risk by the
    plan line alone) whose trend reaches 0.83 is on track; one reaching 0.52 is behind;
    0.30 at risk. A committed one reaching 0.83 is behind: it succeeds only at 1.0."""
    assert open_pace(Pace.AT_RISK, 0.83, success_at=0.7, bands=BANDS) == Pace.ON_TRACK
    assert open_pace(Pace.AT_RISK, 0.52, success_at=0.7, bands=BANDS) == Pace.BEHIND
    assert open_pace(Pace.ON_TRACK, 0.30, success_at=0.7, bands=BANDS) == Pace.AT_RISK
    assert open_pace(Pace.ON_TRACK, 0.83, success_at=1.0, bands=BANDS) == Pace.BEHIND
    assert forecast_pace(0.7, success_at=0.7, bands=BANDS) == Pace.ON_TRACK
    assert forecast_pace(0.4, success_at=0.7, bands=BANDS) == Pace.BEHIND
    assert forecast_pace(0.39, success_at=0.7, bands=BANDS) == Pace.AT_RISK
    assert open_pace(None, 0.9, success_at=0.7, bands=BANDS) is None  # no key results
