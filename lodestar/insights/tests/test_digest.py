from datetime import UTC, date, datetime

import pytest
import time_machine

from lodestar.insights.alerts import SEVERITY
from lodestar.insights.digest import SECTIONS, digest_for, weekly_digests
from lodestar.org.models import Person, Unit


@pytest.fixture
def demo(demo_org, db):
    with time_machine.travel(datetime(2026, 11, 22, 12, 0, tzinfo=UTC), tick=False):
        yield


def test_every_alert_kind_has_a_digest_section():
    assert set().union(*SECTIONS.values()) == set(SEVERITY)


def test_it_makes_one_digest_per_unit_lead_and_one_for_the_company(demo):
    digests = weekly_digests(today=date(2026, 11, 22))
    leads = Person.objects.filter(memberships__role="lead").count()
    assert len(digests) == leads == 13
    company = [d for d in digests if d.unit is None]
    assert [d.recipient.username for d in company] == ["ceo"]
    assert {d.week_of for d in digests} == {date(2026, 11, 16)}


def test_a_leads_digest_covers_the_units_subtree_by_section(demo):
    people = Unit.objects.get(name="People")
    lead = Person.objects.get(username="people.lead")
    digest = digest_for(lead, unit=people, today=date(2026, 11, 22))
    assert digest.title == "Weekly digest for People, week of 16 November 2026"
    assert [a.subject for a in digest.sections["quality"]] == [
        "Conduct 20 stay interviews",
        "Train 15 managers in coaching conversations",
    ]
    assert digest.sections["conflicts"] == []
    assert not digest.empty
    as_data = digest.to_dict()
    assert as_data["unit"] == people.pk
    assert as_data["sections"]["quality"][0]["kind"] == "activity_key_result"


def test_the_legal_lead_hears_that_legal_has_no_okrs(demo):
    legal = Unit.objects.get(name="Legal")
    digest = digest_for(Person.objects.get(username="legal.lead"), unit=legal)
    assert [(a.kind, a.subject) for a in digest.sections["gaps"]] == [
        ("unit_without_okrs", "Legal")
    ]
    assert not any(digest.sections[name] for name in ("at_risk", "stale", "conflicts", "quality"))
