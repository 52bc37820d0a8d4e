from django.db import migrations, models


def forget_kept(apps, schema_editor):
    """Kept figures are only a cache: the rows kept by data version are dropped."""
    apps.get_model("insights", "InsightCache").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_kept_payload")]

    operations = [
        migrations.RunPython(forget_kept, migrations.RunPython.noop),
        migrations.RemoveField(model_name="insightcache", name="version"),
        migrations.RemoveField(model_name="insightcache", name="day"),
        migrations.AddField(
            model_name="insightcache",
            name="through",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="insightcache",
            name="computed_at",
            field=models.DateTimeField(default="2000-01-01T00:00:00Z"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="insightcache",
            name="units",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="insightcache",
            name="refreshing_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
