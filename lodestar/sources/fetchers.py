"""Fetching a source's rows: (period, value) pairs as the source gave them, unchecked.

SQL runs on a connection the operator declared (SOURCE_DATABASES), read-only and under
a time limit: PostgreSQL in a `READ ONLY` transaction with `statement_timeout`, SQLite
opened with `mode=ro` and a progress handler that interrupts a query past the limit.
HTTP fetches only from SOURCE_ALLOWED_HOSTS and through the outbound gate
(`lodestar.outbound`: public addresses unless allowed, no redirect, at most
SOURCE_MAX_BYTES). A failure is a FetchError in words an operator can act on, shown to
every reader of the measure: it names the rule, never a value or the document's text.
"""

import csv
import io
import json
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import openpyxl
import psycopg
import sqlparse
from django.conf import settings
from sqlparse.tokens import Keyword

from lodestar.outbound import OutboundError, normal, parse, send
from lodestar.outbound import check as check_outbound
from lodestar.sources.models import DataSource

Row = tuple[Any, Any]


class FetchError(Exception):
    pass


def timeout() -> float:
    return settings.SOURCE_TIMEOUT_SECONDS


def fetch(source: DataSource) -> list[Row]:
    if source.kind == DataSource.Kind.SQL:
        return fetch_sql(source)
    if source.kind == DataSource.Kind.HTTP:
        return fetch_document(source)
    raise FetchError("A push source is written through the API; there is nothing to fetch.")


# SQL ---------------------------------------------------------------------------------
# Words that write, or reach outside the query, wherever they stand (`VACUUM INTO` creates
# its file before SQLite's read-only refusal; PostgreSQL's `SELECT … INTO` makes a table).
WRITING_WORDS = {"INTO", "VACUUM", "PRAGMA", "ATTACH", "DETACH", "COPY", "CALL", "DO", "LOCK"}
QUERY_RULE = "The query is one SELECT (or WITH … SELECT) statement, which reads and never writes."


def check_query(query: str) -> None:
    """Refuse, before any database sees it, anything but one read-only SELECT/WITH."""
    statements = [s for s in sqlparse.parse(query) if s.token_first(skip_cm=True, skip_ws=True)]
    if len(statements) != 1:
        raise FetchError(QUERY_RULE)
    [statement] = statements
    first = statement.token_first(skip_cm=True, skip_ws=True)
    if first.normalized not in {"SELECT", "WITH"} or statement.get_type() != "SELECT":
        raise FetchError(QUERY_RULE)
    for token in statement.flatten():
        writes = token.ttype in (Keyword.DML, Keyword.DDL) and token.normalized != "SELECT"
        if writes or (token.ttype in Keyword and token.normalized in WRITING_WORDS):
            raise FetchError(QUERY_RULE)


def fetch_sql(source: DataSource) -> list[Row]:
    check_query(source.query)
    connection = settings.SOURCE_DATABASES.get(source.connection)
    if connection is None:
        declared = ", ".join(sorted(settings.SOURCE_DATABASES)) or "none"
        raise FetchError(
            f"No connection named “{source.connection}” in SOURCE_DATABASES (declared: {declared})."
        )
    engine = connection["ENGINE"]
    if engine.endswith("sqlite3"):
        return query_sqlite(connection["NAME"], source.query)
    if engine.endswith("postgresql"):
        return query_postgres(connection, source.query)
    raise FetchError(f"Connection “{source.connection}”: only PostgreSQL and SQLite are read.")


def first_two_columns(names: list[str], rows: list[tuple]) -> list[Row]:
    """The columns named period and value, else the first two."""
    lowered = [name.lower() for name in names]
    if "period" in lowered and "value" in lowered:
        period, value = lowered.index("period"), lowered.index("value")
    elif len(names) >= 2:
        period, value = 0, 1
    else:
        raise FetchError("The query must return two columns: period and value.")
    return [(row[period], row[value]) for row in rows]


