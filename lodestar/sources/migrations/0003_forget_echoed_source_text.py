"""Errors and refused rows written before issue 20 could quote what a server sent (a body,
a header row, a raw cell); they are shown to every reader of the measure. Keep the row
numbers and the rules, forget the quoted text."""

from django.db import migrations

FORGOTTEN = (
    "An error from before errors were kept free of the source's text; the next sync says more."
)


def forget(apps, schema_editor):
    DataSource = apps.get_model("sources", "DataSource")
    SyncRun = apps.get_model("sources", "SyncRun")
    DataSource.objects.filter(kind="http").exclude(last_error="").update(last_error=FORGOTTEN)
    SyncRun.objects.filter(source__kind="http").exclude(error="").update(error=FORGOTTEN)
    for run in SyncRun.objects.exclude(refusals=[]).iterator():
        run.refusals = [{**r, "period": "", "value": ""} for r in run.refusals]
        run.save(update_fields=["refusals"])


class Migration(migrations.Migration):
    dependencies = [("sources", "0002_datasource_sync_requested_at")]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
