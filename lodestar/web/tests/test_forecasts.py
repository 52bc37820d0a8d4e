"""Forecasts where people look: on the key result page (words and the chart's trend line
and interval), the objective page and the alignment tree, in a fixed number of queries.

The crafted series: check-ins 10, 20, 30 on days 7, 35 and 63 of Q4 2026 (1 Oct – 31 Dec,
91 days): 10 more every 28 days, so the line reaches 30 + 10·28/28 = 40 at day 91. The
points sit on the line, so the 95 % interval is 40–40. Baseline 0, target 50: score 0.80.
"""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.web.svg.progress_chart import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
SERIES = ((datetime(2026, 10, 8, 9, tzinfo=UTC), 10), (datetime(2026, 11, 5, 9, tzinfo=UTC), 20),
          (datetime(2026, 12, 3, 9, tzinfo=UTC), 30))  # fmt: skip


def check_in_series(key_result, series=SERIES) -> None:
    # A check-in is never dated ahead of its moment: the series is written as of NOW.
    with time_machine.travel(NOW, tick=False):
        for at, value in series:
            checkin_create(acting=None, key_result=key_result, value=value, confidence=7, at=at)


@pytest.fixture
def objective(world):
    return objective_create(
        acting=None, cycle=world.cycle, title="Grow the community", unit=world.sales
    )


@pytest.fixture
def straight(world, objective):
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Active users",
        owner=world.member,
        baseline=0,
        target=50,
        unit_label="users",
    )
    check_in_series(key_result)
    return key_result


def page_of(client, name: str, pk: int) -> str:
    answer = client.get(reverse(name, args=[pk]))
    assert answer.status_code == 200
    return answer.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_key_result_page_states_the_forecast_in_words(straight, signed_in, world):
    html = page_of(signed_in(world.viewer), "key-result", straight.pk)
    assert (
        "Forecast at cycle end: <strong>40 users</strong> (between 40 and 40, "
        '95 %), score <span class="score">0.80</span> if the trend holds.'
    ) in html


@time_machine.travel(NOW, tick=False)
def test_a_scattered_series_gets_the_wide_interval_three_points_deserve(
    world, objective, signed_in
):
    """10, 22, 30 on days 7, 35, 63: slope 560/1568 = 5/14 a day, intercept 49/6, so
    40.67 at day 91; residuals −2/3, 4/3, −2/3 give s = √(8/3), the prediction's standard
    error s·√(1 + 1/3 + 56²/1568) = 2.981 and, with t(0.975, 1) = 12.706, 2.78 to 78.55."""
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Members",
        owner=world.member,
        target=50,
        unit_label="users",
    )
    check_in_series(key_result, [(at, v) for (at, _), v in zip(SERIES, (10, 22, 30), strict=True)])
    html = page_of(signed_in(world.viewer), "key-result", key_result.pk)
    assert (  # users are counted: whole numbers, 40.67 → 41
        "Forecast at cycle end: <strong>41 users</strong> (between 3 and 79, "
        '95 %), score <span class="score">0.81</span> if the trend holds.'
    ) in html


@time_machine.travel(NOW, tick=False)
def test_the_chart_draws_the_trend_line_to_the_cycle_end_and_its_interval(
    straight, signed_in, world
):
    html = page_of(signed_in(world.viewer), "key-result", straight.pk)
    line = re.search(r'<line class="forecast-line" x1="([\d.]+)" y1="([\d.]+)" '
                     r'x2="([\d.]+)" y2="([\d.]+)"', html)  # fmt: skip
    assert line, "no forecast line"
    x1, y1, x2, y2 = map(float, line.groups())
    # The y scale runs over 0–50 padded by 8 % each side: 46 → TOP, −4 → the bottom.
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h * (54 - value) / 58

    assert x1 == pytest.approx(LEFT + plot_w * 7 / 91, abs=0.06)  # the first check-in
    assert y1 == pytest.approx(y(10), abs=0.06)
    assert x2 == pytest.approx(WIDTH - RIGHT, abs=0.06)  # the cycle end
    assert y2 == pytest.approx(y(40), abs=0.06)
    assert 'class="forecast-interval"' in html and 'class="forecast-wedge"' in html
    assert "Forecast at the cycle end: 40 users, 95 % between 40 users and 40 users" in html


@time_machine.travel(NOW, tick=False)
def test_a_key_result_with_too_few_check_ins_says_so_and_draws_no_line(world, objective, signed_in):
    key_result = key_result_create(
        acting=None, objective=objective, title="Two so far", owner=world.member, target=50
    )
    check_in_series(key_result, SERIES[:2])
    html = page_of(signed_in(world.viewer), "key-result", key_result.pk)
    assert "Not enough check-ins to forecast (2 of the 3 needed)." in html
    assert "forecast-line" not in html and "Forecast at cycle end" not in html


@time_machine.travel(NOW, tick=False)
def test_a_milestone_gets_no_line_and_the_reason(world, objective, signed_in):
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Launch",
        owner=world.member,
        target=1,
        kind="milestone",
    )
    check_in_series(key_result, [(at, 0) for at, _ in SERIES])
    html = page_of(signed_in(world.viewer), "key-result", key_result.pk)
    assert "No trend line for a milestone: it counts as it stands." in html
    assert "forecast-line" not in html


@time_machine.travel(NOW, tick=False)
def test_the_objective_page_gives_its_forecast_score_and_a_column_per_key_result(
    straight, objective, signed_in, world
):
    html = page_of(signed_in(world.viewer), "objective", objective.pk)
    assert "Heading for a score of about 0.80 at the cycle end." in html
    assert '<th scope="col" class="num">Forecast</th>' in html
    assert 'title="From 3 check-ins the trend line ends near 40;' in html


@time_machine.travel(NOW, tick=False)
def test_the_objective_page_says_why_there_is_no_forecast(straight, objective, signed_in, world):
    newer = key_result_create(
        acting=None, objective=objective, title="Referrals", owner=world.member, target=9
    )
    check_in_series(newer, SERIES[:1])
    html = page_of(signed_in(world.viewer), "objective", objective.pk)
    assert "No forecast: 1 of its 2 key results have too few check-ins." in html
    assert "Not enough check-ins to forecast (1 of the 3 needed)." in html  # its cell


@time_machine.travel(NOW, tick=False)
def test_the_tree_shows_each_key_results_forecast_score(straight, signed_in, world):
    # The viewer belongs to no unit: Sales opens as its branch.
    branch = reverse("okr-unit", args=[world.sales.pk])
    answer = signed_in(world.viewer).get(branch, headers={"X-Lodestar-Fragment": "1"})
    html = answer.content.decode()
    cell = re.search(r'<span class="score" title="From 3 check-ins[^"]*">([\d.]+)</span>', html)
    assert cell and cell.group(1) == "0.80"


@time_machine.travel(NOW, tick=False)
def test_forecasts_add_no_query_per_key_result(straight, objective, signed_in, world):
    client = signed_in(world.lead)

    def queries(name: str, *args) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name, args=args)).status_code == 200
        return len(captured)

    pages = [("okr-tree",), ("objective", objective.pk), ("key-result", straight.pk)]
    few = [queries(*page) for page in pages]
    for index in range(4):
        more = key_result_create(
            acting=None, objective=objective, title=f"More {index}", owner=world.member, target=50
        )
        check_in_series(more)
        other = objective_create(
            acting=None, cycle=world.cycle, title=f"Other {index}", unit=world.sales
        )
        check_in_series(
            key_result_create(acting=None, objective=other, title="X", owner=world.lead, target=5)
        )
    assert [queries(*page) for page in pages] == few