def query_sqlite(path: str, query: str) -> list[Row]:
    if not Path(path).exists():
        raise FetchError(f"The SQLite file {path} does not exist.")
    deadline = time.monotonic() + timeout()
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout())
    except sqlite3.Error as error:
        raise FetchError(f"The SQLite file {path} cannot be opened: {error}") from None
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        cursor = connection.execute(query)
        rows = cursor.fetchmany(settings.SOURCE_MAX_ROWS + 1)
        names = [column[0] for column in cursor.description or []]
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise FetchError(
                f"The query ran longer than {timeout():g} s and was stopped."
            ) from None
        raise FetchError(f"The query failed: {error}") from None
    except sqlite3.Error as error:
        raise FetchError(f"The query failed: {error}") from None
    finally:
        connection.close()
    return first_two_columns(names, too_many(rows))


def too_many(rows: list) -> list:
    if len(rows) > settings.SOURCE_MAX_ROWS:
        raise FetchError(f"The source gave more than {settings.SOURCE_MAX_ROWS} rows.")
    return rows


def query_postgres(connection: dict, query: str) -> list[Row]:
    options = {
        "dbname": connection["NAME"],
        "user": connection.get("USER") or None,
        "password": connection.get("PASSWORD") or None,
        "host": connection.get("HOST") or None,
        "port": connection.get("PORT") or None,
        "connect_timeout": max(1, int(timeout())),
    }
    try:
        with (
            psycopg.connect(**{k: v for k, v in options.items() if v is not None}) as db,
            db.transaction(force_rollback=True),
            db.cursor() as cursor,
        ):
            cursor.execute("SET TRANSACTION READ ONLY")
            cursor.execute(f"SET LOCAL statement_timeout = {int(timeout() * 1000)}")
            # A prepared statement holds one command: "COMMIT; DELETE …" cannot leave the
            # read-only transaction (the simple protocol would run both).
            cursor.execute(query, prepare=True)
            if cursor.description is None:
                raise FetchError("The query returned no rows (is it a SELECT?).")
            rows = cursor.fetchmany(settings.SOURCE_MAX_ROWS + 1)
            names = [column.name for column in cursor.description]
    except psycopg.errors.QueryCanceled:
        raise FetchError(f"The query ran longer than {timeout():g} s and was stopped.") from None
    except psycopg.errors.DataError as error:  # its message quotes the value it could not read
        code = error.sqlstate
        raise FetchError(f"The query failed on a value it could not read ({code}).") from None
    except psycopg.Error as error:
        raise FetchError(f"The query failed: {str(error).strip()}") from None
    return first_two_columns(names, too_many(rows))


# Documents over HTTP(S) --------------------------------------------------------------
def fetch_document(source: DataSource) -> list[Row]:
    body = read_url(source)
    if source.format == DataSource.Format.CSV:
        return csv_rows(body, source)
    if source.format == DataSource.Format.XLSX:
        return xlsx_rows(body, source)
    if source.format == DataSource.Format.JSON:
        return json_rows(body, source)
    raise FetchError("Say the document's format: csv, xlsx or json.")


