"""Store every key result's forecast from the check-ins it already has (later check-ins
keep it up to date)."""

from django.db import migrations

from lodestar.scoring.trend import linear_forecast


def backfill(apps, schema_editor):
    KeyResult = apps.get_model("okrs", "KeyResult")
    CheckIn = apps.get_model("okrs", "CheckIn")
    key_results = {kr.pk: kr for kr in KeyResult.objects.select_related("cycle")}
    points = {pk: [] for pk in key_results}
    rows = CheckIn.objects.order_by("created_at").values_list("key_result_id", "created_at", "value")
    for key_result_id, created_at, value in rows.iterator(chunk_size=10_000):
        start = key_results[key_result_id].cycle.start
        points[key_result_id].append(((created_at.date() - start).days, value))
    for pk, key_result in key_results.items():
        cycle = key_result.cycle
        trend = linear_forecast(points[pk], at=(cycle.end - cycle.start).days)
        key_result.forecast_points = trend.n
        key_result.forecast_value = trend.value
        key_result.forecast_standard_error = trend.standard_error
        key_result.forecast_low = trend.low
        key_result.forecast_high = trend.high
        key_result.forecast_slope = trend.slope
    KeyResult.objects.bulk_update(
        list(key_results.values()),
        [
            "forecast_points",
            "forecast_value",
            "forecast_standard_error",
            "forecast_low",
            "forecast_high",
            "forecast_slope",
        ],
        batch_size=2_000,
    )


class Migration(migrations.Migration):
    dependencies = [("okrs", "0003_key_result_forecast")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
