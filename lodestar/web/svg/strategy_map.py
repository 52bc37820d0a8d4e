"""The strategy map: perspective bands (position 0 at the bottom), one box per strategic
objective coloured by status, and the cause-effect arrows between them.

`layout` places the boxes; `render` draws a layout as an SVG string. Both are pure.

Layout, step by step:
1. A band holds as many boxes per row as the width allows and wraps into more rows
   when it is full, so boxes never overlap and always stay inside their band.
2. Boxes are ordered within each band by the barycenter heuristic: each box moves to
   the mean x of the boxes it is linked to in other bands, sweeping up and down the
   bands a few times. In a wrapped band, boxes linked mostly upwards take the top rows.
   The order with the fewest arrow crossings and detours around boxes seen (the given
   order included) wins, so the heuristic can only improve on the naive order.
3. Arrows run from the edge of the cause's box to the facing edge of the effect's box,
   around the boxes in between (`lodestar.web.svg.map_routes`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from lodestar import scoring
from lodestar.web.svg import STATUS_COLOURS
from lodestar.web.svg.map_routes import route_all

LABEL_WIDTH = 130  # left column holding the band names
BOX_WIDTH = 140
BOX_HEIGHT = 62  # with a name of two lines; each further line adds LINE_HEIGHT
LINE_HEIGHT = 14
GAP_X = 20
GAP_Y = 26
BAND_PAD = 18
CHARS_PER_LINE = 21  # at font-size 11 in a 140 px box
BAND_CHARS_PER_LINE = 16  # at font-size 12 in the label column
BAND_LINE_HEIGHT = 15
# Narrower than this (a phone), band names go on a strip above their band's boxes
# instead of a column beside them, which leaves the width to the boxes.
LABELS_ABOVE_BELOW = 600
WIDE_WIDTH = 1040
NARROW_WIDTH = 340  # the phone drawing: two boxes a row, shown at about its own size
SWEEPS = 4


@dataclass(frozen=True)
class MapBand:
    key: int
    name: str
    position: int


@dataclass(frozen=True)
class MapNode:
    key: int
    band: int  # MapBand.key
    name: str
    status: str  # green / yellow / red / grey
    url: str
    code: str = ""
    # What its status was judged against, a line a measure ("Monthly churn 6.81% ·
    # target 7.17% for Oct 2026 · 5.00% by Oct 2028"): its title says it under the name.
    detail: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip()


Link = tuple[int, int]  # (cause key, effect key)


@dataclass(frozen=True)
class Box:
    node: MapNode
    x: float
    y: float
    w: float = BOX_WIDTH
    h: float = BOX_HEIGHT

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class BandArea:
    band: MapBand
    y: float
    height: float
    label: list[str]  # the band's name in lines


@dataclass(frozen=True)
class Geometry:
    """What the drawing's width and its longest name decide."""

    width: float
    label_width: float  # the column beside the bands; 0 when the names go above
    box_height: float

    @property
    def labels_above(self) -> bool:
        return self.label_width == 0

    def band_label(self, name: str) -> list[str]:
        if self.labels_above:
            return wrap(name, per_line=max(BAND_CHARS_PER_LINE, int((self.width - 20) / 7.5)))
        return wrap(name, per_line=BAND_CHARS_PER_LINE)


def geometry(width: float, nodes: Sequence["MapNode"]) -> Geometry:
    """Every box as tall as the longest name needs: arrows and rows stay regular."""
    lines = max((len(wrap(node.label)) for node in nodes), default=2)
    return Geometry(
        width=width,
        label_width=0 if width < LABELS_ABOVE_BELOW else LABEL_WIDTH,
        box_height=BOX_HEIGHT + LINE_HEIGHT * max(0, lines - 2),
    )


@dataclass(frozen=True)
class MapLayout:
    width: float
    height: float
    bands: list[BandArea]
    boxes: dict[int, Box]
    links: list[Link]
    routes: dict[Link, list[tuple[float, float]]]
    labels_above: bool = False  # band names above their boxes, not in a column beside


