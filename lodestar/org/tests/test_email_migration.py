"""The org migrations settle what people already have: shared e-mails before they become
unique, superusers who were members by role."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lodestar.org.models import Person

BEFORE = [("org", "0003_merge_20261201_2100")]
AFTER = [("org", "0004_email_unique_ci")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def person_then(targets):
    """The Person model as its table stands at `targets`: today's has columns added since."""
    return (
        MigrationExecutor(connection).loader.project_state(targets).apps.get_model("org", "Person")
    )


def email_changed(person, before: str, after: str, *, by) -> None:
    """The history entry of an e-mail change, as auditlog wrote it then (`by`: an id)."""
    LogEntry.objects.log_create(
        person,
        action=LogEntry.Action.UPDATE,
        changes={"email": [before, after]},
        actor_id=by,
    )


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Whatever a test migrated back to, the next test meets every table of today."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_shared_emails_stay_with_whom_an_admin_gave_them_and_are_reported(capsys):
    migrate(BEFORE)
    then = person_then(BEFORE)
    given = {name: f"{name}@acme.test" for name in ("alice", "bob", "carol")}
    people = {name: then.objects.create(username=name, email=given[name]) for name in given}
    mallory = then.objects.create(username="mallory")
    # the hole being closed: a person typed a colleague's address
    then.objects.filter(pk=mallory.pk).update(email="ALICE@acme.test")
    email_changed(mallory, "", "ALICE@acme.test", by=mallory.pk)
    # an admin's slip: nobody can tell whose it is
    then.objects.filter(pk=people["carol"].pk).update(email="Bob@acme.test")
    email_changed(people["carol"], given["carol"], "Bob@acme.test", by=None)

    migrate(AFTER)

    emails = dict(Person.objects.values_list("username", "email"))
    assert emails == {"alice": "alice@acme.test", "mallory": "", "bob": "", "carol": ""}
    report = capsys.readouterr().out
    assert "alice@acme.test was shared by alice, mallory: kept by alice" in report
    assert "bob@acme.test was shared by bob, carol: taken from all of them" in report


@pytest.mark.django_db(transaction=True)
def test_a_superuser_made_before_is_an_admin_by_role():
    migrate(AFTER)
    person_then(AFTER).objects.create(
        username="root", is_superuser=True, is_staff=True, role="member"
    )
    migrate([("org", "0005_superusers_are_admins")])
    roles = Person.objects.filter(username="root").values_list("role", flat=True)
    assert list(roles) == [Person.Role.ADMIN]
