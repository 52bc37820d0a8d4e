"""E-mails become unique whatever their case. People who already share one are settled
first, and each case is reported: an e-mail stays with the one person an admin (or the
installation) gave it to, and is taken from those who gave it to themselves, since
anyone could type a colleague's address; when the history cannot single out one owner,
nobody keeps it and an admin gives it back to its owner."""

from django.db import migrations, models
from django.db.models.functions import Lower


def given_by_themselves(log_entries, person) -> bool:
    """Whether the person's latest e-mail change in the history was their own."""
    for entry in log_entries.filter(object_pk=str(person.pk)).order_by("-timestamp", "-pk"):
        if "email" in (entry.changes or {}):
            return entry.actor_id == person.pk
    return False


def settle_shared_emails(apps, schema_editor):
    Person = apps.get_model("org", "Person")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    person_type = ContentType.objects.filter(app_label="org", model="person").first()
    log_entries = LogEntry.objects.filter(content_type=person_type)
    groups: dict[str, list] = {}
    for person in Person.objects.exclude(email="").order_by("pk"):
        groups.setdefault(person.email.lower(), []).append(person)
    for email, people in groups.items():
        if len(people) < 2:
            continue
        owners = [p for p in people if not given_by_themselves(log_entries, p)]
        keeper = owners[0] if len(owners) == 1 else None
        for person in people:
            if person != keeper:
                Person.objects.filter(pk=person.pk).update(email="")
        logins = ", ".join(p.username for p in people)
        outcome = f"kept by {keeper.username}" if keeper else "taken from all of them"
        print(f"\n  The e-mail {email} was shared by {logins}: {outcome}.", end="")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("org", "0003_merge_20261201_2100"),
    ]

    operations = [
        migrations.RunPython(settle_shared_emails, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="person_email_unique_ci",
                violation_error_message="This e-mail belongs to another person.",
            ),
        ),
    ]
