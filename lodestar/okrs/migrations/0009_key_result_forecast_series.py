"""Keep each key result's trend points on its row (a check-in then needs no read of the
others), filled from the check-ins it already has."""

from django.db import migrations, models

BATCH = 2_000


def backfill(apps, schema_editor):
    KeyResult = apps.get_model("okrs", "KeyResult")
    CheckIn = apps.get_model("okrs", "CheckIn")
    starts = dict(KeyResult.objects.values_list("pk", "cycle__start"))
    rows = CheckIn.objects.order_by("key_result_id", "created_at", "pk").values_list(
        "key_result_id", "created_at", "value"
    )
    batch, current, points = [], None, []

    def flush() -> None:
        KeyResult.objects.bulk_update(batch, ["forecast_series"])
        batch.clear()

    for key_result_id, created_at, value in rows.iterator(chunk_size=10_000):
        if key_result_id != current:
            if current is not None:
                batch.append(KeyResult(pk=current, forecast_series=points))
                if len(batch) >= BATCH:
                    flush()
            current, points = key_result_id, []
        points.append([(created_at.date() - starts[key_result_id]).days, value])
    if current is not None:
        batch.append(KeyResult(pk=current, forecast_series=points))
    flush()
    # Every other key result has no check-in: its series is known, and empty.
    KeyResult.objects.filter(forecast_series__isnull=True).update(forecast_series=[])


class Migration(migrations.Migration):
    dependencies = [("okrs", "0008_merge_20261202_0004")]

    operations = [
        migrations.AddField(
            model_name="keyresult",
            name="forecast_series",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
