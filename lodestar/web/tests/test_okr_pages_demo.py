"""The cycle review and the forecasts on the demo organisation (as of 2026-11-22): the
pages answer with figures in a fixed number of queries whoever asks."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from lodestar.okrs.models import Cycle, KeyResult, Objective
from lodestar.org.models import Person

DEMO_NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


@pytest.mark.parametrize("username", ["admin", "ceo"])
def test_the_demo_cycle_reviews_load_in_a_fixed_number_of_queries(
    demo_org, db, signed_in, django_assert_max_num_queries, username
):
    client = signed_in(Person.objects.get(username=username))
    for cycle in Cycle.objects.all():
        # 11 (the page's rows read apart from the summary), 1 for the history, and in
        # the active cycle 1 for the rows' key results (their pace)
        with django_assert_max_num_queries(13):
            page = client.get(reverse("cycle", args=[cycle.pk]))
        assert page.status_code == 200
        review = page.context["review"]
        if cycle.state == Cycle.State.CLOSED and review.rows:
            assert review.judged > 0 and review.average_grade is not None
            assert "grade-form" in page.content.decode()  # both may change demo objectives


@time_machine.travel(DEMO_NOW, tick=False)
def test_the_demo_pages_show_forecasts_in_a_fixed_number_of_queries(
    demo_org, db, signed_in, django_assert_max_num_queries
):
    client = signed_in(Person.objects.get(username="ceo"))
    active = Cycle.objects.get(state=Cycle.State.ACTIVE)
    objective = Objective.objects.filter(cycle=active, holdings__isnull=False).first()
    with django_assert_max_num_queries(16):  # 14, and 2 for the history
        page = client.get(reverse("objective", args=[objective.pk]))
    assert "Forecast at cycle end" in page.content.decode()
    assert page.context["forecast"].reading
    metric = KeyResult.objects.filter(cycle=active, kind="metric", checkins__isnull=False).first()
    # 14, 1 for the history, 1 for its comments and 1 for the reader's follow switch
    with django_assert_max_num_queries(17):
        page = client.get(reverse("key-result", args=[metric.pk]))
    html = page.content.decode()
    assert "Forecast at cycle end:" in html or "Not enough check-ins" in html
