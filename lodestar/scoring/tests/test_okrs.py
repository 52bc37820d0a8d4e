"""OKR rules - colour, objective score, success, confidence, pace - worked by hand."""

from datetime import date, datetime

import pytest

from lodestar.scoring import (
    ObjectiveKind,
    OkrBands,
    Pace,
    PaceRules,
    ScoringError,
    confidence_level,
    expected_progress,
    objective_score,
    okr_colour,
    okr_succeeded,
    on_pace,
    pace,
    worst_pace,
)

# --- colour ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "colour"),
    [
        (0.0, "red"),
        (0.39, "red"),
        (0.4, "yellow"),  # red < 0.4 <= yellow
        (0.69, "yellow"),
        (0.7, "green"),  # yellow < 0.7 <= green
        (1.0, "green"),
    ],
)
def test_okr_colour_follows_the_red_yellow_green_convention(score: float, colour: str) -> None:
    assert okr_colour(score) == colour


def test_okr_colour_ignores_floating_point_noise_at_a_limit() -> None:
    # 0.7 reached through arithmetic can land a hair below 0.7; a person sees 0.7.
    assert okr_colour(0.7 - 1e-12) == "green"
    assert okr_colour(0.4 - 1e-12) == "yellow"
    # ... but a real shortfall stays red/yellow.
    assert okr_colour(0.7 - 1e-6) == "yellow"


def test_okr_colour_bands_are_settings() -> None:
    bands = OkrBands(red_below=0.3, green_from=0.6)
    assert [okr_colour(s, bands) for s in (0.29, 0.3, 0.59, 0.6)] == [
        "red",
        "yellow",
        "yellow",
        "green",
    ]


@pytest.mark.parametrize(
    ("red_below", "green_from", "field"),
    [(0.8, 0.7, "green_from"), (-0.1, 0.7, "red_below"), (0.4, 1.5, "green_from")],
)
def test_okr_bands_refuse_limits_out_of_order_or_range(
    red_below: float, green_from: float, field: str
) -> None:
    with pytest.raises(ScoringError) as caught:
        OkrBands(red_below=red_below, green_from=green_from)
    assert caught.value.field == field


def test_okr_bands_may_collapse_yellow_to_nothing() -> None:
    bands = OkrBands(red_below=0.5, green_from=0.5)
    assert (okr_colour(0.49, bands), okr_colour(0.5, bands)) == ("red", "green")


# --- objective score ------------------------------------------------------------------


def test_objective_score_is_the_weighted_average_of_its_key_results() -> None:
    # 0.4 (weight 1), 0.5 (weight 1), 1.0 (weight 2): (0.4 + 0.5 + 2.0) / 4 = 0.725
    assert objective_score([(0.4, 1), (0.5, 1), (1.0, 2)]) == pytest.approx(0.725)


def test_an_objective_with_no_scored_key_results_has_no_score() -> None:
    assert objective_score([]) is None
    assert objective_score([(0.8, 0)]) is None  # weight 0 counts for nothing


# --- success --------------------------------------------------------------------------


def test_an_aspirational_objective_succeeds_at_seventy_percent() -> None:
    assert okr_succeeded(0.7, ObjectiveKind.ASPIRATIONAL)
    assert okr_succeeded(0.7 - 1e-12, "aspirational")  # floating-point noise is 0.7
    assert not okr_succeeded(0.69, "aspirational")


def test_a_committed_objective_succeeds_only_when_fully_delivered() -> None:
    assert okr_succeeded(1.0, ObjectiveKind.COMMITTED)
    assert not okr_succeeded(0.99, "committed")
    assert not okr_succeeded(0.7, "committed")


def test_it_refuses_an_unknown_objective_kind() -> None:
    with pytest.raises(ScoringError) as caught:
        okr_succeeded(0.7, "stretch")
    assert caught.value.field == "kind"


# --- confidence -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("confidence", "level"),
    [(0, "low"), (3, "low"), (4, "medium"), (7, "medium"), (8, "high"), (10, "high")],
)
def test_confidence_reads_low_medium_or_high(confidence: int, level: str) -> None:
    assert confidence_level(confidence) == level


@pytest.mark.parametrize("bad", [-1, 11, 7.0, True, None, "7"])
def test_it_refuses_a_confidence_that_is_not_a_whole_number_from_0_to_10(bad: object) -> None:
    with pytest.raises(ScoringError) as caught:
        confidence_level(bad)
    assert caught.value.field == "confidence"


# --- expected progress ----------------------------------------------------------------

Q4_START, Q4_END = date(2026, 10, 1), date(2026, 12, 31)  # 91 days apart


