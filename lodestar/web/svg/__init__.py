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
