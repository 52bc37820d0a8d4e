"""Pictures as SVG strings, drawn on the server in plain Python (no Django), so the same
pictures serve pages, downloads and later PDF reports.

    charts        sparkline, line chart (target line, threshold bands), small bar
    strategy_map  layout of the strategy map (bands, boxes, arrows) and its rendering

Every text put into a picture is escaped here; views may `mark_safe` the result.
"""

# Status colours (text, fill) for standalone SVG files, which cannot see the stylesheet.
STATUS_COLOURS = {
    "green": ("#1e7b45", "#dcf1e4"),
    "yellow": ("#8a5a00", "#fdf0c8"),
    "red": ("#b3261e", "#fadcd9"),
    "grey": ("#5b6472", "#eceef1"),
}
# Every figure a person can enter lies within ±1e12 (lodestar.validation); rows stored
# before that bound may hold up to ±1e308, whose differences overflow to infinity. Charts
# draw such a figure at this edge instead, so the scale's arithmetic stays finite.
DRAWABLE = 1e100


def drawable(value: float) -> float:
    """`value` limited to ±DRAWABLE (NaN, which no bound lets in, is drawn at 0)."""
    if value != value:
        return 0.0
    return min(max(value, -DRAWABLE), DRAWABLE)
