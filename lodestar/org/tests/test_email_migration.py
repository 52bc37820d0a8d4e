"""The org migrations settle what people already have: shared e-mails before they become
unique, superusers who were members by role."""

import pytest
from auditlog.context import set_actor
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lodestar.org.models import Person

BEFORE = [("org", "0003_merge_20261201_2100")]
AFTER = [("org", "0004_email_unique_ci")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Whatever a test migrated back to, the next test meets every table of today."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_shared_emails_stay_with_whom_an_admin_gave_them_and_are_reported(capsys):
    migrate(BEFORE)
    given = {name: f"{name}@acme.test" for name in ("alice", "bob", "carol")}
    people = {name: Person.objects.create(username=name, email=given[name]) for name in given}
    mallory = Person.objects.create(username="mallory")
    with set_actor(mallory):  # the hole being closed: a person typed a colleague's address
        mallory.email = "ALICE@acme.test"
        mallory.save()
    people["carol"].email = "Bob@acme.test"  # an admin's slip: nobody can tell whose it is
    people["carol"].save()

    migrate(AFTER)

    emails = dict(Person.objects.values_list("username", "email"))
    assert emails == {"alice": "alice@acme.test", "mallory": "", "bob": "", "carol": ""}
    report = capsys.readouterr().out
    assert "alice@acme.test was shared by alice, mallory: kept by alice" in report
    assert "bob@acme.test was shared by bob, carol: taken from all of them" in report


@pytest.mark.django_db(transaction=True)
def test_a_superuser_made_before_is_an_admin_by_role():
    migrate(AFTER)
    Person.objects.create(username="root", is_superuser=True, is_staff=True, role="member")
    migrate([("org", "0005_superusers_are_admins")])
    assert Person.objects.get(username="root").role == Person.Role.ADMIN
