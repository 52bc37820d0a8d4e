from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.jobs.testing import run_jobs
from lodestar.sources.models import SyncRun
from lodestar.sources.sync import sync_due
from lodestar.sources.tests.test_sync import sql_source
from lodestar.strategy.services import measure_value_record


def queries_of(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_source_pages_show_last_sync_error_and_log_in_a_fixed_number_of_queries(
    world, measure, warehouse, signed_in
):
    source = sql_source(measure)
    client = signed_in(world.strat)
    response = client.post(f"/settings/sources/{source.pk}/sync", follow=True)
    page = response.content.decode()
    assert "Sync requested: a sync worker runs it next." in page  # queued, not run here
    assert "Sync requested " in page and not SyncRun.objects.exists()
    [job] = run_jobs("sync")  # "Sync now" enqueued the worker's next job
    assert job.status == "SUCCESSFUL" and job.return_value["synced"] == 1
    assert [run.trigger for run in SyncRun.objects.all()] == ["manual"]
    few, page = queries_of(client, f"/settings/sources/{source.pk}/")
    assert "Sync log" in page and "Sync now" in page and "Sync requested " not in page
    for _ in range(3):
        client.post(f"/settings/sources/{source.pk}/sync")
        run_jobs("sync")
    many, _ = queries_of(client, f"/settings/sources/{source.pk}/")
    assert many == few
    listed, page = queries_of(client, "/settings/sources/")
    assert "Warehouse revenue" in page and listed <= 8


def test_the_measure_page_says_where_its_values_come_from(world, measure, warehouse, signed_in):
    source = sql_source(measure, query="SELECT 1")
    client = signed_in(world.strat)
    client.post(f"/settings/sources/{source.pk}/sync")
    sync_due()
    page = client.get(f"/measures/{measure.pk}/").content.decode()
    assert "Values from: Its data source" in page
    assert "last error:</strong> The query must return two columns" in page
    assert "Record a value" not in page
    assert SyncRun.objects.get().error


def test_only_the_strategy_office_sees_the_sources(world, measure, warehouse, signed_in):
    source = sql_source(measure)
    client = signed_in(world.lead)
    assert client.get("/settings/sources/").status_code == 403
    assert client.post(f"/settings/sources/{source.pk}/sync").status_code == 403
    assert not SyncRun.objects.exists()


def test_the_value_form_says_what_a_correction_replaced(world, measure, signed_in):
    measure_value_record(acting=None, measure=measure, period=date(2026, 11, 1), actual=40)
    client = signed_in(world.strat)
    response = client.post(
        f"/measures/{measure.pk}/values/new",
        {"period": "2026-11-01", "actual": "45", "comment": ""},
        follow=True,
    )
    assert "Replaces 40 (typed in by a person" in response.content.decode()


def test_a_source_is_set_up_on_its_page_with_errors_beside_the_fields(
    world, measure, warehouse, signed_in
):
    client = signed_in(world.strat)
    page = f"/measures/{measure.pk}/source/new"
    body = {"name": "W", "kind": "sql", "connection": "nowhere", "query": "SELECT 1, 2"}
    body.update(period_field="period", value_field="value", interval_minutes="60")
    refused = client.post(page, body)
    assert refused.status_code == 400
    assert "Name a connection of SOURCE_DATABASES" in refused.content.decode()
    done = client.post(page, {**body, "connection": "warehouse"}, follow=True)
    assert "Set up W" in done.content.decode()
    assert signed_in(world.lead).get(page).status_code == 403
