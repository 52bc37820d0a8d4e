from django.db import migrations, models


def forget_kept(apps, schema_editor):
    """Kept figures are only a cache: the rows of the old form are dropped."""
    apps.get_model("insights", "InsightCache").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0002_alert_snooze")]

    operations = [
        migrations.RunPython(forget_kept, migrations.RunPython.noop),
        migrations.RemoveField(model_name="insightcache", name="alerts"),
        migrations.AddField(
            model_name="insightcache",
            name="payload",
            field=models.BinaryField(default=b""),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="insightcache",
            name="key",
            field=models.CharField(max_length=200, unique=True),
        ),
    ]
