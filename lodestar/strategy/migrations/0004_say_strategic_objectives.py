"""Every name for strategic objectives says so: an initiative's many-to-many field and
the related names on scorecards, perspectives and themes (state only). The history
keeps the initiative's field under its new name too."""

import django.db.models.deletion
from django.db import migrations, models

OLD, NEW = "objectives", "strategic_objectives"


def rename_in_history(old: str, new: str):
    def rename(apps, schema_editor) -> None:
        LogEntry = apps.get_model("auditlog", "LogEntry")
        ContentType = apps.get_model("contenttypes", "ContentType")
        kind = ContentType.objects.filter(app_label="strategy", model="initiative").first()
        if kind is None:
            return
        for entry in LogEntry.objects.filter(content_type=kind, changes__has_key=old):
            entry.changes = {new if name == old else name: c for name, c in entry.changes.items()}
            entry.save(update_fields=["changes"])

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0003_merge_20261201_2054"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameField(model_name="initiative", old_name=OLD, new_name=NEW),
        migrations.RunPython(rename_in_history(OLD, NEW), rename_in_history(NEW, OLD)),
        migrations.AlterField(
            model_name="strategicobjective",
            name="perspective",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="strategic_objectives",
                to="strategy.perspective",
            ),
        ),
        migrations.AlterField(
            model_name="strategicobjective",
            name="scorecard",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="strategic_objectives",
                to="strategy.scorecard",
            ),
        ),
        migrations.AlterField(
            model_name="strategicobjective",
            name="themes",
            field=models.ManyToManyField(
                blank=True, related_name="strategic_objectives", to="strategy.theme"
            ),
        ),
    ]
