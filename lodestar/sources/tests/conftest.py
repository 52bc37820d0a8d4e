"""Real sources for the tests: a second SQLite file, a PostgreSQL database
(lodestar_sources_data, or SOURCE_TEST_DATABASE_URL) and an HTTP server on 127.0.0.1."""

import io
import os
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import environ
import openpyxl
import psycopg
import pytest

from lodestar.strategy.services import measure_create, strategic_objective_create

PG_URL = os.environ.get(
    "SOURCE_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lodestar_sources_data"
)
ROWS = [("2026-01-01", 10.0), ("2026-02-01", 12.5), ("2026-03-01", 15.0)]


@pytest.fixture
def measure(world):
    objective = strategic_objective_create(
        acting=None,
        scorecard=world.scorecard,
        perspective=world.perspective("Financial"),
        name="Grow revenue",
    )
    return measure_create(acting=None, objective=objective, name="Revenue", baseline=0, target=100)


@pytest.fixture
def warehouse(tmp_path, settings):
    """A second SQLite file declared as the connection `warehouse`."""
    path = tmp_path / "warehouse.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE revenue (month TEXT, amount REAL)")
        db.executemany("INSERT INTO revenue VALUES (?, ?)", ROWS)
    db.close()
    settings.SOURCE_DATABASES = {
        **settings.SOURCE_DATABASES,
        "warehouse": environ.Env.db_url_config(f"sqlite:///{path}"),
    }
    return path


@pytest.fixture
def sales_db(settings):
    """The PostgreSQL database lodestar_sources_data, created when missing."""
    config = environ.Env.db_url_config(PG_URL)
    admin = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"]}
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=3, **admin) as db:
            exists = db.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
            ).fetchone()
            if not exists:
                db.execute(f'CREATE DATABASE "{config["NAME"]}"')
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    with psycopg.connect(dbname=config["NAME"], autocommit=True, **admin) as db:
        db.execute("DROP TABLE IF EXISTS bookings")
        db.execute("CREATE TABLE bookings (month date, amount numeric)")
        for month, amount in ROWS:
            db.execute("INSERT INTO bookings VALUES (%s, %s)", [month, amount])
    settings.SOURCE_DATABASES = {**settings.SOURCE_DATABASES, "sales": config}
    return config


def xlsx(rows: list[tuple]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class DocumentServer:
    """Serves `documents` (path → (content type, bytes)); /slow sleeps past any timeout;
    records the Authorization header of each request."""

    def __init__(self):
        self.documents: dict[str, tuple[str, bytes]] = {}
        self.authorizations: list[str | None] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.authorizations.append(self.headers.get("Authorization"))
                if self.path == "/slow":
                    time.sleep(2)
                found = server.documents.get(self.path)
                if found is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", found[0])
                self.end_headers()
                self.wfile.write(found[1])

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.http.server_port}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self):
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def documents(settings):
    settings.SOURCE_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]  # the operator's own local server
    server = DocumentServer()
    yield server
    server.close()