def test_expected_progress_is_the_elapsed_share_of_the_cycle() -> None:
    assert expected_progress(Q4_START, Q4_END, Q4_START) == 0.0
    # 16 Nov is 30 (Oct) + 16 = 46 days in: 46 / 91
    assert expected_progress(Q4_START, Q4_END, date(2026, 11, 16)) == pytest.approx(46 / 91)
    assert expected_progress(Q4_START, Q4_END, Q4_END) == 1.0


def test_expected_progress_is_clamped_outside_the_cycle() -> None:
    assert expected_progress(Q4_START, Q4_END, date(2026, 9, 1)) == 0.0
    assert expected_progress(Q4_START, Q4_END, date(2027, 2, 1)) == 1.0


def test_expected_progress_takes_a_datetime_as_its_day() -> None:
    # 1 Oct -> 11 Oct is 10 days of a 20-day cycle: 0.5, whatever the hour.
    today = datetime(2026, 10, 11, 23, 59)
    assert expected_progress(Q4_START, date(2026, 10, 21), today) == 0.5


@pytest.mark.parametrize("end", [Q4_START, date(2026, 9, 30)])
def test_it_refuses_a_cycle_that_ends_before_it_starts(end: date) -> None:
    with pytest.raises(ScoringError) as caught:
        expected_progress(Q4_START, end, Q4_START)
    assert caught.value.field == "end"
    assert "2026-10-01" in caught.value.message


# --- pace -----------------------------------------------------------------------------


def pace_of(
    progress: float, expected: float, confidence: int | None = 7, days: int | None = 3
) -> Pace:
    return pace(
        progress=progress, expected=expected, latest_confidence=confidence, days_since_checkin=days
    )


def test_a_key_result_ahead_of_the_calendar_is_on_track() -> None:
    assert pace_of(0.9, 0.5) is Pace.ON_TRACK  # d = +0.4


def test_ten_points_behind_exactly_is_still_on_track() -> None:
    # d = 0.5 - 0.6 = -0.10 by hand (-0.09999999999999998 in binary): on track (d >= -0.10)
    assert pace_of(0.5, 0.6) is Pace.ON_TRACK
    # d = 0.3 - 0.4 = -0.10 (binary -0.10000000000000003): also on track
    assert pace_of(0.3, 0.4) is Pace.ON_TRACK


def test_more_than_ten_points_behind_is_behind() -> None:
    assert pace_of(0.49, 0.6) is Pace.BEHIND  # d = -0.11


def test_twenty_five_points_behind_exactly_is_behind_not_at_risk() -> None:
    # d = 0.35 - 0.6 = -0.25: behind covers -0.25 <= d < -0.10
    assert pace_of(0.35, 0.6) is Pace.BEHIND
    # d = 0.3 - 0.55 = -0.25 by hand (binary -0.25000000000000006): still behind
    assert pace_of(0.3, 0.55) is Pace.BEHIND


def test_more_than_twenty_five_points_behind_is_at_risk() -> None:
    assert pace_of(0.34, 0.6) is Pace.AT_RISK  # d = -0.26


def test_low_confidence_is_at_risk_even_when_ahead() -> None:
    assert pace_of(0.9, 0.5, confidence=3) is Pace.AT_RISK  # 3 is low
    assert pace_of(0.9, 0.5, confidence=4) is Pace.ON_TRACK  # 4 is medium


def test_no_confidence_yet_does_not_count_as_low() -> None:
    assert pace_of(0.9, 0.5, confidence=None) is Pace.ON_TRACK


def test_a_key_result_never_checked_in_is_stale_when_its_start_is_unknown() -> None:
    assert pace_of(0.9, 0.5, days=None) is Pace.STALE


def not_started_pace(days_since_start: int, confidence: int | None = None) -> Pace:
    return pace(
        progress=0.0,
        expected=0.9,
        latest_confidence=confidence,
        days_since_checkin=None,
        days_since_start=days_since_start,
    )


def test_a_key_result_added_today_is_not_started_neither_stale_nor_at_risk() -> None:
    # Progress 0 where 0.9 was expected would be at risk; never checked in would be
    # stale: but it was added today, so it has simply not started.
    assert not_started_pace(0) is Pace.NOT_STARTED


def test_not_started_lasts_the_stale_limit_then_it_is_stale() -> None:
    assert not_started_pace(14) is Pace.NOT_STARTED  # 14 days: still new
    assert not_started_pace(15) is Pace.STALE


def test_a_key_result_of_a_cycle_yet_to_start_is_not_started() -> None:
    assert not_started_pace(-30) is Pace.NOT_STARTED


def test_a_first_check_in_ends_not_started() -> None:
    started = pace(
        progress=0.0, expected=0.9, latest_confidence=5, days_since_checkin=0, days_since_start=0
    )
    assert started is Pace.AT_RISK


