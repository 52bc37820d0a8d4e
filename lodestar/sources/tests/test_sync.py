import json
import threading
from datetime import date

import psycopg
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.sources.fetchers import QUERY_RULE
from lodestar.sources.models import DataSource, SyncRun
from lodestar.sources.services import data_source_create
from lodestar.sources.sync import claim, claim_due, sync, sync_due
from lodestar.sources.tests.conftest import xlsx
from lodestar.strategy.models import Measure, MeasureValue
from lodestar.strategy.services import measure_create, measure_value_record

SQLITE_QUERY = "SELECT month AS period, amount AS value FROM revenue"
SLOW_CTE = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) "
    "SELECT '2026-01-01', count(*) FROM n"
)


def sql_source(measure, connection_name="warehouse", query=SQLITE_QUERY, **fields):
    return data_source_create(
        acting=None,
        measure=measure,
        name="Warehouse revenue",
        kind=DataSource.Kind.SQL,
        connection=connection_name,
        query=query,
        **fields,
    )


def http_source(measure, url, format, **fields):
    return data_source_create(
        acting=None,
        measure=measure,
        name="Finance export",
        kind="http",
        url=url,
        format=format,
        **fields,
    )


def stored(measure) -> dict:
    return dict(MeasureValue.objects.filter(measure=measure).values_list("period", "actual"))


EXPECTED = {date(2026, 1, 1): 10.0, date(2026, 2, 1): 12.5, date(2026, 3, 1): 15.0}


def test_a_sql_source_on_a_second_sqlite_file_fills_its_measure(measure, warehouse):
    source = sql_source(measure)
    run = sync(source)
    assert (run.error, run.rows_accepted, run.rows_refused) == ("", 3, 0)
    assert stored(measure) == EXPECTED
    value = MeasureValue.objects.get(measure=measure, period=date(2026, 3, 1))
    assert (value.entered_via, value.source_id, value.author_id) == ("source", source.pk, None)
    measure.refresh_from_db()
    assert measure.values_from == Measure.ValuesFrom.SOURCE
    assert measure.performance == pytest.approx(0.15)  # the roll-up ran: latest 15 of 0 → 100


def test_a_sync_that_finds_nothing_new_rewrites_nothing(measure, warehouse):
    source = sql_source(measure)
    sync(source)
    before = list(MeasureValue.objects.values_list("pk", "recorded_at"))
    run = sync(source)
    assert run.rows_accepted == 3
    assert list(MeasureValue.objects.values_list("pk", "recorded_at")) == before


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM revenue RETURNING month, amount",
        "SELECT 1, 2; DELETE FROM revenue",
        "WITH gone AS (DELETE FROM revenue RETURNING *) SELECT month, amount FROM gone",
        "SELECT month, amount INTO copy FROM revenue",
        "PRAGMA table_info(revenue)",
        "ATTACH DATABASE 'other.db' AS other",
    ],
)
def test_anything_but_one_read_only_select_is_refused_before_the_database(
    measure, warehouse, query
):
    with pytest.raises(ValidationError) as error:
        sql_source(measure, query=query)
    assert error.value.message_dict["query"] == [QUERY_RULE]
    sql_source(measure)
    DataSource.objects.update(query=query)  # stored before the rule: refused at the sync
    assert sync(DataSource.objects.get()).error == QUERY_RULE
    import sqlite3

    with sqlite3.connect(warehouse) as db:
        assert db.execute("SELECT count(*) FROM revenue").fetchone() == (3,)


def test_a_slow_sqlite_query_is_stopped_at_the_timeout(measure, warehouse, settings):
    settings.SOURCE_TIMEOUT_SECONDS = 0.3
    run = sync(sql_source(measure, query=SLOW_CTE))
    assert run.error == "The query ran longer than 0.3 s and was stopped."
    assert stored(measure) == {}


def test_a_postgresql_source_fills_its_measure(measure, sales_db):
    run = sync(sql_source(measure, "sales", "SELECT month, amount FROM bookings"))
    assert run.error == ""
    assert stored(measure) == EXPECTED


def test_a_postgresql_source_runs_in_a_read_only_transaction(measure, sales_db):
    # A SELECT that writes all the same (a sequence): the transaction refuses it.
    admin = {"host": sales_db["HOST"], "user": sales_db["USER"], "dbname": sales_db["NAME"]}
    with psycopg.connect(autocommit=True, **admin) as db:
        db.execute("CREATE SEQUENCE IF NOT EXISTS bookings_seq")
    run = sync(sql_source(measure, "sales", "SELECT '2026-01-01', nextval('bookings_seq')"))
    assert "read-only transaction" in run.error
    DataSource.objects.filter(measure=measure).update(query="SELECT month, amount FROM bookings")
    assert sync(DataSource.objects.get()).rows_accepted == 3


