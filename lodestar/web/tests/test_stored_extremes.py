"""Rows already stored with figures far beyond the bound (written before it existed, or
by hand in the database) break no page and no endpoint: a forecast that cannot be
computed says so in words, charts and sparklines still draw, everything answers 200."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from lodestar.conftest import token_client
from lodestar.okrs.models import CheckIn, KeyResult
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.strategy.models import MeasureValue
from lodestar.strategy.services import measure_create, strategic_objective_create

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


@pytest.fixture
def extremes(world):
    """A key result with check-ins of 1e308 and −1e308 and a current of 1e308, and a
    measure whose value is 1e300, all written with the ORM past every check."""
    strategic = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Customer"),
        name="Delight customers",
    )
    measure = measure_create(
        acting=None, objective=strategic, name="Net promoter score", baseline=0, target=50
    )
    objective = objective_create(
        acting=None,
        cycle=world.cycle,
        title="Grow the community",
        unit=world.sales,
        contributes_to=[strategic],
    )
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Active users",
        owner=world.member,
        target=50,
        linked_measure=measure,
    )
    for day, value in ((8, 10), (20, 20)):
        checkin_create(
            acting=None,
            key_result=key_result,
            value=value,
            confidence=7,
            at=datetime(2026, 10, day, 9, tzinfo=UTC),
        )
    for day, value in ((25, 1e308), (28, -1e308), (30, 1e308)):
        CheckIn.objects.create(
            key_result=key_result,
            value=value,
            confidence=5,
            created_at=datetime(2026, 11, day, 9, tzinfo=UTC),
        )
    KeyResult.objects.filter(pk=key_result.pk).update(current=1e308)
    for month in (7, 8, 12):
        MeasureValue.objects.create(
            measure=measure, period=date(2026, month, 1), actual=1e300 if month == 12 else 5
        )
    return key_result, objective, strategic, measure


PAGES = [
    ("dashboard", None),
    ("okr-tree", None),
    ("alignment", None),
    ("my-key-results", None),
    ("heatmap", None),
    ("key-result", "key_result"),
    ("objective", "objective"),
    ("strategic-objective", "strategic"),
    ("measure", "measure"),
    ("scorecard", "scorecard"),
    ("strategy-map", "scorecard"),
    ("strategy-map-svg", "scorecard"),
    ("cycle", "cycle"),
    ("unit", "unit"),
    ("person", "person"),
]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("name", "of"), PAGES)
def test_every_page_answers_200_over_stored_extremes(extremes, world, signed_in, name, of):
    key_result, objective, strategic, measure = extremes
    objects = {
        "key_result": key_result,
        "objective": objective,
        "strategic": strategic,
        "measure": measure,
        "scorecard": world.scorecard,
        "cycle": world.cycle,
        "unit": world.sales,
        "person": world.member,
    }
    args = [objects[of].pk] if of else []
    answer = signed_in(world.member).get(reverse(name, args=args))
    assert answer.status_code == 200


@time_machine.travel(NOW, tick=False)
def test_the_key_result_page_says_why_there_is_no_forecast(extremes, world, signed_in):
    key_result = extremes[0]
    html = signed_in(world.member).get(reverse("key-result", args=[key_result.pk])).content
    assert "too large to forecast" in html.decode()


@time_machine.travel(NOW, tick=False)
def test_the_forecast_endpoint_says_it_cannot_be_computed(extremes, world):
    key_result = extremes[0]
    answer = token_client(world.member).get(f"/api/v1/key-results/{key_result.pk}/forecast")
    assert answer.status_code == 200
    body = answer.json()
    assert body["value"] is None
    assert "too large to forecast" in body["reading"]


API_PATHS = [
    "/api/v1/insights/pace",
    "/api/v1/insights/alerts",
    "/api/v1/insights/alignment",
    "/api/v1/insights/evidence",
    "/api/v1/insights/digest",
    "/api/v1/insights/quality",
    "/api/v1/insights/conflicts",
    "/api/v1/key-results/",
    "/api/v1/checkins/",
    "/api/v1/measure-values/",
    "/api/v1/measures/",
    "/api/v1/key-results/{key_result}",
    "/api/v1/measures/{measure}",
    "/api/v1/objectives/{objective}",
    "/api/v1/scorecards/{scorecard}/summary",
]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("path", API_PATHS)
def test_every_endpoint_answers_200_over_stored_extremes(extremes, world, path):
    key_result, objective, _, measure = extremes
    path = path.format(
        key_result=key_result.pk,
        measure=measure.pk,
        objective=objective.pk,
        scorecard=world.scorecard.pk,
    )
    answer = token_client(world.admin).get(path)
    assert answer.status_code == 200, answer.content[:500]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("name", "of"), [("key-result", 0), ("measure", 3), ("scorecard", None)])
def test_charts_and_sparklines_draw_with_finite_coordinates(extremes, world, signed_in, name, of):
    pk = world.scorecard.pk if of is None else extremes[of].pk
    html = signed_in(world.member).get(reverse(name, args=[pk])).content.decode()
    drawn = re.findall(r"<(?:polyline|path|circle|line|rect)\b[^>]*>", html)
    assert drawn
    coordinates = " ".join(drawn)
    assert not re.search(r"\b(?:nan|inf|infinity)\b", coordinates, re.IGNORECASE)
    assert not re.search(r"\d{7,}", coordinates)  # nothing drawn millions of pixels away
