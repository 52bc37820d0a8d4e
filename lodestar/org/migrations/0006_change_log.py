from django.db import migrations, models


class Migration(migrations.Migration):
    """The one data version every write updated gives way to a log each write appends to."""

    dependencies = [("org", "0005_superusers_are_admins")]

    operations = [
        migrations.CreateModel(
            name="Change",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(db_index=True)),
                ("everything", models.BooleanField(default=False)),
                ("units", models.TextField(blank=True, default="")),
                ("cycle_id", models.IntegerField(blank=True, null=True)),
                ("months", models.BooleanField(default=False)),
            ],
        ),
        migrations.DeleteModel(name="DataVersion"),
    ]
