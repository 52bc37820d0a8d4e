"""One truthful picture: the demo's figures can be checked by hand. A linked measure
stands where its key result stands, no month is measured before it ends, the closed
quarter was reviewed, and the colours and trends are a real company's mix. Checked on
the demo as of the fixed day the other tests use and as of the day the suite runs."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from lodestar.conftest import DEMO_TODAY, FAST_HASHERS
from lodestar.demo.build import demo_create
from lodestar.exchange.models import ImportKey
from lodestar.okrs.models import KeyResult, Objective
from lodestar.org.models import Person
from lodestar.scores.words import okr_colour_of
from lodestar.scoring.history import trend
from lodestar.scoring.periods import next_period_start
from lodestar.strategy.models import Measure, MeasureValue
from lodestar.strategy.selectors import company_scorecard
from lodestar.web.pagedata.strategy import score_history


@pytest.fixture(scope="module", params=["fixed day", "today"])
def built(request, django_db_setup, django_db_blocker):
    """The demo built as of the day, kept for the module's tests, then rolled back."""
    today = DEMO_TODAY if request.param == "fixed day" else timezone.localdate()
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
    ):
        demo_create(today=today, say=lambda line: None)
        yield today
        transaction.set_rollback(True)


def test_every_linked_measure_stands_at_its_key_results_current_value(built):
    linked = KeyResult.objects.filter(linked_measure__isnull=False, cycle__state="active")
    assert linked.count() >= 10
    for key_result in linked.select_related("linked_measure"):
        latest = key_result.linked_measure.values.order_by("-period").first()
        assert latest.actual == key_result.current, key_result.title


def test_no_measure_has_a_value_for_a_period_not_yet_over(built):
    values = MeasureValue.objects.select_related("measure")
    assert values.count() >= 200
    for value in values:
        ends = next_period_start(value.measure.frequency, value.period) - timedelta(days=1)
        assert ends < built, (value.measure.name, value.period)


def test_the_closed_cycle_is_graded_with_retrospectives(built):
    closed = Objective.objects.filter(cycle__state="closed")
    assert closed.count() == 5
    for objective in closed:
        assert objective.final_grade is not None and objective.retrospective.strip(), objective


def test_green_yellow_and_red_occur_in_the_strategy_and_in_the_okrs(built):
    measures = Counter(Measure.objects.values_list("status", flat=True))
    okrs = Counter(
        okr_colour_of(o.final_grade if o.cycle.state == "closed" else o.score)
        for o in Objective.objects.filter(visibility="public").select_related("cycle")
    )
    for colours in (measures, okrs):
        assert {"green", "yellow", "red"} <= set(colours), colours


def test_the_perspectives_do_not_all_fall(built):
    """Judged on the finished months, the ones with values."""
    scorecard = company_scorecard()
    past = score_history(scorecard, built.replace(day=1) - timedelta(days=1))
    trends = [trend(series) for series in past.perspectives.values()]
    assert len(trends) == 4
    assert set(trends) != {"down"}


def test_on_the_fixed_day_some_perspectives_rise_and_financial_falls(built):
    if built != DEMO_TODAY:
        pytest.skip("the mix of a given day")
    scorecard = company_scorecard()
    past = score_history(scorecard, built.replace(day=1) - timedelta(days=1))
    trends = {p.name: trend(past.perspectives[p.pk]) for p in scorecard.perspectives.all()}
    assert trends["Financial"] == "down"  # net revenue retention slipped last month
    assert list(trends.values()).count("up") >= 2


def test_the_demo_is_its_workbook_imported_then_given_passwords(built):
    assert ImportKey.objects.filter(model="okrs.keyresult", key="cs-kr1").exists()
    assert Person.objects.get(username="ceo").check_password("lodestar-demo")
