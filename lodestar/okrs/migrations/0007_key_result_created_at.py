import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Key results remember when they were added. Those made before stay empty (they
    count from their cycle's start): adding the column with its default would stamp them
    all with the migration's time and make old silent ones look freshly "not started"."""

    dependencies = [("okrs", "0006_merge_20261201_2101")]

    operations = [
        migrations.AddField(
            model_name="keyresult",
            name="created_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="keyresult",
            name="created_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, editable=False, null=True
            ),
        ),
    ]