def check_url(url: str) -> None:
    """Refuse a URL this installation may not fetch, before anything is contacted."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        root = settings.SOURCE_FILE_ROOT
        path = Path(unquote(parts.path)).resolve()
        if not root or not path.is_relative_to(Path(root).resolve()):
            raise FetchError("file:// URLs are read only under SOURCE_FILE_ROOT.")
        return
    if parts.scheme not in {"http", "https"}:
        raise FetchError("A document source is fetched over http:// or https://.")
    try:
        _, host, _, _ = parse(url)
        if normal(host) not in {normal(allowed) for allowed in settings.SOURCE_ALLOWED_HOSTS}:
            raise FetchError(f"The host {host} is not in SOURCE_ALLOWED_HOSTS.")
        check_outbound(url)  # and its addresses are ones Lodestar may call
    except OutboundError as error:
        raise FetchError(str(error)) from None


# A source's token comes only from a variable set aside for it: any other name (SECRET_KEY,
# DATABASE_URL, EMAIL_URL…) would send the installation's own secrets to the source's host.
TOKEN_PREFIX = "LODESTAR_SOURCE_TOKEN_"
TOKEN_VARIABLE = re.compile(rf"^{TOKEN_PREFIX}[A-Z0-9_]{{1,78}}$")
TOKEN_RULE = (
    f"The name of an environment variable starting {TOKEN_PREFIX} "
    f"(e.g. {TOKEN_PREFIX}SALES), never the token."
)


def headers_for(source: DataSource) -> dict[str, str]:
    if not source.token_env:
        return {}
    if not TOKEN_VARIABLE.match(source.token_env):
        raise FetchError(f"The token is read only from a variable starting {TOKEN_PREFIX}.")
    token = os.environ.get(source.token_env)
    if not token:
        raise FetchError(f"The environment variable {source.token_env} is not set.")
    return {"Authorization": f"Bearer {token}"}


def read_url(source: DataSource) -> bytes:
    check_url(source.url)
    parts = urlsplit(source.url)
    limit = settings.SOURCE_MAX_BYTES
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        if not path.is_file():
            raise FetchError(f"No file {path}.")
        if path.stat().st_size > limit:
            raise FetchError(f"The document is larger than {limit} bytes.")
        return path.read_bytes()
    headers = {"User-Agent": "Lodestar-Sources/1", **headers_for(source)}
    try:
        answer = send(
            "GET", source.url, who="The source", timeout=timeout(), max_bytes=limit, headers=headers
        )
    except OutboundError as error:
        raise FetchError(str(error)) from None
    return answer.body


def columns(header: list, source: DataSource) -> tuple[int, int]:
    names = [str(name).strip() if name is not None else "" for name in header]
    missing = [f for f in (source.period_field, source.value_field) if f not in names]
    if missing:
        # The document's own header is not repeated: it may be any text the server sent.
        raise FetchError(f"The document's first row has no column {', '.join(missing)}.")
    return names.index(source.period_field), names.index(source.value_field)


def csv_rows(body: bytes, source: DataSource) -> list[Row]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FetchError("The CSV is not UTF-8 text.") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise FetchError("The CSV is empty.")
    period, value = columns(header, source)
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    return [
        (row[period] if period < len(row) else None, row[value] if value < len(row) else None)
        for row in too_many(rows)
    ]


def xlsx_rows(body: bytes, source: DataSource) -> list[Row]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise FetchError("The document is not an XLSX workbook.") from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_row=settings.SOURCE_MAX_ROWS + 2)
        header = next(rows, None)
        if header is None:
            raise FetchError("The workbook's first sheet is empty.")
        period, value = columns(list(header), source)
        found = [
            (row[period], row[value])
            for row in rows
            if any(cell is not None for cell in row) and len(row) > max(period, value)
        ]
    finally:
        workbook.close()
    return too_many(found)


def dig(record: Any, path: str) -> Any:
    for key in [part for part in path.split(".") if part]:
        if isinstance(record, dict) and key in record:
            record = record[key]
        elif isinstance(record, list) and key.isdigit() and int(key) < len(record):
            record = record[int(key)]
        else:
            return None
    return record


def json_rows(body: bytes, source: DataSource) -> list[Row]:
    try:
        document = json.loads(body)
    except ValueError:
        raise FetchError("The document is not JSON.") from None
    records = dig(document, source.records_path) if source.records_path else document
    if not isinstance(records, list):
        where = f"at “{source.records_path}”" if source.records_path else "at the top"
        raise FetchError(f"No list of records {where} of the JSON document.")
    return [
        (dig(record, source.period_field), dig(record, source.value_field))
        for record in too_many(records)
    ]
