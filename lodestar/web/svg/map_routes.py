"""Arrows of the strategy map: where they attach to the boxes and how they run.

- An arrow leaves the cause by the edge facing the effect and enters the effect by the
  edge facing the cause. Several arrows on one edge are spread along it, ordered by
  where their other end lies, so that they neither share a point nor cross at the box.
- Between neighbouring rows an arrow runs straight across the gap between them.
- Across rows in between, it runs orthogonally around the boxes: into the gap next to
  its own row, along it to a vertical channel that no box of the rows in between
  covers (the one nearest the arrow's ends; arrows sharing a channel are set apart),
  through the channel, and along the gap next to the other end's row.
- Side by side in one row with no box between: edge to edge. Further apart in one row:
  down into the gap below the row, along it and back up.
- Every horizontal run in a gap gets a track of its own, spread over the gap's height.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

Point = tuple[float, float]
Link = tuple[int, int]
MARGIN = 6  # clearance kept around every box
SPREAD = 0.7  # ports use the middle 70 % of an edge
CHANNEL_STEP = 7  # distance between arrows sharing a channel


class BoxLike(Protocol):
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float: ...

    @property
    def cy(self) -> float: ...


def _free_intervals(row: Sequence[BoxLike], left: float, right: float) -> list[tuple[float, float]]:
    free, start = [], left
    for box in sorted(row, key=lambda b: b.x):
        if box.x - MARGIN > start:
            free.append((start, box.x - MARGIN))
        start = max(start, box.x + box.w + MARGIN)
    if right > start:
        free.append((start, right))
    return free


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]):
    return [(max(a0, b0), min(a1, b1)) for a0, a1 in a for b0, b1 in b if max(a0, b0) < min(a1, b1)]


def route_all(
    boxes: dict[int, BoxLike], links: Sequence[Link], *, left: float, right: float, edge_gap: float
) -> dict[Link, list[Point]]:
    """The path of every link, first point on the cause, last on the effect."""
    tops = sorted({box.y for box in boxes.values()})
    row_of = {key: tops.index(box.y) for key, box in boxes.items()}
    rows: dict[int, list[BoxLike]] = defaultdict(list)
    for key, box in boxes.items():
        rows[row_of[key]].append(box)
    height = next(iter(boxes.values())).h if boxes else 0

    def gap(row: int, upward: bool) -> tuple[float, float]:
        """The free band of y above (upward) or below a row, as (top, bottom)."""
        top, bottom = tops[row], tops[row] + height
        if upward:
            return (tops[row - 1] + height if row > 0 else top - edge_gap, top)
        return (bottom, tops[row + 1] if row + 1 < len(tops) else bottom + edge_gap)

    kinds: dict[Link, str] = {}
    ports: dict[tuple[int, str], list[tuple[float, Link, int]]] = defaultdict(list)
    for link in links:
        cause, effect = link
        a, b = boxes[cause], boxes[effect]
        if row_of[cause] == row_of[effect]:
            low, high = sorted((a.cx, b.cx))
            blocked = any(low < box.cx < high for box in rows[row_of[cause]])
            kinds[link] = "below" if blocked else "side"
            sides = ("bottom", "bottom") if blocked else (None, None)
        else:
            kinds[link] = "vertical"
            up = row_of[effect] < row_of[cause]
            sides = ("top", "bottom") if up else ("bottom", "top")
        for end, (key, other, side) in enumerate(((cause, b, sides[0]), (effect, a, sides[1]))):
            if side:
                ports[(key, side)].append((other.cx, link, end))
    port_x: dict[tuple[Link, int], float] = {}
    for (key, _side), attached in ports.items():
        box = boxes[key]
        attached.sort(key=lambda item: item[0])
        for index, (_, link, end) in enumerate(attached):
            share = (index + 1) / (len(attached) + 1)
            port_x[(link, end)] = box.x + box.w * ((1 - SPREAD) / 2 + SPREAD * share)

    used: list[float] = []
    routes: dict[Link, list[Point]] = {}
    tracks: dict[tuple[float, float], list[tuple[float, Link, tuple[int, int]]]] = defaultdict(list)
    for link in links:
        cause, effect = link
        a, b = boxes[cause], boxes[effect]
        if kinds[link] == "side":
            if a.cx < b.cx:
                routes[link] = [(a.x + a.w, a.cy), (b.x, b.cy)]
            else:
                routes[link] = [(a.x, a.cy), (b.x + b.w, b.cy)]
            continue
        x1, x2 = port_x[(link, 0)], port_x[(link, 1)]
        if kinds[link] == "below":
            routes[link] = [(x1, a.y + a.h), (x1, 0), (x2, 0), (x2, b.y + b.h)]
            tracks[gap(row_of[cause], upward=False)].append((min(x1, x2), link, (1, 2)))
            continue
        up = row_of[effect] < row_of[cause]
        y1 = a.y if up else a.y + a.h
        y2 = b.y + b.h if up else b.y
        between = range(min(row_of[cause], row_of[effect]) + 1, max(row_of[cause], row_of[effect]))
        if not between:
            routes[link] = [(x1, y1), (x2, y2)]
            continue
        free = [(left, right)]
        for row in between:
            free = _intersect(free, _free_intervals(rows[row], left, right))
        channel = _channel(free, (x1 + x2) / 2, used)
        if channel is None:  # no clear channel: fall back to the straight line
            routes[link] = [(x1, y1), (x2, y2)]
            continue
        used.append(channel)
        routes[link] = [(x1, y1), (x1, 0), (channel, 0), (channel, 0), (x2, 0), (x2, y2)]
        tracks[gap(row_of[cause], upward=up)].append((min(x1, channel), link, (1, 2)))
        tracks[gap(row_of[effect], upward=not up)].append((min(x2, channel), link, (3, 4)))
    # Each horizontal run in a gap gets its own track, so runs never lie on each other.
    for (top, bottom), runs in tracks.items():
        runs.sort(key=lambda run: run[0])
        for index, (_, link, points) in enumerate(runs):
            y = top + (bottom - top) * (index + 1) / (len(runs) + 1)
            for point in points:
                routes[link][point] = (routes[link][point][0], y)
    return routes


def _channel(free: list[tuple[float, float]], wanted: float, used: list[float]) -> float | None:
    """The free x nearest `wanted`, kept apart from channels already taken."""
    candidates = []
    for low, high in free:
        if high - low < 2:
            continue
        x = min(max(wanted, low + 1), high - 1)
        for step in range(12):
            shifted = x + CHANNEL_STEP * ((step + 1) // 2) * (1 if step % 2 else -1)
            if low < shifted < high and all(abs(shifted - u) >= CHANNEL_STEP for u in used):
                x = shifted
                break
        candidates.append(x)
    return min(candidates, key=lambda x: abs(x - wanted)) if candidates else None
