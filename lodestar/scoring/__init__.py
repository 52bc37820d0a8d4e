"""Lodestar scoring: every number the product shows, as plain functions.

Pure Python (the standard library and the pure `lodestar.tree`; no Django, no database):
each rule takes figures and returns figures, so it can be read, tested by hand and
property-tested on its own. The web app stores the results; this package decides them.
Every rule in plain words with a worked example: docs/scoring.md.

    key_results  metric / milestone / stay-above / stay-below progress, one KindRule each
    okrs         objective score, OKR colour, success, confidence, pace
    measures     KPI performance and status (higher / lower / within a range)
    rollup       weighted averages up the strategy; performance vs execution
    initiatives  earned value and cost variance
    errors       ScoringError, raised with the offending field for every refusal
    numbers      finite() and clamp(), the number hygiene under all of it
    trend        least-squares forecast of a key result's check-ins, with its interval

Each module's docstring states its rules in plain words with a worked example.
"""

from lodestar.scoring.bands import status_word
from lodestar.scoring.errors import ScoringError
from lodestar.scoring.initiatives import cost_variance, earned_value
from lodestar.scoring.key_results import (
    KeyResultKind,
    KindRule,
    Progress,
    key_result_progress,
    kind_rule,
)
from lodestar.scoring.measures import (
    Direction,
    measure_performance,
    measure_status,
    period_target,
    warning_share,
)
from lodestar.scoring.numbers import clamp, finite
from lodestar.scoring.okrs import (
    PACE_ORDER,
    ObjectiveKind,
    OkrBands,
    Pace,
    PaceRules,
    confidence_level,
    expected_progress,
    objective_score,
    okr_colour,
    okr_succeeded,
    on_pace,
    pace,
    success_bar,
    worst_pace,
)
from lodestar.scoring.rollup import (
    RollupBands,
    divergence,
    execution_part,
    objective_execution,
    objective_performance,
    perspective_score,
    rollup_colour,
    scorecard_score,
    weighted_average,
)
from lodestar.scoring.trend import Forecast, forecast_of, linear_forecast

__all__ = [
    "PACE_ORDER",
    "Direction",
    "Forecast",
    "KeyResultKind",
    "KindRule",
    "ObjectiveKind",
    "OkrBands",
    "Pace",
    "PaceRules",
    "Progress",
    "RollupBands",
    "ScoringError",
    "clamp",
    "confidence_level",
    "cost_variance",
    "divergence",
    "earned_value",
    "execution_part",
    "expected_progress",
    "finite",
    "forecast_of",
    "key_result_progress",
    "kind_rule",
    "linear_forecast",
    "measure_performance",
    "measure_status",
    "objective_execution",
    "objective_performance",
    "objective_score",
    "okr_colour",
    "okr_succeeded",
    "on_pace",
    "pace",
    "period_target",
    "perspective_score",
    "rollup_colour",
    "scorecard_score",
    "status_word",
    "success_bar",
    "warning_share",
    "weighted_average",
    "worst_pace",
]