def test_a_slow_postgresql_query_is_stopped_at_the_timeout(measure, sales_db, settings):
    settings.SOURCE_TIMEOUT_SECONDS = 0.5
    run = sync(sql_source(measure, "sales", SLOW_CTE))
    assert run.error == "The query ran longer than 0.5 s and was stopped."


def test_a_source_on_an_undeclared_connection_is_refused(measure):
    with pytest.raises(ValidationError) as error:
        sql_source(measure, connection_name="nowhere")
    assert "connection" in error.value.message_dict
    assert not DataSource.objects.exists()


def test_a_csv_source_over_http_fills_its_measure_with_a_token_from_the_environment(
    measure, documents, monkeypatch
):
    monkeypatch.setenv("LODESTAR_SOURCE_TOKEN_FINANCE", "s3cret")
    documents.documents["/revenue.csv"] = (
        "text/csv",
        b"month,revenue\n2026-01,10\n2026-02,12.5\n2026-03-15,15\n",
    )
    source = http_source(
        measure,
        f"{documents.base}/revenue.csv",
        "csv",
        period_field="month",
        value_field="revenue",
        token_env="LODESTAR_SOURCE_TOKEN_FINANCE",
    )
    run = sync(source)
    assert run.error == ""
    assert stored(measure) == EXPECTED
    assert documents.authorizations == ["Bearer s3cret"]
    assert "s3cret" not in json.dumps(list(DataSource.objects.values()), default=str)


def test_an_xlsx_source_over_http_fills_its_measure(measure, documents):
    rows = [("Month", "Revenue"), (date(2026, 1, 1), 10), ("2026-02", 12.5), ("2026-03", 15.0)]
    documents.documents["/revenue.xlsx"] = ("application/octet-stream", xlsx(rows))
    source = http_source(
        measure,
        f"{documents.base}/revenue.xlsx",
        "xlsx",
        period_field="Month",
        value_field="Revenue",
    )
    assert sync(source).error == ""
    assert stored(measure) == EXPECTED


def test_a_json_source_over_http_reads_the_records_at_its_path(measure, documents):
    body = {
        "data": {
            "points": [
                {"at": m, "kpi": {"value": v}}
                for m, v in [("2026-01-01", 10), ("2026-02-01", 12.5), ("2026-03-01", 15)]
            ]
        }
    }
    documents.documents["/kpi.json"] = ("application/json", json.dumps(body).encode())
    source = http_source(
        measure,
        f"{documents.base}/kpi.json",
        "json",
        records_path="data.points",
        period_field="at",
        value_field="kpi.value",
    )
    assert sync(source).error == ""
    assert stored(measure) == EXPECTED


def test_a_slow_http_source_hits_the_timeout(measure, documents, settings):
    settings.SOURCE_TIMEOUT_SECONDS = 0.3
    documents.documents["/slow"] = ("text/csv", b"period,value\n2026-01,1\n")
    run = sync(http_source(measure, f"{documents.base}/slow", "csv"))
    assert run.error == "127.0.0.1 did not answer within 0.3 s."
    assert stored(measure) == {}


def test_a_host_not_allowed_is_refused_and_never_contacted(measure, documents, settings):
    with pytest.raises(ValidationError) as error:
        http_source(measure, "http://example.com/revenue.csv", "csv")
    assert error.value.message_dict["url"] == [
        "The host example.com is not in SOURCE_ALLOWED_HOSTS."
    ]
    source = http_source(measure, f"{documents.base}/revenue.csv", "csv")
    settings.SOURCE_ALLOWED_HOSTS = []  # the operator withdrew it after the set-up
    assert "not in SOURCE_ALLOWED_HOSTS" in sync(source).error
    assert documents.authorizations == []


def test_garbage_rows_are_refused_one_by_one_and_the_good_ones_written(measure, documents):
    documents.documents["/mixed.csv"] = (
        "text/csv",
        b"period,value\n"
        b"2026-01,10\n"  # 1 good
        b"2026-02,lots\n"  # 2 text
        b"2026-03,NaN\n"  # 3 NaN
        b"2026-04,7\n2026-04-20,8\n"  # 4, 5 one period twice
        b"2025-12,9\n"  # 6 before the scorecard's period
        b"someday,3\n"  # 7 no date
        b"2026-05,\n"  # 8 no value
        b"2026-06,20\n",  # 9 good
    )
    run = sync(http_source(measure, f"{documents.base}/mixed.csv", "csv"))
    assert (run.error, run.rows_accepted, run.rows_refused) == ("", 2, 7)
    assert [(r["row"], r["reason"]) for r in run.refusals] == [
        (2, "the value is not a number"),
        (3, "the value is not a finite number"),
        (4, "the period 2026-04 appears in 2 rows"),
        (5, "the period 2026-04 appears in 2 rows"),
        (6, "2025-12 is outside the scorecard's period"),
        (7, "the period is not a date (YYYY-MM-DD or YYYY-MM)"),
        (8, "no value"),
    ]
    assert stored(measure) == {date(2026, 1, 1): 10.0, date(2026, 6, 1): 20.0}


