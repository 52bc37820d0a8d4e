import socket
import threading
import time
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from lodestar.conftest import token_client
from lodestar.jobs.testing import run_jobs
from lodestar.sources.fetchers import QUERY_RULE
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


def synced(client, source: int) -> dict:
    """ "Sync now" through the API (202: a job enqueued), the worker's run of it, and the
    run as read back."""
    asked = send(client, "post", f"sources/{source}/sync")
    assert asked.status_code == 202 and asked.json()["sync_requested_at"]
    [job] = run_jobs("sync")
    assert job.status == "SUCCESSFUL"  # a failed sync is a run that says why
    runs = client.get(f"/api/v1/sources/{source}/runs").json()["items"]
    return max(runs, key=lambda run: run["id"])  # the newest


def test_the_strategy_office_sets_up_a_source_syncs_it_and_reads_the_log(as_, measure, warehouse):
    client = as_("strat")
    body = {"measure": measure.pk, "name": "Warehouse", "kind": "sql", "connection": "warehouse"}
    created = send(client, "post", "sources/", {**body, "query": SQL})
    assert created.status_code == 201, created.json()
    source = created.json()["id"]
    run = synced(client, source)
    assert (run["rows_accepted"], run["ok"]) == (3, True)
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


# Issue 20, finding 1: the URL is read once, and nothing the server says comes back ------
def test_the_backslash_trick_is_refused_when_saved(as_, measure, settings):
    settings.SOURCE_ALLOWED_HOSTS = ["example.com"]
    body = {"measure": measure.pk, "name": "X", "kind": "http", "format": "csv"}
    url = "http://127.0.0.1:8299\\@example.com/x"
    response = send(as_("strat"), "post", "sources/", {**body, "url": url})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "url": ["The URL may not contain spaces, backslashes or control characters."]
    }


def test_a_failed_sync_shows_the_rule_never_the_documents_text(as_, measure, documents):
    documents.documents["/secret.csv"] = ("text/csv", b"internal-secret,42\nsecret-row,7\n")
    documents.documents["/rows.csv"] = ("text/csv", b"period,value\nsecret-period,1\n2026-01,x\n")
    client = as_("strat")
    body = {"measure": measure.pk, "name": "Doc", "kind": "http", "format": "csv"}
    source = send(client, "post", "sources/", {**body, "url": f"{documents.base}/secret.csv"})
    run = synced(client, source.json()["id"])
    assert run["error"] == "The document's first row has no column period, value."
    send(client, "patch", f"sources/{source.json()['id']}", {"url": f"{documents.base}/rows.csv"})
    run = synced(client, source.json()["id"])
    assert [(r["row"], r["period"], r["value"], r["reason"]) for r in run["refusals"]] == [
        (1, "", "", "the period is not a date (YYYY-MM-DD or YYYY-MM)"),
        (2, "2026-01-01", "", "the value is not a number"),
    ]
    shown = client.get(f"/api/v1/sources/{source.json()['id']}/runs").content.decode()
    assert "secret" not in shown and '"value": "x"' not in shown


def test_a_refused_and_a_silent_port_read_the_same(as_, measure, documents):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    refused_port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: connection refused
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    threading.Thread(target=lambda: silent.accept()[0].close(), daemon=True).start()
    client = as_("strat")
    errors = []
    for port in (refused_port, silent.getsockname()[1]):
        DataSource.objects.all().delete()
        body = {"measure": measure.pk, "name": "P", "kind": "http", "format": "csv"}
        url = f"http://127.0.0.1:{port}/x"
        source = send(client, "post", "sources/", {**body, "url": url}).json()
        errors.append(synced(client, source["id"])["error"])
    silent.close()
    assert errors == ["Could not connect to 127.0.0.1."] * 2


