"""Backup and restore: one document of the whole installation that loads into an empty
database with the same rows and ids, on SQLite and PostgreSQL, and from one to the other."""

import json
import os
import subprocess
import sys
from datetime import date, datetime

import pytest
from django.db import connection
from django.utils import timezone

from lodestar.api.services import api_token_create
from lodestar.exchange.backup import (
    FORMAT,
    VERSION,
    RestoreRefused,
    backed_up_models,
    backup_document,
    restore_document,
)
from lodestar.okrs.models import KeyResult
from lodestar.okrs.services import checkin_create, key_result_create, objective_create
from lodestar.org.models import Person, Unit
from lodestar.strategy.models import Initiative
from lodestar.strategy.services import (
    initiative_create,
    measure_create,
    measure_value_record,
    strategic_objective_create,
)


@pytest.fixture
def installation(world):
    strategic = strategic_objective_create(
        acting=None, scorecard=world.scorecard, perspective=world.perspective("Customer"), name="N"
    )
    measure = measure_create(acting=None, objective=strategic, name="NPS", baseline=0, target=50)
    measure_value_record(acting=None, measure=measure, period=date(2026, 3, 1), actual=12.5)
    objective = objective_create(
        acting=None, cycle=world.cycle, title="Grow", unit=world.sales, contributes_to=[strategic]
    )
    kr = key_result_create(
        acting=None, objective=objective, title="Deals", owner=world.member, target=10, weight=2
    )
    at = datetime(2026, 10, 5, 9, 30, 15, 123456, tzinfo=timezone.get_current_timezone())
    checkin_create(acting=None, key_result=kr, value=4, confidence=6, at=at)
    api_token_create(acting=None, person=world.admin, name="ci")
    return world


def empty_every_table() -> None:
    with connection.cursor() as cursor:
        for model in reversed(backed_up_models()):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def test_a_backup_restored_into_an_empty_database_backs_up_the_same(installation):
    before = backup_document()
    assert before["format"] == FORMAT and before["version"] == VERSION
    assert before["tables"]["org.person"][0]["password"].startswith(("md5$", "pbkdf2", "!"))
    document = json.loads(json.dumps(before))  # exactly what a file holds
    empty_every_table()
    assert restore_document(document) == sum(len(rows) for rows in before["tables"].values())
    assert backup_document()["tables"] == before["tables"]
    assert Person.objects.get(username="admin").check_password("pw")
    # The sequences moved past the restored ids: new rows do not collide.
    assert Unit.objects.create(name="New").pk > max(r["id"] for r in before["tables"]["org.unit"])
    assert KeyResult.objects.get().holdings.get().weight == 2


def test_a_version_1_backup_restores_its_initiatives_objectives(installation):
    initiative_create(
        acting=None,
        name="Survey",
        strategic_objectives=[installation.scorecard.strategic_objectives.get()],
    )
    current = json.loads(json.dumps(backup_document()))
    links = current["tables"].pop("strategy.initiative_strategic_objectives")
    assert links
    version_1 = {
        **current,
        "version": 1,
        "tables": {**current["tables"], "strategy.initiative_objectives": links},
    }
    empty_every_table()
    restore_document(version_1)
    assert backup_document()["tables"] == {
        **current["tables"],
        "strategy.initiative_strategic_objectives": links,
    }
    assert Initiative.objects.get().strategic_objectives.count() == 1


def test_restore_refuses_a_database_that_is_not_empty(installation):
    document = backup_document()
    with pytest.raises(RestoreRefused, match="empty database only"):
        restore_document(document)


def test_restore_refuses_a_document_that_is_not_a_backup(db):
    with pytest.raises(RestoreRefused, match="not a Lodestar backup"):
        restore_document({"tables": {}})
    with pytest.raises(RestoreRefused, match="version"):
        restore_document({"format": FORMAT, "version": 99, "tables": {}})


POSTGRES = "postgres://postgres@127.0.0.1:5432/"


def lodestar(database_url: str, *arguments: str, check=True) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "lodestar", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=check,
        timeout=600,
    )


def postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(POSTGRES + "postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


@pytest.mark.skipif(not postgres_reachable(), reason="no PostgreSQL on 127.0.0.1:5432")
def test_an_sqlite_installation_moves_to_postgresql_through_a_backup(tmp_path):
    import psycopg

    sqlite = f"sqlite:///{tmp_path / 'lodestar.sqlite3'}"
    target = "lodestar_exchange_restore"
    with psycopg.connect(POSTGRES + "postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {target}")
        admin.execute(f"CREATE DATABASE {target}")
    postgres = POSTGRES + target
    lodestar(sqlite, "migrate", "--verbosity", "0")
    lodestar(sqlite, "demo")
    lodestar(sqlite, "backup", str(tmp_path / "from-sqlite.json"))
    lodestar(postgres, "migrate", "--verbosity", "0")
    restored = lodestar(postgres, "restore", str(tmp_path / "from-sqlite.json"))
    assert "Restored" in restored.stdout
    lodestar(postgres, "backup", str(tmp_path / "from-postgres.json"))
    refused = lodestar(postgres, "restore", str(tmp_path / "from-sqlite.json"), check=False)
    assert refused.returncode != 0 and "empty database only" in refused.stderr
    first = json.loads((tmp_path / "from-sqlite.json").read_text())
    second = json.loads((tmp_path / "from-postgres.json").read_text())
    assert first["tables"]["okrs.checkin"] and first["tables"] == second["tables"]
