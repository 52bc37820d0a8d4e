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
BOX_HEIGHT = 62
GAP_X = 20
GAP_Y = 26
BAND_PAD = 18
CHARS_PER_LINE = 21  # at font-size 11 in a 140 px box
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


@dataclass(frozen=True)
class MapLayout:
    width: float
    height: float
    bands: list[BandArea]
    boxes: dict[int, Box]
    links: list[Link]
    routes: dict[Link, list[tuple[float, float]]]


Orders = dict[int, list[int]]  # band key -> node keys, left to right


def _columns(width: float) -> int:
    return max(1, int((width - LABEL_WIDTH - GAP_X) // (BOX_WIDTH + GAP_X)))


def _place(
    bands: Sequence[MapBand], nodes: dict[int, MapNode], orders: Orders, width: float
) -> tuple[list[BandArea], dict[int, Box], float]:
    """Boxes in rows, bands stacked with the highest position on top."""
    columns = _columns(width)
    areas, boxes, top = [], {}, 0.0
    for band in sorted(bands, key=lambda b: -b.position):
        keys = orders[band.key]
        rows = [keys[i : i + columns] for i in range(0, len(keys), columns)] or [[]]
        height = 2 * BAND_PAD + len(rows) * BOX_HEIGHT + (len(rows) - 1) * GAP_Y
        for row_index, row in enumerate(rows):
            # Centre each row in the drawing area, so a short row sits under the middle.
            row_width = len(row) * BOX_WIDTH + (len(row) - 1) * GAP_X
            left = LABEL_WIDTH + (width - LABEL_WIDTH - row_width) / 2
            y = top + BAND_PAD + row_index * (BOX_HEIGHT + GAP_Y)
            for column, key in enumerate(row):
                boxes[key] = Box(nodes[key], left + column * (BOX_WIDTH + GAP_X), y)
        areas.append(BandArea(band, top, height))
        top += height
    return areas, boxes, top


def arrow_ends(cause: Box, effect: Box) -> tuple[float, float, float, float]:
    """From the cause's edge facing the effect to the effect's facing edge."""
    if abs(cause.cy - effect.cy) < BOX_HEIGHT / 2:  # side by side in one row
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
    width: float,
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
    columns = _columns(width)
    best, best_cost = orders, _cost(_place(bands, nodes, orders, width)[1], links)
    upward = [b.key for b in sorted(bands, key=lambda b: b.position)]
    current = {key: list(keys) for key, keys in orders.items()}
    for sweep in range(SWEEPS):
        for band_key in upward if sweep % 2 == 0 else upward[::-1]:
            boxes = _place(bands, nodes, current, width)[1]

            def centre(key: int, boxes=boxes) -> float:
                linked = neighbours[key]
                if not linked:
                    return boxes[key].cx  # an unlinked box keeps its place
                return sum(boxes[n].cx for n in linked) / len(linked)

            current[band_key] = _rows_then_centres(current[band_key], centre, lean, columns)
        cost = _cost(_place(bands, nodes, current, width)[1], links)
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
    width: float = 1040,
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
    if arrange:
        orders = _barycenter_orders(bands, by_key, links, orders, width)
    areas, boxes, height = _place(bands, by_key, orders, width)
    routes = route_all(boxes, links, left=LABEL_WIDTH - GAP_X, right=width, edge_gap=BAND_PAD)
    return MapLayout(width, height, areas, boxes, links, routes)


def wrap(text: str, per_line: int = CHARS_PER_LINE, lines: int = 2) -> list[str]:
    """Words into at most `lines` lines; the last one ends with … when text is left over."""
    words, out = text.split(), [""]
    for index, word in enumerate(words):
        candidate = f"{out[-1]} {word}".strip()
        if len(candidate) <= per_line:
            out[-1] = candidate
        elif len(out) < lines and out[-1]:
            out.append(word[:per_line])
        else:
            rest = " ".join([out[-1], *words[index:]]).strip()
            out[-1] = rest[: per_line - 1].rstrip() + "…"
            break
    return [line for line in out if line]


def _box_svg(box: Box) -> str:
    node = box.node
    ink, fill = STATUS_COLOURS.get(node.status, STATUS_COLOURS["grey"])
    word = scoring.bands.STATUS_WORDS.get(node.status, node.status)
    full = f"{node.code} {node.name}".strip()
    lines = wrap(full)
    texts = "".join(
        f'<text x="{box.x + 8:.0f}" y="{box.y + 17 + 14 * i:.0f}" font-size="11">{escape(line)}'
        "</text>"
        for i, line in enumerate(lines)
    )
    return (
        f'<a href="{escape(node.url)}"><g class="objective status-{escape(node.status)}">'
        f"<title>{escape(full)} — {escape(word)}</title>"
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
        f'rx="6" fill="{fill}" stroke="{ink}" stroke-width="1.5"/>{texts}'
        f'<text x="{box.x + 8:.0f}" y="{box.y + box.h - 8:.0f}" font-size="10" '
        f'font-weight="700" fill="{ink}">{escape(word.upper())}</text></g></a>'
    )


def _arrow_svg(cause: Box, effect: Box, points: list[tuple[float, float]]) -> str:
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
        f'marker-end="url(#map-arrow)"><title>'
        f"{escape(cause.node.name)} → {escape(effect.node.name)}</title></path>"
    )


def render(layout: MapLayout, *, title: str) -> str:
    """The layout as a standalone SVG document (inline colours: it is also downloaded)."""
    label = escape(title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" '
        f'viewBox="0 0 {layout.width:.0f} {layout.height:.0f}" width="{layout.width:.0f}" '
        f'height="{layout.height:.0f}" aria-label="{label}" '
        f'font-family="system-ui, sans-serif"><title>{label}</title>'
        '<defs><marker id="map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#5b6472"/></marker></defs>'
    ]
    for index, area in enumerate(layout.bands):
        shade = "#f6f7f9" if index % 2 == 0 else "#ffffff"
        parts.append(
            f'<g class="band"><rect x="0" y="{area.y:.0f}" width="{layout.width:.0f}" '
            f'height="{area.height:.0f}" fill="{shade}" stroke="#d5d9e0"/>'
        )
        for i, line in enumerate(wrap(area.band.name, per_line=16, lines=3)):
            parts.append(
                f'<text x="10" y="{area.y + 24 + 15 * i:.0f}" font-size="12" '
                f'font-weight="600">{escape(line)}</text>'
            )
        parts.append("</g>")
    for cause, effect in layout.links:
        points = layout.routes[(cause, effect)]
        parts.append(_arrow_svg(layout.boxes[cause], layout.boxes[effect], points))
    parts.extend(_box_svg(box) for box in layout.boxes.values())
    parts.append("</svg>")
    return "".join(parts)
