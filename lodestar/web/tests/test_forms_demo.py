"""Form pages on the demo organisation (hundreds of rows) stay within the query budget
asserted on the small test organisation (its own module: the demo rows live for the
whole module)."""

import pytest
from django.urls import reverse

from lodestar.okrs.models import Objective
from lodestar.org.models import Membership, Person
from lodestar.strategy.models import Measure, Scorecard
from lodestar.web.tests.form_assertions import page_queries

pytestmark = pytest.mark.usefixtures("demo_org")


def test_okr_form_pages_on_the_demo_organisation_stay_within_their_budget(db, signed_in):
    lead = Membership.objects.filter(role="lead").select_related("person", "unit")[0]
    objective = Objective.objects.filter(unit=lead.unit, visibility="public")[0]
    key_result = objective.key_results.all()[0]
    client = signed_in(lead.person)
    counts = {
        url: page_queries(client, url)
        for url in (
            reverse("objective-new"),
            reverse("objective-edit", args=[objective.pk]),
            reverse("key-result-new", args=[objective.pk]),
            reverse("key-result-hold", args=[objective.pk]),
            reverse("key-result-edit", args=[key_result.pk]),
        )
    }
    assert max(counts.values()) <= 16, counts


def test_strategy_form_pages_on_the_demo_organisation_stay_within_their_budget(db, signed_in):
    office = Person.objects.filter(role="strategy_office")[0]
    scorecard = Scorecard.objects.filter(unit__parent__isnull=True)[0]
    goal = scorecard.strategic_objectives.all()[0]
    measure = Measure.objects.filter(objective__scorecard=scorecard)[0]
    client = signed_in(office)
    counts = {
        url: page_queries(client, url)
        for url in (
            reverse("scorecard-new"),
            reverse("strategic-objective-new", args=[scorecard.pk]),
            reverse("strategic-objective-edit", args=[goal.pk]),
            reverse("link-new", args=[scorecard.pk]),
            reverse("measure-edit", args=[measure.pk]),
            reverse("measure-value-new", args=[measure.pk]),
            reverse("initiative-new"),
        )
    }
    assert max(counts.values()) <= 12, counts
