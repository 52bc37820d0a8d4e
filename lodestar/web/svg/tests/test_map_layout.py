"""The strategy map layout, with no database: 30 objectives and 40 links."""

import random
import xml.etree.ElementTree as ET
from itertools import pairwise

from lodestar.web.svg.strategy_map import (
    BOX_HEIGHT,
    MapBand,
    MapNode,
    crossings,
    layout,
    render,
    wrap,
)

BANDS = [
    MapBand(1, "Learning & Growth", 0),
    MapBand(2, "Internal Process", 1),
    MapBand(3, "Customer", 2),
    MapBand(4, "Financial", 3),
]


def big_map(seed: int = 7):
    rng = random.Random(seed)
    # 30 objectives, crowded into the lower bands so that they wrap into rows.
    sizes = {1: 10, 2: 11, 3: 6, 4: 3}
    nodes, key = [], 0
    for band, size in sizes.items():
        for _ in range(size):
            key += 1
            nodes.append(
                MapNode(key, band, f"Objective number {key} with a long name", "green", f"/o/{key}")
            )
    links: set[tuple[int, int]] = set()
    while len(links) < 40:
        cause, effect = rng.sample(nodes, 2)
        if cause.band < effect.band:
            links.add((cause.key, effect.key))
    return nodes, sorted(links)


