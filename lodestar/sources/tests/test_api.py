from datetime import date

import pytest

from lodestar.conftest import token_client
from lodestar.sources.models import DataSource, SyncRun
from lodestar.strategy.models import MeasureValue

SQL = "SELECT month AS period, amount AS value FROM revenue"


@pytest.fixture
def as_(world):
    clients = {}

    def client_for(name: str):
        if name not in clients:
            clients[name] = token_client(getattr(world, name))
        return clients[name]

    return client_for


def send(client, method: str, path: str, body=None):
    return getattr(client, method)(f"/api/v1/{path}", body, content_type="application/json")


def test_the_strategy_office_sets_up_a_source_syncs_it_and_reads_the_log(as_, measure, warehouse):
    client = as_("strat")
    body = {"measure": measure.pk, "name": "Warehouse", "kind": "sql", "connection": "warehouse"}
    created = send(client, "post", "sources/", {**body, "query": SQL})
    assert created.status_code == 201, created.json()
    source = created.json()["id"]
    run = send(client, "post", f"sources/{source}/sync")
    assert run.status_code == 200
    assert (run.json()["rows_accepted"], run.json()["ok"]) == (3, True)
    log = client.get(f"/api/v1/sources/{source}/runs").json()
    assert len(log["items"]) == 1 and log["items"][0]["trigger"] == "manual"
    values = client.get(f"/api/v1/measure-values/?measure={measure.pk}").json()["items"]
    assert {(v["entered_via"], v["source"]) for v in values} == {("source", source)}
    shown = client.get(f"/api/v1/measures/{measure.pk}").json()
    assert shown["values_from"] == "source"


def test_a_source_is_the_strategy_offices_alone(as_, measure, warehouse):
    body = {"measure": measure.pk, "name": "W", "kind": "sql", "connection": "warehouse"}
    assert send(as_("lead"), "post", "sources/", {**body, "query": SQL}).status_code == 403
    source = send(as_("strat"), "post", "sources/", {**body, "query": SQL}).json()["id"]
    assert as_("lead").get("/api/v1/sources/").json()["items"] == []
    assert as_("lead").get(f"/api/v1/sources/{source}").status_code == 404
    assert send(as_("lead"), "post", f"sources/{source}/sync").status_code == 404
    assert len(as_("admin").get("/api/v1/sources/").json()["items"]) == 1


def test_a_host_not_allowed_is_a_field_error(as_, measure, settings):
    settings.SOURCE_ALLOWED_HOSTS = ["127.0.0.1"]
    body = {"measure": measure.pk, "name": "X", "kind": "http", "url": "http://10.0.0.1/x.csv"}
    response = send(as_("strat"), "post", "sources/", {**body, "format": "csv"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "url": ["The host 10.0.0.1 is not in SOURCE_ALLOWED_HOSTS."]
    }


def test_pushed_rows_are_checked_one_by_one(as_, measure):
    client = as_("strat")
    source = send(
        client, "post", "sources/", {"measure": measure.pk, "name": "Pushed", "kind": "push"}
    ).json()["id"]
    rows = [{"period": "2026-01", "value": 4}, {"period": "2026-02", "value": "many"}]
    run = send(client, "post", f"sources/{source}/push", {"rows": rows}).json()
    assert (run["rows_accepted"], run["rows_refused"]) == (1, 1)
    assert run["refusals"][0]["reason"] == "the value is not a number"
    value = MeasureValue.objects.get(measure=measure)
    assert (value.period, value.actual, value.source_id) == (date(2026, 1, 1), 4, source)
    assert SyncRun.objects.get().trigger == "push"
    typed = {"measure": measure.pk, "period": "2026-03-01", "actual": 9}
    refused = send(client, "post", "measure-values/", typed)
    assert refused.status_code == 400
    assert "nobody types them in" in refused.json()["errors"]["actual"][0]


def test_a_plan_is_read_and_written_per_measure(as_, measure):
    client = as_("strat")
    line = send(client, "post", f"measures/{measure.pk}/plan/line").json()
    assert len(line) == 12 and line[-1]["target"] == 100
    one = send(
        client, "post", f"measures/{measure.pk}/plan", {"period": "2026-06-20", "target": 40}
    )
    assert one.json()["period"] == "2026-06-01"
    plan = client.get(f"/api/v1/measures/{measure.pk}/plan?period_from=2026-06-01&limit=2").json()
    assert [row["target"] for row in plan["items"]] == [40, pytest.approx(700 / 12)]
    assert send(as_("viewer"), "post", f"measures/{measure.pk}/plan/line").status_code == 403
    outside = send(
        client, "post", f"measures/{measure.pk}/plan", {"period": "2030-01-01", "target": 1}
    )
    assert outside.status_code == 400 and "period" in outside.json()["errors"]
    assert send(client, "delete", f"measures/{measure.pk}/plan/2026-06-01").status_code == 204
    assert DataSource.objects.count() == 0
