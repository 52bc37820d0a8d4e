import pytest

from lodestar.conftest import DEMO_TODAY
from lodestar.insights.alerts import alerts_for
from lodestar.org.models import Person


@pytest.fixture
def demo(demo_org, db):
    """The module-wide demo, with this test's writes rolled back."""


@pytest.fixture
def on_demo_day(settings):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(DEMO_TODAY, time(12)))


def test_it_lists_alerts_on_the_demo(demo, django_assert_max_num_queries):
    admin = Person.objects.get(username="admin")
    with django_assert_max_num_queries(20):
        alerts = alerts_for(admin)
    kinds = {a.kind for a in alerts}
    assert "orphan_objective" in kinds
    assert all(a.url.startswith("/") for a in alerts)
