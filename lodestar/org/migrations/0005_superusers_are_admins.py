"""A superuser (`createsuperuser` before this) is an admin by role too: the role is what
the export writes, so the flag alone came back from an import as a member."""

from django.db import migrations

import lodestar.org.models


def superusers_are_admins(apps, schema_editor):
    Person = apps.get_model("org", "Person")
    Person.objects.filter(is_superuser=True).exclude(role="admin").update(role="admin")


class Migration(migrations.Migration):
    dependencies = [("org", "0004_email_unique_ci")]

    operations = [
        migrations.AlterModelManagers(
            name="person",
            managers=[("objects", lodestar.org.models.PersonManager())],
        ),
        migrations.RunPython(superusers_are_admins, migrations.RunPython.noop),
    ]