def overlap(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def test_it_places_no_two_boxes_on_top_of_each_other():
    nodes, links = big_map()
    boxes = list(layout(BANDS, nodes, links).boxes.values())
    assert len(boxes) == 30
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_it_keeps_every_box_inside_its_band_and_the_picture():
    nodes, links = big_map()
    result = layout(BANDS, nodes, links)
    areas = {area.band.key: area for area in result.bands}
    for box in result.boxes.values():
        area = areas[box.node.band]
        assert area.y <= box.y and box.y + box.h <= area.y + area.height
        assert box.x >= 0 and box.x + box.w <= result.width


def test_it_wraps_a_full_band_into_several_rows():
    nodes, links = big_map()
    result = layout(BANDS, nodes, links)
    process = next(area for area in result.bands if area.band.name == "Internal Process")
    assert process.height > 3 * BOX_HEIGHT  # 11 boxes at 5 a row: three rows


def test_it_puts_position_zero_at_the_bottom():
    nodes, links = big_map()
    result = layout(BANDS, nodes, links)
    assert [area.band.position for area in result.bands] == [3, 2, 1, 0]
    assert result.bands[-1].y > result.bands[0].y


def test_it_crosses_fewer_arrows_than_the_naive_order():
    for seed in (1, 7, 42):
        nodes, links = big_map(seed)
        naive = crossings(layout(BANDS, nodes, links, arrange=False).boxes, links)
        arranged = crossings(layout(BANDS, nodes, links).boxes, links)
        assert arranged < naive, seed


def test_it_renders_every_box_as_a_link_with_its_full_name_and_status_word():
    nodes, links = big_map()
    svg = render(layout(BANDS, nodes, links), title="Map <FY>")
    root = ET.fromstring(svg)  # well-formed XML, so the text was escaped
    ns = "{http://www.w3.org/2000/svg}"
    anchors = root.findall(f"{ns}a")
    assert len(anchors) == 30
    assert {a.get("href") for a in anchors} == {f"/o/{n}" for n in range(1, 31)}
    assert root.find(f"{ns}title").text == "Map <FY>"
    assert "Objective number 5 with a long name — on target" in svg
    assert "ON TARGET" in svg
    assert svg.count("marker-end") == 40


def test_it_escapes_names_and_urls():
    node = MapNode(1, 1, 'R&D <script>"x"', "red", "/o/1?a=1&b=2")
    svg = render(layout(BANDS, [node], []), title="t")
    assert "<script>" not in svg
    assert "R&amp;D &lt;script&gt;" in svg
    assert 'href="/o/1?a=1&amp;b=2"' in svg
    ET.fromstring(svg)


def test_it_wraps_long_names_onto_lines_and_never_cuts_them():
    assert wrap("Grow net revenue retention", per_line=21) == ["Grow net revenue", "retention"]
    name = "Become the most trusted analytics partner in the mid-market"
    lines = wrap(name, per_line=21)
    assert " ".join(lines) == name and all(len(line) <= 21 for line in lines)
    assert wrap("Supercalifragilisticexpialidocious", per_line=10) == [
        "Supercalif",
        "ragilistic",
        "expialidoc",
        "ious",
    ]


def test_boxes_grow_to_hold_the_longest_name_whole():
    long_name = "Develop customer-success skills across every regional team we run"
    nodes = [MapNode(1, 1, long_name, "green", "/o/1", "L2"), MapNode(2, 2, "Short", "red", "/o/2")]
    result = layout(BANDS, nodes, [(1, 2)])
    lines = wrap(f"L2 {long_name}")
    assert len(lines) > 2
    assert {box.h for box in result.boxes.values()} == {BOX_HEIGHT + 14 * (len(lines) - 2)}
    svg = render(result, title="t")
    assert "…" not in svg
    for line in lines:
        assert f">{line}</text>" in svg
    assert f"<title>L2 {long_name} — on target</title>" in svg


def test_the_drawing_scales_to_its_container_with_no_pixel_width():
    root = ET.fromstring(render(layout(BANDS, *big_map()), title="t"))
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("viewBox").startswith("0 0 1040 ")


def test_a_phone_drawing_puts_band_names_above_two_boxes_a_row():
    nodes, links = big_map()
    result = layout(BANDS, nodes, links, width=340)
    assert result.labels_above
    for box in result.boxes.values():
        assert box.x >= 0 and box.x + box.w <= 340
    for area in result.bands:
        inside = [b for b in result.boxes.values() if area.y <= b.y < area.y + area.height]
        assert all(b.y >= area.y + 8 + 15 * len(area.label) for b in inside)
        rows = [b.y for b in inside]
        assert all(rows.count(y) <= 2 for y in rows)
    boxes = list(result.boxes.values())
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    svg = render(result, title="t")
    assert 'id="map-arrow-340"' in svg and "url(#map-arrow-340)" in svg


def segment_hits_box(p, q, box, inset: float = 1.0) -> bool:
    """Liang-Barsky: does segment p-q enter the box (shrunk by `inset`)?"""
    (x1, y1), (x2, y2) = p, q
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    edges = (
        (-dx, x1 - (box.x + inset)),
        (dx, (box.x + box.w - inset) - x1),
        (-dy, y1 - (box.y + inset)),
        (dy, (box.y + box.h - inset) - y1),
    )
    for step, room in edges:
        if step == 0:
            if room < 0:
                return False
        elif step < 0:
            low = max(low, room / step)
        else:
            high = min(high, room / step)
        if low > high:
            return False
    return True


def test_no_arrow_runs_through_a_box_it_does_not_join():
    for seed in (1, 7, 42):
        nodes, links = big_map(seed)
        result = layout(BANDS, nodes, links)
        for link, points in result.routes.items():
            for key, box in result.boxes.items():
                if key in link:
                    continue
                for p, q in pairwise(points):
                    assert not segment_hits_box(p, q, box), (seed, link, key)


def test_arrows_on_one_edge_do_not_share_a_point():
    nodes, links = big_map()
    result = layout(BANDS, nodes, links)
    ends = [tuple(round(c) for c in points[-1]) for points in result.routes.values()]
    starts = [tuple(round(c) for c in points[0]) for points in result.routes.values()]
    assert len(set(ends)) == len(ends) and len(set(starts)) == len(starts)


def test_a_wrapped_band_puts_boxes_linked_upwards_in_its_top_row():
    lower = [MapNode(k, 2, f"P{k}", "green", f"/o/{k}") for k in range(1, 8)]
    above = MapNode(10, 3, "Customer goal", "green", "/o/10")
    below = MapNode(11, 1, "People goal", "green", "/o/11")
    links = [(6, 10), (7, 10), (11, 1), (11, 2)]
    result = layout(BANDS, [*lower, above, below], links)
    top_row = min(result.boxes[k].y for k in range(1, 8))
    assert result.boxes[6].y == result.boxes[7].y == top_row
    assert result.boxes[1].y > top_row and result.boxes[2].y > top_row