def test_a_failing_source_never_blocks_the_others_and_the_command_says_so(
    world, measure, warehouse
):
    other = measure_create(
        acting=None, objective=measure.objective, name="Bookings", baseline=0, target=50
    )
    broken = sql_source(other, query="SELECT nothing FROM nowhere")
    good = sql_source(measure)
    with pytest.raises(CommandError, match="1 of 2 sources failed"):
        call_command("sync")
    assert stored(measure) == EXPECTED
    assert SyncRun.objects.get(source=broken).error.startswith("The query failed")
    assert SyncRun.objects.get(source=good).error == ""
    broken.refresh_from_db()
    assert broken.last_error.startswith("The query failed") and broken.last_sync_at
    call_command("sync")  # nothing is due any more: both wait for their interval
    assert SyncRun.objects.count() == 2


def test_sync_of_one_measure_runs_its_source_now(measure, warehouse):
    sql_source(measure)
    call_command("sync", measure=measure.pk)
    call_command("sync", measure=measure.pk)  # not due, but asked for
    assert SyncRun.objects.filter(trigger="manual").count() == 2


def test_a_worker_that_read_a_source_before_another_claimed_it_loses_the_claim(measure, warehouse):
    sql_source(measure)
    seen_by_second = DataSource.objects.get()
    first = claim_due()
    assert first is not None
    assert claim_due() is None
    assert not claim(seen_by_second, only_if_due=True)


@pytest.mark.django_db(transaction=True)
def test_two_sync_workers_never_sync_the_same_source_twice(world, warehouse):
    if connection.vendor != "postgresql":
        pytest.skip("threads with their own connections need PostgreSQL")
    objective = world.scorecard.strategic_objectives.model.objects.create(
        scorecard=world.scorecard, perspective=world.perspective("Financial"), name="Grow"
    )
    for number in range(30):
        target = measure_create(
            acting=None, objective=objective, name=f"M{number}", baseline=0, target=100
        )
        sql_source(target)
    runs: list[list[SyncRun]] = [[], []]

    def worker(index: int) -> None:
        try:
            runs[index].extend(sync_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    synced = [run.source_id for worker_runs in runs for run in worker_runs]
    assert sorted(synced) == sorted(DataSource.objects.values_list("pk", flat=True))
    assert SyncRun.objects.count() == 30


def test_a_person_may_not_type_into_a_sourced_measure(world, measure, warehouse):
    sql_source(measure)
    with pytest.raises(ValidationError) as error:
        measure_value_record(acting=world.strat, measure=measure, period=date(2026, 5, 1), actual=3)
    assert error.value.message_dict["actual"] == [
        "“Revenue” takes its values from its data source “Warehouse revenue”; nobody types them in."
    ]


def test_a_check_in_may_not_write_a_measure_fed_by_sql(world, measure, warehouse):
    sql_source(measure)
    objective = objective_create(acting=None, cycle=world.cycle, title="Sell", unit=world.sales)
    key_result = key_result_create(
        acting=None,
        objective=objective,
        title="Revenue",
        owner=world.member,
        baseline=0,
        target=100,
        linked_measure=measure,
    )
    with pytest.raises(ValidationError, match="a check-in of a linked key result cannot"):
        checkin_create(acting=world.member, key_result=key_result, value=40, confidence=7)
    assert not key_result.checkins.exists()


def test_a_source_leaves_a_locked_period_that_has_a_value_alone(measure, warehouse, settings):
    settings.MEASURE_PERIOD_LOCK_DAYS = 10
    source = sql_source(measure)
    with time_machine.travel(date(2026, 3, 2)):
        sync(source)
    import sqlite3

    with sqlite3.connect(warehouse) as db:
        db.execute("UPDATE revenue SET amount = amount + 1")
    with time_machine.travel(date(2026, 3, 8)):  # January locked on Feb 11, February not yet
        run = sync(source)
    assert run.refusals == [
        {
            "row": 1,
            "period": "2026-01-01",
            "value": "11.0",
            "reason": "2026-01 locked on 2026-02-11",
        }
    ]
    assert stored(measure) == {
        date(2026, 1, 1): 10.0,
        date(2026, 2, 1): 13.5,
        date(2026, 3, 1): 16.0,
    }
