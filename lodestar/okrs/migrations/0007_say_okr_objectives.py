"""Every name for OKR objectives says so: the related names on cycles, units, people and
key results (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('okrs', '0006_merge_20261201_2101'),
        ('org', '0003_merge_20261201_2100'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='objective',
            name='cycle',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='okr_objectives', to='okrs.cycle'),
        ),
        migrations.AlterField(
            model_name='objective',
            name='key_results',
            field=models.ManyToManyField(related_name='okr_objectives', through='okrs.ObjectiveKeyResult', to='okrs.keyresult'),
        ),
        migrations.AlterField(
            model_name='objective',
            name='owner',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='okr_objectives', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='objective',
            name='unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='okr_objectives', to='org.unit'),
        ),
    ]
