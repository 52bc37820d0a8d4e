"""The key result progress chart: a pure function from figures to SVG text."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from lodestar.scoring.numbers import FigureStyle
from lodestar.web.svg.progress_chart import progress_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
CYCLE = {"start": date(2026, 10, 1), "end": date(2026, 12, 31)}


def chart(**changes) -> ET.Element:
    args = dict(
        checkins=[(date(2026, 10, 8), 10.0), (date(2026, 10, 15), 25.0)],
        baseline=0.0,
        target=100.0,
        today=date(2026, 11, 16),
        style=FigureStyle("%"),
        **CYCLE,
    )
    return ET.fromstring(progress_chart(**{**args, **changes}))


def line(svg: ET.Element, name: str) -> ET.Element:
    return svg.find(f".//svg:line[@class='{name}']", NS)


def test_it_draws_the_expected_pace_from_baseline_at_start_to_target_at_end():
    svg = chart()
    pace, baseline, target = line(svg, "expected-pace"), line(svg, "baseline"), line(svg, "target")
    assert pace.get("y1") == baseline.get("y1")
    assert pace.get("y2") == target.get("y1")
    assert float(pace.get("x1")) < float(pace.get("x2"))


def test_it_marks_today_halfway_through_the_cycle():
    svg = chart()
    today = float(line(svg, "today").get("x1"))
    start = float(line(svg, "expected-pace").get("x1"))
    end = float(line(svg, "expected-pace").get("x2"))
    assert (today - start) / (end - start) == pytest.approx(46 / 91, abs=0.01)


def test_it_leaves_out_today_outside_the_cycle():
    assert line(chart(today=date(2027, 2, 1)), "today") is None


def test_each_check_in_is_a_point_with_its_value_in_words():
    svg = chart()
    points = svg.findall(".//svg:circle", NS)
    assert [p.find("svg:title", NS).text for p in points] == [
        "8 Oct 2026: 10%",
        "15 Oct 2026: 25%",
    ]  # the pages' one date style (issue 21, finding 8), not "08 Oct 2026"
    assert svg.find(".//svg:polyline[@class='checkins']", NS) is not None


def test_a_higher_value_is_drawn_higher_even_when_the_target_is_below_the_baseline():
    svg = chart(baseline=40.0, target=10.0, checkins=[(date(2026, 10, 8), 35.0)])
    assert float(line(svg, "baseline").get("y1")) < float(line(svg, "target").get("y1"))


def test_it_works_without_check_ins_and_escapes_the_title():
    svg = chart(checkins=[], title="<Revenue & more>")
    assert "<Revenue & more>" in svg.get("aria-label")
    assert svg.findall(".//svg:circle", NS) == []
