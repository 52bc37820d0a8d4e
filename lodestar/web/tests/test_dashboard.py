"""The unified dashboard: strategy health and execution health on one page."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from lodestar.okrs.models import KeyResult, Objective
from lodestar.org.models import Person
from lodestar.strategy.models import Perspective, Scorecard


@pytest.fixture
def ceo(demo_org, db):
    return Person.objects.get(username="ceo")


def test_it_shows_the_stored_scores_of_the_company_scorecard(ceo, signed_in):
    response = signed_in(ceo).get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    scorecard = Scorecard.objects.get(unit__parent__isnull=True)
    assert f"{scorecard.score:.2f}" in page
    for perspective in Perspective.objects.filter(scorecard=scorecard):
        assert escape(perspective.name) in page
        if perspective.score is not None:
            assert f"{perspective.score:.2f}" in page
    assert 'class="map"' in page
