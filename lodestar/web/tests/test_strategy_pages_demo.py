"""Strategy pages on the demo organisation: every row answers, the figures shown are the
stored scores, and query counts do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from lodestar.org.models import Person, Unit
from lodestar.strategy.models import Initiative, Measure, Scorecard, StrategicObjective
from lodestar.web.tests.strategy_data import company_scorecard, grow


@pytest.fixture
def ceo(demo_org, db):
    return Person.objects.get(username="ceo")


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


# --- on the demo -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, model",
    [
        ("scorecard", Scorecard),
        ("strategic-objective", StrategicObjective),
        ("measure", Measure),
        ("initiative", Initiative),
    ],
)
def test_every_strategy_page_answers_for_every_row_of_the_demo(ceo, signed_in, name, model):
    client = signed_in(ceo)
    for pk in model.objects.values_list("pk", flat=True):
        assert client.get(reverse(name, args=[pk])).status_code == 200, (name, pk)


def test_the_scorecard_table_shows_the_stored_scores(ceo, signed_in):
    card = company_scorecard()
    page = signed_in(ceo).get(reverse("scorecard", args=[card.pk])).content.decode()
    assert f"{card.score:.2f}" in page and f"{card.execution:.2f}" in page
    for objective in StrategicObjective.objects.filter(scorecard=card):
        assert escape(objective.name) in page
        assert f"{objective.performance:.2f}" in page
    measure = Measure.objects.filter(objective__scorecard=card).first()
    latest = measure.values.order_by("-period").first()
    assert f"{latest.actual:.2f}".rstrip("0").rstrip(".") in page
    assert (
        page.count('class="chart sparkline-chart"')
        == Measure.objects.filter(objective__scorecard=card).count()
    )


def test_the_scorecard_list_shows_every_scorecard_with_its_scores(ceo, signed_in):
    page = signed_in(ceo).get(reverse("scorecard-list")).content.decode()
    for card in Scorecard.objects.all():
        assert escape(card.name) in page
        assert f"{card.score:.2f}" in page


def test_the_strategic_objective_page_sets_performance_beside_execution(ceo, signed_in):
    objective = StrategicObjective.objects.get(code="C1")
    page = signed_in(ceo).get(reverse("strategic-objective", args=[objective.pk])).content.decode()
    assert f"{objective.performance:.2f}" in page and f"{objective.execution:.2f}" in page
    gap = objective.execution - objective.performance
    assert f"{gap:.2f}" in page
    for okr in objective.okr_objectives.filter(cycle__state="active"):
        assert reverse("objective", args=[okr.pk]) in page
    for link in objective.cause_links.all():
        assert reverse("strategic-objective", args=[link.cause_id]) in page
    for child in objective.children.all():
        assert reverse("strategic-objective", args=[child.pk]) in page
    assert page.count('class="chart"') == objective.measures.count()


def test_strategy_page_query_counts_do_not_grow_with_the_data(ceo, signed_in):
    client = signed_in(ceo)
    objective = StrategicObjective.objects.get(code="C1")
    measure = objective.measures.first()
    initiative = objective.initiatives.first()
    urls = {
        "list": reverse("scorecard-list"),
        "scorecard": reverse("scorecard", args=[objective.scorecard_id]),
        "objective": reverse("strategic-objective", args=[objective.pk]),
        "measure": reverse("measure", args=[measure.pk]),
        "initiative": reverse("initiative", args=[initiative.pk]),
    }
    client.get(urls["list"])  # session and user loaded once, as for every later page
    before = {label: queries_of(client, url) for label, url in urls.items()}
    grow(objective=objective, unit=Unit.objects.get(name="Customer Success"), measure=measure)
    after = {label: queries_of(client, url) for label, url in urls.items()}
    assert after == before
    assert max(before.values()) <= 17  # 16, and 1 for an object's history
