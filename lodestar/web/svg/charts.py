"""Small charts as SVG strings: a sparkline, a line chart and a bar.

Points are plain (label, value) pairs, the label a date or a string; a value of None
is a gap (N/A), drawn as a break in the line, never as zero.
"""

from collections.abc import Sequence
from datetime import date
from html import escape

from lodestar.web.svg import STATUS_COLOURS, drawable

Point = tuple[date | str, float | None]
Band = tuple[float, float, str]  # (low, high, status colour name)


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _label(value: date | str) -> str:
    return value.strftime("%b %Y") if isinstance(value, date) else str(value)


def _segments(coords: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive known points: a gap breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for coord in coords:
        if coord is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(coord)
    return [run for run in runs if run]


def _path(run: list[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{_fmt(x)},{_fmt(y)}" for x, y in run)


def sparkline(
    values: Sequence[float | None],
    *,
    label: str,
    width: int = 100,
    height: int = 24,
    low: float | None = None,
    high: float | None = None,
) -> str:
    """A tiny trend line; `low`/`high` fix the scale (e.g. 0 and 1 for scores)."""
    values = [None if v is None else drawable(v) for v in values]
    known = [v for v in values if v is not None]
    title = escape(label)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart sparkline-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{title}"><title>{title}</title>'
    )
    if not known:
        return head + "</svg>"
    lo = min(known) if low is None else low
    hi = max(known) if high is None else high
    span = (hi - lo) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    coords = [
        None if v is None else (2 + i * step, height - 2 - (v - lo) / span * (height - 4))
        for i, v in enumerate(values)
    ]
    runs = _segments(coords)
    lines = "".join(f'<path class="sparkline" d="{_path(run)}"/>' for run in runs)
    x, y = runs[-1][-1]
    return head + lines + f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="2" fill="currentColor"/></svg>'


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    target: float | None = None,
    bands: Sequence[Band] = (),
    unit: str = "",
    width: int = 480,
    height: int = 200,
) -> str:
    """Values over time with an optional target line and coloured threshold bands."""
    points = [(when, None if v is None else drawable(v)) for when, v in points]
    known = [v for _, v in points if v is not None]
    extra = [drawable(target)] if target is not None else []
    extra += [drawable(edge) for low, high, _ in bands for edge in (low, high)]
    label = escape(title)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{label}"><title>{label}</title>'
    )
    if not known:
        return head + f'<text x="10" y="{height // 2}">No values yet</text></svg>'
    left, right, top, bottom = 52, 10, 10, 24
    scale = known + extra
    lo, hi = min(scale), max(scale)
    pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - pad, hi + pad

    def y_of(value: float) -> float:
        return top + (hi - drawable(value)) / (hi - lo) * (height - top - bottom)

    step = (width - left - right) / max(len(points) - 1, 1)
    parts = [head]
    for low, high, colour in bands:
        y1, y2 = y_of(max(low, high)), y_of(min(low, high))
        fill = STATUS_COLOURS.get(colour, STATUS_COLOURS["grey"])[1]
        parts.append(
            f'<rect x="{left}" y="{_fmt(y1)}" width="{width - left - right}" '
            f'height="{_fmt(y2 - y1)}" fill="{fill}"/>'
        )
    for value in (lo + pad, hi - pad):
        parts.append(
            f'<text x="{left - 4}" y="{_fmt(y_of(value) + 4)}" text-anchor="end" '
            f'font-size="11">{escape(_fmt(value) + unit)}</text>'
        )
    if target is not None:
        ty = _fmt(y_of(target))
        parts.append(
            f'<line class="target" x1="{left}" x2="{width - right}" y1="{ty}" y2="{ty}" '
            f'stroke="#1e7b45" stroke-dasharray="5 3"/>'
            f'<text x="{width - right}" y="{_fmt(y_of(target) - 3)}" text-anchor="end" '
            f'font-size="11">target {escape(_fmt(target) + unit)}</text>'
        )
    coords = [None if v is None else (left + i * step, y_of(v)) for i, (_, v) in enumerate(points)]
    for run in _segments(coords):
        parts.append(f'<path d="{_path(run)}" fill="none" stroke="#1f5fbf" stroke-width="2"/>')
    for (when, value), coord in zip(points, coords, strict=True):
        if coord is not None:
            tip = escape(f"{_label(when)}: {_fmt(value)}{unit}")
            parts.append(
                f'<circle cx="{_fmt(coord[0])}" cy="{_fmt(coord[1])}" r="3" fill="#1f5fbf">'
                f"<title>{tip}</title></circle>"
            )
    for index in (0, len(points) - 1):
        anchor = "start" if index == 0 else "end"
        parts.append(
            f'<text x="{_fmt(left + index * step)}" y="{height - 6}" text-anchor="{anchor}" '
            f'font-size="11">{escape(_label(points[index][0]))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar(value: float | None, *, label: str, status: str = "grey", width: int = 100) -> str:
    """A horizontal bar for a 0-1 share (score, percent complete); empty for N/A."""
    text = escape(label)
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS["grey"])[0]
    filled = 0 if value is None else max(0.0, min(1.0, value)) * width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bar" role="img" width="{width}" '
        f'height="10" viewBox="0 0 {width} 10" aria-label="{text}"><title>{text}</title>'
        f'<rect width="{width}" height="10" fill="#eceef1"/>'
        f'<rect width="{_fmt(filled)}" height="10" fill="{colour}"/></svg>'
    )