Orders = dict[int, list[int]]  # band key -> node keys, left to right


def _columns(shape: Geometry) -> int:
    return max(1, int((shape.width - shape.label_width - GAP_X) // (BOX_WIDTH + GAP_X)))


def _place(
    bands: Sequence[MapBand], nodes: dict[int, MapNode], orders: Orders, shape: Geometry
) -> tuple[list[BandArea], dict[int, Box], float]:
    """Boxes in rows, bands stacked with the highest position on top."""
    columns, box_height = _columns(shape), shape.box_height
    areas, boxes, top = [], {}, 0.0
    for band in sorted(bands, key=lambda b: -b.position):
        keys = orders[band.key]
        label = shape.band_label(band.name)
        label_height = 8 + BAND_LINE_HEIGHT * len(label)
        above = label_height if shape.labels_above else 0
        rows = [keys[i : i + columns] for i in range(0, len(keys), columns)] or [[]]
        height = above + 2 * BAND_PAD + len(rows) * box_height + (len(rows) - 1) * GAP_Y
        height = max(height, label_height + BAND_PAD)  # a long name beside few boxes
        for row_index, row in enumerate(rows):
            # Centre each row in the drawing area, so a short row sits under the middle.
            row_width = len(row) * BOX_WIDTH + (len(row) - 1) * GAP_X
            left = shape.label_width + (shape.width - shape.label_width - row_width) / 2
            y = top + above + BAND_PAD + row_index * (box_height + GAP_Y)
            for column, key in enumerate(row):
                boxes[key] = Box(nodes[key], left + column * (BOX_WIDTH + GAP_X), y, h=box_height)
        areas.append(BandArea(band, top, height, label))
        top += height
    return areas, boxes, top


def arrow_ends(cause: Box, effect: Box) -> tuple[float, float, float, float]:
    """From the cause's edge facing the effect to the effect's facing edge."""
    if abs(cause.cy - effect.cy) < cause.h / 2:  # side by side in one row
        if cause.cx < effect.cx:
            return cause.x + cause.w, cause.cy, effect.x, effect.cy
        return cause.x, cause.cy, effect.x + effect.w, effect.cy
    if effect.cy < cause.cy:  # effect above: leave by the top
        return cause.cx, cause.y, effect.cx, effect.y + effect.h
    return cause.cx, cause.y + cause.h, effect.cx, effect.y


def _cross(a: tuple, b: tuple) -> bool:
    """Do segments a and b (x1, y1, x2, y2) properly intersect?"""

    def side(px, py, qx, qy, rx, ry) -> float:
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    ax1, ay1, ax2, ay2 = a
    bx1, by1, bx2, by2 = b
    d1 = side(bx1, by1, bx2, by2, ax1, ay1)
    d2 = side(bx1, by1, bx2, by2, ax2, ay2)
    d3 = side(ax1, ay1, ax2, ay2, bx1, by1)
    d4 = side(ax1, ay1, ax2, ay2, bx2, by2)
    return d1 * d2 < 0 and d3 * d4 < 0


def crossings(boxes: dict[int, Box], links: Sequence[Link]) -> int:
    """Pairs of arrows that cross (arrows meeting at a shared box do not count)."""
    segments = [
        (set(link), arrow_ends(boxes[link[0]], boxes[link[1]]))
        for link in links
        if link[0] in boxes and link[1] in boxes
    ]
    count = 0
    for i, (ends_a, a) in enumerate(segments):
        for ends_b, b in segments[i + 1 :]:
            if not ends_a & ends_b and _cross(a, b):
                count += 1
    return count


def _enters(segment: tuple, box: Box) -> bool:
    """Does the straight segment (x1, y1, x2, y2) pass through the box (Liang-Barsky)?"""
    x1, y1, x2, y2 = segment
    low, high = 0.0, 1.0
    for step, room in (
        (x1 - x2, x1 - box.x),
        (x2 - x1, box.x + box.w - x1),
        (y1 - y2, y1 - box.y),
        (y2 - y1, box.y + box.h - y1),
    ):
        if step == 0:
            if room < 0:
                return False
        elif step < 0:
            low = max(low, room / step)
        else:
            high = min(high, room / step)
        if low >= high:
            return False
    return True


def _cost(boxes: dict[int, Box], links: Sequence[Link]) -> int:
    """Crossings plus arrows that would have to detour around a box: what makes a map
    hard to read."""
    detours = sum(
        1
        for cause, effect in links
        for key, box in boxes.items()
        if key not in (cause, effect) and _enters(arrow_ends(boxes[cause], boxes[effect]), box)
    )
    return crossings(boxes, links) + detours


def _barycenter_orders(
    bands: Sequence[MapBand],
    nodes: dict[int, MapNode],
    links: Sequence[Link],
    orders: Orders,
    shape: Geometry,
) -> Orders:
    neighbours: dict[int, list[int]] = {key: [] for key in nodes}
    for cause, effect in links:
        if nodes[cause].band != nodes[effect].band:
            neighbours[cause].append(effect)
            neighbours[effect].append(cause)
    # A box linked mostly upwards goes to the top row of a wrapped band, one linked
    # mostly downwards to the bottom row, so that arrows need not pass a row of its own.
    position = {band.key: band.position for band in bands}
    lean = {
        key: sum(1 if position[nodes[n].band] > position[nodes[key].band] else -1 for n in linked)
        for key, linked in neighbours.items()
    }
    columns = _columns(shape)
    best, best_cost = orders, _cost(_place(bands, nodes, orders, shape)[1], links)
    upward = [b.key for b in sorted(bands, key=lambda b: b.position)]
    current = {key: list(keys) for key, keys in orders.items()}
    for sweep in range(SWEEPS):
        for band_key in upward if sweep % 2 == 0 else upward[::-1]:
            boxes = _place(bands, nodes, current, shape)[1]

            def centre(key: int, boxes=boxes) -> float:
                linked = neighbours[key]
                if not linked:
                    return boxes[key].cx  # an unlinked box keeps its place
                return sum(boxes[n].cx for n in linked) / len(linked)

            current[band_key] = _rows_then_centres(current[band_key], centre, lean, columns)
        cost = _cost(_place(bands, nodes, current, shape)[1], links)
        if cost < best_cost:
            best, best_cost = {k: list(v) for k, v in current.items()}, cost
    return best


def _rows_then_centres(keys: list[int], centre, lean: dict[int, int], columns: int) -> list[int]:
    """Order of a band: rows by lean (upward first), each row by barycenter."""
    by_lean = sorted(keys, key=lambda key: (-lean[key], centre(key)))
    rows = [by_lean[i : i + columns] for i in range(0, len(by_lean), columns)]
    return [key for row in rows for key in sorted(row, key=centre)]


def layout(
    bands: Sequence[MapBand],
    nodes: Sequence[MapNode],
    links: Sequence[Link],
    *,
    width: float = WIDE_WIDTH,
    arrange: bool = True,
) -> MapLayout:
    """Place every node in its band; `arrange=False` keeps the given order (naive)."""
    by_key = {node.key: node for node in nodes}
    band_keys = {band.key for band in bands}
    unknown = [node.name for node in nodes if node.band not in band_keys]
    if unknown:
        raise ValueError(f"nodes outside every band: {unknown}")
    # Links to objectives outside this map (another scorecard) are not drawn.
    links = [(c, e) for c, e in links if c in by_key and e in by_key and c != e]
    orders: Orders = {band.key: [] for band in bands}
    for node in nodes:
        orders[node.band].append(node.key)
    shape = geometry(width, nodes)
    if arrange:
        orders = _barycenter_orders(bands, by_key, links, orders, shape)
    areas, boxes, height = _place(bands, by_key, orders, shape)
    left = max(0, shape.label_width - GAP_X)
    routes = route_all(boxes, links, left=left, right=width, edge_gap=BAND_PAD)
    return MapLayout(width, height, areas, boxes, links, routes, shape.labels_above)


def wrap(text: str, per_line: int = CHARS_PER_LINE) -> list[str]:
    """Words into lines of at most `per_line` characters, every word kept (a word longer
    than a line is split across lines): the box grows, the name is never cut."""
    lines = [""]
    for word in text.split():
        while len(word) > per_line:
            if lines[-1]:
                lines.append("")
            lines[-1], word = word[:per_line], word[per_line:]
            lines.append("")
        candidate = f"{lines[-1]} {word}".strip()
        if len(candidate) <= per_line:
            lines[-1] = candidate
        else:
            lines.append(word)
    return [line for line in lines if line]


def _box_svg(box: Box) -> str:
    node = box.node
    ink, fill = STATUS_COLOURS.get(node.status, STATUS_COLOURS["grey"])
    word = scoring.bands.STATUS_WORDS.get(node.status, node.status)
    title = "\n".join((f"{node.label} — {word}", *node.detail))
    texts = "".join(
        f'<text x="{box.x + 8:.0f}" y="{box.y + 17 + LINE_HEIGHT * i:.0f}" font-size="11">'
        f"{escape(line)}</text>"
        for i, line in enumerate(wrap(node.label))
    )
    return (
        f'<a href="{escape(node.url)}"><g class="objective status-{escape(node.status)}">'
        f"<title>{escape(title)}</title>"
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
        f'rx="6" fill="{fill}" stroke="{ink}" stroke-width="1.5"/>{texts}'
        f'<text x="{box.x + 8:.0f}" y="{box.y + box.h - 8:.0f}" font-size="10" '
        f'font-weight="700" fill="{ink}">{escape(word.upper())}</text></g></a>'
    )


def _arrow_svg(cause: Box, effect: Box, points: list[tuple[float, float]], marker: str) -> str:
    (x1, y1), (x2, y2) = points[0], points[-1]
    if len(points) > 2:  # routed around boxes
        shape = "M" + " L".join(f"{x:.0f},{y:.0f}" for x, y in points)
    elif y1 == y2:
        mid = (x1 + x2) / 2
        shape = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    else:  # leave and arrive vertically, across the gap between the rows
        mid = (y1 + y2) / 2
        shape = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2:.0f}"
    return (
        f'<path d="{shape}" fill="none" stroke="#5b6472" stroke-width="1.3" '
        f'marker-end="url(#{marker})"><title>'
        f"{escape(cause.node.name)} → {escape(effect.node.name)}</title></path>"
    )


def render(layout: MapLayout, *, title: str) -> str:
    """The layout as a standalone SVG document (inline colours: it is also downloaded).

    No width in pixels: it takes its container's width and keeps its proportions. The
    links inside it stay reachable (a group, not an image whose children are hidden)."""
    label = escape(title)
    # One page may hold a drawing per width: each names its own arrow head.
    marker = f"map-arrow-{layout.width:.0f}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" role="group" '
        f'viewBox="0 0 {layout.width:.0f} {layout.height:.0f}" width="100%" '
        f'aria-label="{label}" font-family="system-ui, sans-serif"><title>{label}</title>'
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#5b6472"/></marker></defs>'
    ]
    first_line = 18 if layout.labels_above else 24
    for index, area in enumerate(layout.bands):
        shade = "#f6f7f9" if index % 2 == 0 else "#ffffff"
        parts.append(
            f'<g class="band"><rect x="0" y="{area.y:.0f}" width="{layout.width:.0f}" '
            f'height="{area.height:.0f}" fill="{shade}" stroke="#d5d9e0"/>'
        )
        for i, line in enumerate(area.label):
            parts.append(
                f'<text x="10" y="{area.y + first_line + BAND_LINE_HEIGHT * i:.0f}" '
                f'font-size="12" font-weight="600">{escape(line)}</text>'
            )
        parts.append("</g>")
    for cause, effect in layout.links:
        points = layout.routes[(cause, effect)]
        parts.append(_arrow_svg(layout.boxes[cause], layout.boxes[effect], points, marker))
    parts.extend(_box_svg(box) for box in layout.boxes.values())
    parts.append("</svg>")
    return "".join(parts)
