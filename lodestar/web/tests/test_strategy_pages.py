"""Scorecard list and table, strategic objective, measure and initiative pages."""

import pytest
from django.urls import reverse

from lodestar.org.models import Person
from lodestar.strategy.models import Initiative, Measure, Scorecard, StrategicObjective


@pytest.fixture
def ceo(demo_org, db):
    return Person.objects.get(username="ceo")


@pytest.mark.parametrize(
    "name, model",
    [
        ("scorecard", Scorecard),
        ("strategy-map", Scorecard),
        ("strategy-map-svg", Scorecard),
        ("strategic-objective", StrategicObjective),
        ("measure", Measure),
        ("initiative", Initiative),
    ],
)
def test_every_strategy_page_answers_for_every_row_of_the_demo(ceo, signed_in, name, model):
    client = signed_in(ceo)
    for pk in model.objects.values_list("pk", flat=True):
        assert client.get(reverse(name, args=[pk])).status_code == 200, (name, pk)


@pytest.mark.parametrize("name", ["scorecard-list", "heatmap", "unit-list"])
def test_the_list_pages_answer(ceo, signed_in, name):
    assert signed_in(ceo).get(reverse(name)).status_code == 200


def test_every_unit_page_answers(ceo, signed_in):
    from lodestar.org.models import Unit

    client = signed_in(ceo)
    for pk in Unit.objects.values_list("pk", flat=True):
        assert client.get(reverse("unit", args=[pk])).status_code == 200