def test_days_since_start_must_be_whole_days() -> None:
    with pytest.raises(ScoringError) as caught:
        pace(
            progress=0.0,
            expected=0.0,
            latest_confidence=None,
            days_since_checkin=None,
            days_since_start=1.5,
        )
    assert caught.value.field == "days_since_start"


def test_not_started_is_the_mildest_pace_of_an_objective() -> None:
    assert worst_pace([Pace.NOT_STARTED, Pace.ON_TRACK]) == Pace.ON_TRACK
    assert worst_pace([Pace.NOT_STARTED, Pace.STALE]) == Pace.STALE
    assert worst_pace([Pace.NOT_STARTED, Pace.NOT_STARTED]) == Pace.NOT_STARTED


def test_stale_means_more_than_the_set_number_of_days() -> None:
    assert pace_of(0.9, 0.5, days=14) is Pace.ON_TRACK  # 14 days: still fresh
    assert pace_of(0.9, 0.5, days=15) is Pace.STALE


def test_stale_is_shown_above_at_risk() -> None:
    # d = 0 - 1 = -1 and confidence 0 would be at risk, but 20 days silent comes first.
    assert pace_of(0.0, 1.0, confidence=0, days=20) is Pace.STALE


def test_a_check_in_dated_slightly_in_the_future_counts_as_fresh() -> None:
    assert pace_of(0.9, 0.5, days=-1) is Pace.ON_TRACK


def test_pace_limits_are_settings() -> None:
    rules = PaceRules(behind_below=-0.05, at_risk_below=-0.2, stale_after_days=7)

    def with_rules(progress: float, expected: float, days: int = 1) -> Pace:
        return pace(
            progress=progress,
            expected=expected,
            latest_confidence=None,
            days_since_checkin=days,
            rules=rules,
        )

    assert with_rules(0.55, 0.6) is Pace.ON_TRACK  # d = -0.05
    assert with_rules(0.54, 0.6) is Pace.BEHIND  # d = -0.06
    assert with_rules(0.4, 0.6) is Pace.BEHIND  # d = -0.20
    assert with_rules(0.39, 0.6) is Pace.AT_RISK  # d = -0.21
    assert with_rules(0.9, 0.5, days=8) is Pace.STALE  # 8 > 7


def test_pace_rules_refuse_an_at_risk_limit_above_the_behind_limit() -> None:
    with pytest.raises(ScoringError) as caught:
        PaceRules(behind_below=-0.25, at_risk_below=-0.10)
    assert caught.value.field == "at_risk_below"


@pytest.mark.parametrize("days", [-1, 2.5, True])
def test_pace_rules_refuse_a_stale_limit_that_is_not_whole_days(days: object) -> None:
    with pytest.raises(ScoringError) as caught:
        PaceRules(stale_after_days=days)
    assert caught.value.field == "stale_after_days"


def test_pace_refuses_a_confidence_outside_0_to_10() -> None:
    with pytest.raises(ScoringError) as caught:
        pace_of(0.5, 0.5, confidence=11)
    assert caught.value.field == "confidence"


def test_pace_refuses_a_non_finite_progress() -> None:
    with pytest.raises(ScoringError) as caught:
        pace_of(float("nan"), 0.5)
    assert caught.value.field == "progress"


def test_an_objective_is_as_late_as_its_latest_key_result():
    assert worst_pace(["on_track", "behind", "on_track"]) == Pace.BEHIND
    assert worst_pace([Pace.BEHIND, Pace.AT_RISK]) == Pace.AT_RISK
    assert worst_pace([Pace.AT_RISK, Pace.STALE]) == Pace.STALE  # stale is said first
    assert worst_pace([]) is None


def test_seventy_done_where_eighty_was_expected_is_on_pace_as_worked_by_hand() -> None:
    # d = 0.7 - 0.8 = -0.10 by hand (-0.10000000000000009 in binary): on the limit, on pace.
    assert on_pace(0.7, 0.8)
    assert pace(progress=0.7, expected=0.8, latest_confidence=None, days_since_checkin=0) is (
        Pace.ON_TRACK
    )


def test_sixty_nine_done_where_eighty_was_expected_is_not_on_pace() -> None:
    # d = 0.69 - 0.8 = -0.11 < -0.10: behind, and so not on pace.
    assert not on_pace(0.69, 0.8)
    assert pace(progress=0.69, expected=0.8, latest_confidence=None, days_since_checkin=0) is (
        Pace.BEHIND
    )


def test_on_pace_follows_the_behind_limit_setting() -> None:
    assert not on_pace(0.7, 0.8, PaceRules(behind_below=-0.05, at_risk_below=-0.25))
