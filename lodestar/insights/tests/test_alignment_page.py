from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from lodestar.insights.alert_groups import grouped_alerts_for
from lodestar.insights.alerts import alerts_for
from lodestar.insights.snoozes import alert_snooze
from lodestar.insights.tests.test_alerts import PRIVATE
from lodestar.org.models import Person, Unit

PAGE = reverse("alignment")


@pytest.fixture
def demo(demo_org, db):
    with time_machine.travel(datetime(2026, 11, 22, 12, 0, tzinfo=UTC), tick=False):
        yield


def test_it_shows_every_section_of_the_demo(demo, signed_in, django_assert_max_num_queries):
    client = signed_in(Person.objects.get(username="ceo"))
    # computed (the first reader since the last change): the snapshot's queries, the kept
    # row's read and write (a new key: with the pruning of the day-old rows and changes);
    # a reader after it takes 10 (test_alignment_page_queries)
    with django_assert_max_num_queries(28):
        page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "Modernise the internal wiki",  # orphan
        "F1 Grow recurring revenue",  # unserved
        "starved",
        "execution without impact",
        "Activity, not outcome",
        "Gross margin</a> is pushed up by",
        "Noah Fischer</a> owns 6 key results (the limit is 5)",
        "Legal</a> has no OKRs this cycle",
        "Lag 3: r (n)",
        # Ship faster: a quiet key result
        '<span class="badge pace-stale" title="Pace">stale</span>',
        "Heading for a score of about",
        "not proof",
    ):
        assert text in html, text


def test_its_alerts_link_to_their_subjects(demo, signed_in):
    html = signed_in(Person.objects.get(username="ceo")).get(PAGE).content.decode()
    legal = Unit.objects.get(name="Legal")
    assert f'href="{reverse("unit", args=[legal.pk])}"' in html


def test_it_hides_private_objectives_from_those_who_may_not_see_them(demo, signed_in):
    html = signed_in(Person.objects.get(username="ae.one")).get(PAGE).content.decode()
    assert not any(title in html for title in PRIVATE)
    lead_html = signed_in(Person.objects.get(username="cs.lead")).get(PAGE).content.decode()
    assert all(title in lead_html for title in PRIVATE)


def test_it_narrows_to_one_unit(demo, signed_in):
    legal = Unit.objects.get(name="Legal")
    page = signed_in(Person.objects.get(username="ceo")).get(PAGE, {"unit": legal.pk})
    html = page.content.decode()
    assert "Alignment: <a" in html
    assert "Modernise the internal wiki" not in html
    assert "Legal</a> has no OKRs this cycle" in html


def test_an_unknown_unit_is_a_404_and_strangers_sign_in_first(demo, client, signed_in):
    ceo = signed_in(Person.objects.get(username="ceo"))
    assert ceo.get(PAGE, {"unit": 999999}).status_code == 404
    assert client.get(PAGE).status_code == 302


def test_it_lists_every_alert_one_by_one_snoozed_or_not(demo, signed_in):
    ceo = Person.objects.get(username="ceo")
    [group, *_] = grouped_alerts_for(ceo, unit=None, now=timezone.now()).groups
    alert_snooze(acting=ceo, group=group.key, length="week")  # the dashboard's, not this page's
    html = signed_in(ceo).get(PAGE).content.decode()
    alerts = alerts_for(ceo)
    assert 0 < len(alerts) <= 50  # one page
    for alert in alerts:
        assert escape(alert.message) in html
