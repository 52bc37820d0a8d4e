import re
import xml.etree.ElementTree as ET
from datetime import date

from lodestar.web.svg.charts import bar, line_chart, sparkline

NS = "{http://www.w3.org/2000/svg}"


def test_a_sparkline_breaks_its_line_at_a_gap_instead_of_drawing_zero():
    svg = sparkline([0.2, 0.4, None, 0.6, 0.8], label="Customer trend")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Customer trend"
    assert len(root.findall(f"{NS}path")) == 2


def test_a_sparkline_with_no_values_draws_no_line():
    root = ET.fromstring(sparkline([None, None], label="none"))
    assert root.findall(f"{NS}path") == []


def test_a_line_chart_draws_points_target_and_bands():
    points = [(date(2026, m, 1), v) for m, v in ((1, 60.0), (2, 65.0), (3, 72.5))]
    svg = line_chart(
        points, title="Onboarding <rate>", target=85, bands=[(60, 77.5, "yellow")], unit=" %"
    )
    root = ET.fromstring(svg)
    assert root.find(f"{NS}title").text == "Onboarding <rate>"
    assert len(root.findall(f"{NS}circle")) == 3
    assert root.find(f"{NS}line").get("class") == "target"
    assert "target 85 %" in svg
    assert "Mar 2026: 72.5 %" in svg
    assert "Jan 2026" in svg


def test_a_line_chart_without_values_says_so():
    assert "No values yet" in line_chart([], title="empty")


def test_a_bar_fills_its_share_and_clamps():
    assert 'width="50"' in bar(0.5, label="half")
    assert 'width="100" height="10" fill="#1e7b45"' in bar(1.7, label="over", status="green")
    assert bar(None, label="n/a").count("<rect") == 2


def finite_coordinates(svg: str) -> bool:
    root = ET.fromstring(svg)
    numbers = []
    for element in root.iter():
        for name in ("d", "points", "cx", "cy", "x1", "x2", "y1", "y2", "y", "height"):
            numbers += re.findall(r"-?[\d.]+|nan|inf", element.get(name, ""))
    return bool(numbers) and all(n not in ("nan", "inf") and abs(float(n)) < 1e4 for n in numbers)


def test_charts_draw_figures_near_the_float_limit_at_their_edge():
    """Rows stored before the input bound: ±1e308 overflow any span; drawn at the edge."""
    extremes = [5.0, 1e308, -1e308, None, 7.0]
    assert finite_coordinates(sparkline(extremes, label="s"))
    points = [(date(2026, month, 1), value) for month, value in enumerate(extremes, 1)]
    assert finite_coordinates(
        line_chart(points, title="t", target=-1e308, bands=[(0, 1e308, "red")])
    )
