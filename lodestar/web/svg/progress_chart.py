"""A key result's progress over its cycle as an SVG string (pure Python, no Django).

The check-in values are drawn against time from the cycle's start to its end, with the
baseline and the target as horizontal lines, the expected pace as the straight line from
(start, baseline) to (end, target) and today's date as a vertical marker. A point above
the pace line (below it, when the target is lower than the baseline) is ahead of pace.
With a forecast, its trend line is drawn dashed from the first check-in to the cycle's
end, where a bar and a shaded wedge show its 95 % prediction interval.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.dateformat import format as date_format
from django.utils.formats import get_format

from lodestar.scoring.numbers import FigureStyle
from lodestar.web.svg import drawable

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 36
INK, MUTED, ACCENT, PACE, TODAY = "#1b2430", "#586374", "#1f5fbf", "#8a5a00", "#b3261e"
FORECAST = "#5b2a86"
PLAIN = FigureStyle()  # no unit, as few decimals as each figure needs


@dataclass(frozen=True)
class ForecastLine:
    """A least-squares trend: `value` at the cycle's end, `slope` per day, drawn from the
    day `since` (the first check-in), and the 95 % interval `low`–`high` at the end."""

    since: date
    value: float
    slope: float
    low: float
    high: float


def day_in_words(day: date) -> str:
    """The pages' one date style ("8 Oct 2026"), as the history and the tables write it."""
    return date_format(day, get_format("DATE_FORMAT"))


def _n(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def progress_chart(
    *,
    checkins: Sequence[tuple[date, float]],
    baseline: float,
    target: float,
    start: date,
    end: date,
    today: date,
    style: FigureStyle = PLAIN,  # how its figures are written (unit, decimals)
    title: str = "Progress",
    forecast: ForecastLine | None = None,
) -> str:
    """Check-ins as (day, value) in time order; the cycle runs from `start` to `end`."""
    values = [baseline, target, *(value for _, value in checkins)]
    if forecast is not None:
        since_value = forecast.value - forecast.slope * (end - forecast.since).days
        values += [since_value, forecast.low, forecast.high]
    low, high = min(map(drawable, values)), max(map(drawable, values))
    pad = (high - low) * 0.08 or 1.0
    low, high = low - pad, high + pad
    days = max((end - start).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * min(max((day - start).days / days, 0.0), 1.0)

    def y(value: float) -> float:
        return TOP + plot_h * (high - drawable(value)) / (high - low)

    label = escape(
        f"{title}: {len(checkins)} check-ins from {style.show(baseline)} "
        f"towards {style.show(target)}"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart progress-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-label="{label}"><title>{label}</title>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" '
        f'stroke="#d5dbe3"/>',
    ]
    for name, value in (("Baseline", baseline), ("Target", target)):
        text = escape(f"{name} {style.show(value)}")
        parts.append(
            f'<line class="{name.lower()}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y(value))}" '
            f'y2="{_n(y(value))}" stroke="{MUTED}" stroke-dasharray="4 3"/>'
            f'<text x="{LEFT - 4}" y="{_n(y(value) + 4)}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{escape(style.show(value))}</text>'
            f'<text x="{WIDTH - RIGHT - 4}" y="{_n(y(value) - 4)}" text-anchor="end" '
            f'font-size="11" fill="{MUTED}">{text}</text>'
        )
    parts.append(
        f'<line class="expected-pace" x1="{_n(x(start))}" y1="{_n(y(baseline))}" '
        f'x2="{_n(x(end))}" y2="{_n(y(target))}" stroke="{PACE}" stroke-width="1.5">'
        f"<title>Expected pace</title></line>"
    )
    if start <= today <= end:
        parts.append(
            f'<line class="today" x1="{_n(x(today))}" x2="{_n(x(today))}" y1="{TOP}" '
            f'y2="{TOP + plot_h}" stroke="{TODAY}" stroke-dasharray="2 2"/>'
            f'<text x="{_n(x(today))}" y="{TOP + plot_h + 14}" text-anchor="middle" '
            f'font-size="11" fill="{TODAY}">Today</text>'
        )
    for day, anchor in ((start, "start"), (end, "end")):
        parts.append(
            f'<text x="{_n(x(day))}" y="{HEIGHT - 6}" text-anchor="{anchor}" font-size="11" '
            f'fill="{INK}">{day_in_words(day)}</text>'
        )
    if forecast is not None:
        parts.append(_forecast(forecast, since_value, x(forecast.since), x(end), y, style))
    if checkins:
        points = " ".join(f"{_n(x(day))},{_n(y(value))}" for day, value in checkins)
        parts.append(
            f'<polyline class="checkins" points="{points}" fill="none" stroke="{ACCENT}" '
            f'stroke-width="2"/>'
        )
        for day, value in checkins:
            tip = escape(f"{day_in_words(day)}: {style.show(value)}")
            parts.append(
                f'<circle cx="{_n(x(day))}" cy="{_n(y(value))}" r="3.5" fill="{ACCENT}">'
                f"<title>{tip}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _forecast(
    line: ForecastLine, since_value: float, x0: float, x1: float, y, style: FigureStyle
) -> str:
    tip = escape(
        f"Forecast at the cycle end: {style.show(line.value)}, 95 % between "
        f"{style.show(line.low)} and {style.show(line.high)}"
    )
    x0, x1, y0, y_end = _n(x0), _n(x1), _n(y(since_value)), _n(y(line.value))
    low, high = _n(y(line.low)), _n(y(line.high))
    return (
        f'<g class="forecast"><title>{tip}</title>'
        f'<polygon class="forecast-wedge" points="{x0},{y0} {x1},{low} {x1},{high}" '
        f'fill="{FORECAST}" fill-opacity="0.12"/>'
        f'<line class="forecast-line" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y_end}" '
        f'stroke="{FORECAST}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<line class="forecast-interval" x1="{x1}" x2="{x1}" y1="{low}" y2="{high}" '
        f'stroke="{FORECAST}" stroke-width="3"/>'
        f'<circle class="forecast-end" cx="{x1}" cy="{y_end}" r="3" fill="{FORECAST}"/></g>'
    )