# Issue 20, finding 2: a token only from a variable set aside for it ----------------------
@pytest.mark.parametrize("name", ["SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "SALES_TOKEN"])
def test_a_token_from_any_other_variable_is_refused_when_saved(as_, measure, documents, name):
    client = as_("strat")
    body = {"measure": measure.pk, "name": "Doc", "kind": "http", "format": "csv"}
    source = send(client, "post", "sources/", {**body, "url": f"{documents.base}/r.csv"}).json()
    response = send(client, "patch", f"sources/{source['id']}", {"token_env": name})
    assert response.status_code == 400
    assert response.json()["errors"]["token_env"] == [
        "The name of an environment variable starting LODESTAR_SOURCE_TOKEN_ "
        "(e.g. LODESTAR_SOURCE_TOKEN_SALES), never the token."
    ]
    send(client, "delete", f"sources/{source['id']}")
    url = f"{documents.base}/r.csv"
    created = send(client, "post", "sources/", {**body, "url": url, "token_env": name})
    assert list(created.json()["errors"]) == ["token_env"]


def test_a_token_variable_stored_before_the_rule_is_never_sent(as_, measure, documents):
    documents.documents["/r.csv"] = ("text/csv", b"period,value\n2026-01,1\n")
    client = as_("strat")
    body = {"measure": measure.pk, "name": "Doc", "kind": "http", "format": "csv"}
    source = send(client, "post", "sources/", {**body, "url": f"{documents.base}/r.csv"}).json()
    DataSource.objects.update(token_env="SECRET_KEY")  # set before names were checked
    run = synced(client, source["id"])
    assert run["error"] == "The token is read only from a variable starting LODESTAR_SOURCE_TOKEN_."
    assert documents.authorizations == []


# Issue 20, finding 12: SQL that writes never reaches the database; no sync in a request --
def test_vacuum_into_never_creates_its_file(as_, measure, warehouse, tmp_path):
    target = tmp_path / "copy.sqlite3"
    body = {"measure": measure.pk, "name": "W", "kind": "sql", "connection": "warehouse"}
    refused = send(as_("strat"), "post", "sources/", {**body, "query": f"VACUUM INTO '{target}'"})
    assert refused.status_code == 400
    assert refused.json()["errors"]["query"] == [QUERY_RULE]
    source = send(as_("strat"), "post", "sources/", {**body, "query": SQL}).json()["id"]
    DataSource.objects.update(query=f"VACUUM INTO '{target}'")  # stored before the rule
    assert synced(as_("strat"), source)["error"] == QUERY_RULE
    assert not target.exists()


def test_sync_now_answers_at_once_and_the_worker_runs_the_slow_query(
    as_, measure, warehouse, settings
):
    settings.SOURCE_TIMEOUT_SECONDS = 3
    slow = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) "
        "SELECT '2026-01-01', count(*) FROM n"
    )
    body = {"measure": measure.pk, "name": "W", "kind": "sql", "connection": "warehouse"}
    source = send(as_("strat"), "post", "sources/", {**body, "query": slow}).json()["id"]
    started = time.monotonic()
    asked = send(as_("strat"), "post", f"sources/{source}/sync")
    assert asked.status_code == 202 and time.monotonic() - started < 1.5
    assert not SyncRun.objects.exists()  # nothing ran inside the request
    shown = as_("strat").get(f"/api/v1/sources/{source}").json()
    assert shown["sync_requested_at"] and not shown["syncing"]
    with pytest.raises(CommandError):
        call_command("sync")  # the worker: stopped at the time limit
    run = SyncRun.objects.get()
    assert run.trigger == "manual" and run.error == "The query ran longer than 3 s and was stopped."
    assert as_("strat").get(f"/api/v1/sources/{source}").json()["sync_requested_at"] is None


def test_a_document_past_the_size_limit_is_cut_off(as_, measure, documents, settings):
    settings.SOURCE_MAX_BYTES = 1000
    documents.documents["/big.csv"] = ("text/csv", b"period,value\n" + b"2026-01,1\n" * 500)
    body = {"measure": measure.pk, "name": "Big", "kind": "http", "format": "csv"}
    url = f"{documents.base}/big.csv"
    source = send(as_("strat"), "post", "sources/", {**body, "url": url}).json()
    assert synced(as_("strat"), source["id"])["error"] == "The answer is larger than 1000 bytes."
