"""A backup is a snapshot, and holds every table of someone's work. Read table by table
under load, a backup stored key results with values from check-ins the file did not hold;
the history, data sources, snoozes, review comments and owed notes were not in it at all."""

import threading

import pytest
from django.db import connection

from lodestar.exchange.backup import backed_up_models, backup_document
from lodestar.okrs.services import checkin_create, key_result_create, objective_create

WRITERS, CHECKINS = 4, 15


def test_every_table_of_someones_work_is_backed_up_and_only_kept_figures_left_out(db):
    labels = {model._meta.label_lower for model in backed_up_models()}
    assert {
        "auditlog.logentry",
        "sources.datasource",
        "sources.syncrun",
        "insights.alertsnooze",
        "reports.reviewcomment",
        "reports.reviewsnapshot",
        "scores.strategyowed",
    } <= labels
    assert "insights.insightcache" not in labels


def test_the_history_is_backed_up_with_its_content_types_by_name(world):
    objective_create(acting=world.admin, cycle=world.cycle, title="Grow", unit=world.sales)
    entries = backup_document()["tables"]["auditlog.logentry"]
    assert entries
    assert {entry["content_type_id"] for entry in entries} >= {"okrs.objective", "org.unit"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_check_ins_arrive_is_one_moment(world):
    objective = objective_create(acting=None, cycle=world.cycle, title="Grow", unit=world.sales)
    targets = [
        key_result_create(
            acting=None, objective=objective, title=f"K{n}", owner=world.member, target=1000
        )
        for n in range(WRITERS)
    ]
    documents, errors, done = [], [], threading.Event()

    def writer(index: int) -> None:
        try:
            for step in range(CHECKINS):
                checkin_create(acting=None, key_result=targets[index], value=step + 1, confidence=5)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    def backups() -> None:
        try:
            while not done.is_set():
                documents.append(backup_document())
        finally:
            connection.close()

    reader = threading.Thread(target=backups)
    reader.start()
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reader.join()
    assert errors == [] and len(documents) >= 2
    for document in documents:
        tables = document["tables"]
        checkins = {}
        for row in sorted(tables["okrs.checkin"], key=lambda r: (r["created_at"], r["id"])):
            checkins[row["key_result_id"]] = row["value"]
        for row in tables["okrs.keyresult"]:
            # Each key result's value is its latest check-in in the same file.
            assert row["current"] == checkins.get(row["id"], row["baseline"])
