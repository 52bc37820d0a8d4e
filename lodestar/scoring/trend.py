"""The trend of a key result: the least-squares line through its check-ins (value
against day), read at a later day, with the standard error of that prediction and a
95 % prediction interval. Fewer than MIN_FORECAST_POINTS points, or all on one day:
no forecast, and it says so.

Worked example: values 10, 12, 14 on days 0, 7, 14, predicted at day 28: slope 2/7 a
day, line 10 + 2/7·28 = 18; the points sit exactly on the line, so the standard error
is 0 and the interval is 18–18.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_FORECAST_POINTS = 3
TOO_LARGE = "No forecast: the check-ins hold figures too large to forecast."


# Two-sided 95 % quantiles of Student's t by degrees of freedom (1–30); beyond 30 the
# normal 1.96 is within 2 % of the truth. Few points give wide, honest intervals.
T_975 = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
]  # fmt: skip


def t_quantile_975(degrees_of_freedom: int) -> float:
    if degrees_of_freedom < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if degrees_of_freedom <= len(T_975):
        return T_975[degrees_of_freedom - 1]
    return 1.96


@dataclass(frozen=True)
class Forecast:
    n: int  # points used
    value: float | None  # predicted value at the horizon
    standard_error: float | None  # of that prediction
    low: float | None  # 95 % prediction interval
    high: float | None
    slope: float | None  # change per day
    reading: str  # one plain sentence

    @property
    def available(self) -> bool:
        return self.value is not None


def reading_of(n: int, value: float | None, low: float | None, high: float | None) -> str:
    """The one plain sentence that goes with a forecast's figures."""
    if n < MIN_FORECAST_POINTS:
        return f"Not enough check-ins to forecast ({n} of the {MIN_FORECAST_POINTS} needed)."
    if value is None:
        return "Not enough check-ins to forecast (all on one day)."
    return (
        f"From {n} check-ins the trend line ends near {value:.4g}; "
        f"95 % of outcomes like these fall between {low:.4g} and {high:.4g}."
    )


def forecast_of(
    n: int,
    value: float | None,
    standard_error: float | None,
    low: float | None,
    high: float | None,
    slope: float | None,
) -> Forecast:
    """A forecast from its stored figures, with its reading."""
    return Forecast(n, value, standard_error, low, high, slope, reading_of(n, value, low, high))


def linear_forecast(points: Sequence[tuple[float, float]], at: float) -> Forecast:
    """Least squares y = a + b·x through `points` (x in days), evaluated at x = `at`.

    Standard error of a new observation at x0: s·√(1 + 1/n + (x0 − x̄)² / Sxx), with
    s² = Σ residual² / (n − 2); the interval is ± t(0.975, n − 2) of it.
    """
    n = len(points)
    if n < MIN_FORECAST_POINTS:
        return forecast_of(n, None, None, None, None, None)
    xs = [float(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    mean_x = sum(xs) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return forecast_of(n, None, None, None, None, None)
    try:
        mean_y = sum(ys) / n
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
        intercept = mean_y - slope * mean_x
        residuals = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
        s = math.sqrt(residuals / (n - 2))
        value = intercept + slope * at
        error = s * math.sqrt(1 + 1 / n + (at - mean_x) ** 2 / sxx)
        margin = t_quantile_975(n - 2) * error
    except OverflowError:
        value = error = margin = slope = math.inf
    # Figures stored before the input bound (1e308…) overflow the squares: say so.
    if not all(math.isfinite(figure) for figure in (value, error, margin, slope)):
        return Forecast(n, None, None, None, None, None, TOO_LARGE)
    return forecast_of(n, value, error, value - margin, value + margin, slope)
