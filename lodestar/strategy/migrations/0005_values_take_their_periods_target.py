"""Mends the targets stored with measure values to the one rule (docs/scoring.md, "A
period's target"): the plan's for the period when a plan exists, else none (the final
target). Before it, a linked key result's check-in copied an earlier period's target
and a data source kept whatever the period held.

A target a person typed with a value, on a period with no plan, was that person's plan
for the period: it becomes the period's plan (as typing one does now) rather than being
lost. Every other target without a plan goes back to the final target. The stored scores
are not touched here (a migration cannot run today's roll-up on its own schema): run
`lodestar recompute` once after migrating (README, "Production")."""

from django.db import migrations


def mend(apps, schema_editor) -> None:
    MeasureValue = apps.get_model("strategy", "MeasureValue")
    MeasurePlan = apps.get_model("strategy", "MeasurePlan")
    planned = {
        (measure, period): target
        for measure, period, target in MeasurePlan.objects.values_list(
            "measure_id", "period", "target"
        )
    }
    typed_plans, mended = [], []
    for value in MeasureValue.objects.only("measure_id", "period", "target", "entered_via"):
        key = (value.measure_id, value.period)
        if key in planned:
            target = planned[key]
        elif value.entered_via == "person" and value.target is not None:
            typed_plans.append(
                MeasurePlan(measure_id=value.measure_id, period=value.period, target=value.target)
            )
            continue
        else:
            target = None
        if value.target != target:
            value.target = target
            mended.append(value)
    MeasurePlan.objects.bulk_create(typed_plans, batch_size=1000)
    MeasureValue.objects.bulk_update(mended, ["target"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0004_say_strategic_objectives")]

    operations = [migrations.RunPython(mend, migrations.RunPython.noop, elidable=True)]
