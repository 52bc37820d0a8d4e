"""Shared test set-up: a small organisation with named personas (healthchecks style)
instead of factories everywhere.

    Acme (company) ── Sales (department) ── Inside Sales (team)
                   └─ Support (department)

admin (admin), strat (strategy office), lead (leads Sales), member (in Sales),
viewer (global viewer), outsider (member of Support).
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from lodestar.api.services import api_token_create
from lodestar.okrs.models import Cycle
from lodestar.okrs.services import cycle_create
from lodestar.org.models import Person, Unit
from lodestar.org.services import membership_set, person_create, unit_create
from lodestar.strategy.models import Scorecard
from lodestar.strategy.services import scorecard_create

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def unlocked_periods(settings):
    """The tests' values sit in fixed 2026 periods while the clock is real: no period
    locks unless a test sets MEASURE_PERIOD_LOCK_DAYS itself (the lock tests do)."""
    settings.MEASURE_PERIOD_LOCK_DAYS = 1_000_000


@pytest.fixture(autouse=True)
def kept_figures_inline(settings):
    """A write's effect on the kept figures is seen by the next read: the tests of the
    background refresh set "background" themselves (insights/tests/test_kept.py)."""
    settings.INSIGHTS_REFRESH = "inline"


@dataclass
class World:
    company: Unit
    sales: Unit
    inside_sales: Unit
    support: Unit
    admin: Person
    strat: Person
    lead: Person
    member: Person
    viewer: Person
    outsider: Person
    scorecard: Scorecard
    cycle: Cycle

    def perspective(self, name: str):
        return self.scorecard.perspectives.get(name=name)


@pytest.fixture
def world(db) -> World:
    company = unit_create(acting=None, name="Acme", kind="company")
    sales = unit_create(acting=None, name="Sales", kind="department", parent=company)
    inside_sales = unit_create(acting=None, name="Inside Sales", parent=sales)
    support = unit_create(acting=None, name="Support", kind="department", parent=company)

    def person(username: str, role: str = "member") -> Person:
        return person_create(
            acting=None, username=username, first_name=username.title(), password="pw", role=role
        )

    admin = person("admin", "admin")
    strat = person("strat", "strategy_office")
    lead, member, viewer, outsider = (
        person("lead"),
        person("member"),
        person("viewer", "viewer"),
        person("outsider"),
    )
    membership_set(acting=None, person=lead, unit=sales, role="lead")
    membership_set(acting=None, person=member, unit=sales)
    membership_set(acting=None, person=outsider, unit=support)
    scorecard = scorecard_create(
        acting=None,
        unit=company,
        name="FY2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    cycle = cycle_create(
        acting=None, name="Q4 2026", start=date(2026, 10, 1), end=date(2026, 12, 31), state="active"
    )
    return World(
        company,
        sales,
        inside_sales,
        support,
        admin,
        strat,
        lead,
        member,
        viewer,
        outsider,
        scorecard,
        cycle,
    )


DEMO_TODAY = date(2026, 11, 22)


DEMO_APPS = ["org", "strategy", "okrs", "notify", "api", "reports"]


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker) -> str:
    """The demo organisation as of DEMO_TODAY, built once per session and kept as
    serialised rows: building it runs hundreds of roll-ups, loading it takes a moment."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    from lodestar.demo.build import demo_create

    rows = StringIO()
    # The function-scoped fast hasher is not in force here; the real one would cost
    # a quarter of a second for each of the 20 demo passwords.
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
    ):
        demo_create(today=DEMO_TODAY, say=lambda line: None)
        call_command("dumpdata", *DEMO_APPS, format="json", stdout=rows)
        transaction.set_rollback(True)
    return rows.getvalue()


def load_demo(rows: str) -> None:
    """Insert the demo's serialised rows with their ids, then move PostgreSQL's
    sequences past them so that the tests' own inserts do not collide."""
    from django.apps import apps
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import connection

    for row in serializers.deserialize("json", rows):
        row.save()
    models = [m for app in DEMO_APPS for m in apps.get_app_config(app).get_models()]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


@pytest.fixture(scope="module")
def demo_org(demo_rows, django_db_blocker):
    """The demo organisation, loaded once per test module.

    It lives in a transaction rolled back when the module ends; each test (which asks
    for `db` too) runs in a savepoint inside it, so tests cannot see each other's writes.
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(demo_rows)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def signed_in():
    """A browser-like test client signed in as the given person: `signed_in(world.lead)`."""
    from django.test import Client

    def sign_in(person: Person) -> Client:
        client = Client()
        client.force_login(person)
        return client

    return sign_in


def token_client(person) -> Client:
    _, secret = api_token_create(acting=None, person=person, name="tests")
    return Client(headers={"authorization": f"Bearer {secret}"})


@pytest.fixture
def as_(world):
    """`as_("lead").get(...)`: a client acting as one of the world's personas."""
    clients = {}

    def client_for(name: str) -> Client:
        if name not in clients:
            clients[name] = token_client(getattr(world, name))
        return clients[name]

    return client_for
