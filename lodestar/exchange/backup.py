"""Backup and restore: the whole installation as one versioned JSON document.

The document is `{"format", "version", "created_at", "tables": {label: [row, …]}}`:
every table of Lodestar's apps (and the many-to-many tables between them) in label
order, rows in id order, each row its columns by attribute name. Passwords are kept as
their hashes and API tokens as their SHA-256, so a restored installation signs in and
authenticates exactly as before. Sessions, Django's groups and permissions are not
part of it (nothing in Lodestar uses them).

Every table that holds someone's work is in it: the history (the audit log, its content
types by name, since their ids differ between databases), data sources and their runs,
snoozes, review comments and the kept reviews of closed quarters, and the strategy scores
the queued roll-up still owes. Only kept figures and their data version are left out: they
are computed again. The tables are read in one transaction, a snapshot (REPEATABLE
READ on PostgreSQL; on SQLite the transaction holds the write lock for the moment the
backup takes), so a check-in arriving meanwhile is either wholly in the file or not at all.

Restore loads a document into an empty database (SQLite or PostgreSQL) with the ids it
names, then moves the sequences past them: backup → restore → backup gives the same
tables. It is how an installation moves from SQLite to PostgreSQL. A document of an
earlier version restores too: its renamed tables are read by their present names.
"""

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

FORMAT = "lodestar-backup"
VERSION = 3
# The tables renamed by each version, to read an older document as this version writes
# it. 2: an initiative's `objectives` became `strategic_objectives`. 3: tables added only.
RENAMED_TABLES = {
    2: {"strategy.initiative_objectives": "strategy.initiative_strategic_objectives"},
    3: {},
}
APPS = (
    "org",
    "strategy",
    "okrs",
    "notify",
    "api",
    "exchange",
    "insights",
    "reports",
    "sources",
    "scores",
    "auditlog",
)
# Kept figures and the counter that says when they went stale: computed again, not restored.
DERIVED = {"insights.insightcache", "org.change"}  # kept figures and what made them stale
BATCH = 2000

Say = Callable[[str], None]


class RestoreRefused(Exception):
    """The document or the database is not fit for a restore; the message says why."""


def backed_up_models() -> list[type[models.Model]]:
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            # Person's groups and permissions point into django.contrib.auth: left out.
            targets = {
                f.related_model._meta.app_label
                for f in model._meta.concrete_fields
                if f.is_relation
            }
            if model._meta.auto_created and not targets <= set(APPS):
                continue
            if model._meta.label_lower not in DERIVED:
                found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def content_type_fields(model: type[models.Model]) -> set[str]:
    return {
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is ContentType
    }


def content_type_names() -> dict[int, str]:
    return {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}


def table_rows(model: type[models.Model], type_names: dict[int, str]) -> Iterator[dict]:
    names = [field.attname for field in model._meta.concrete_fields]
    by_name = content_type_fields(model)
    rows = model._base_manager.order_by("pk").values_list(*names)
    for row in rows.iterator(chunk_size=BATCH):
        yield {
            name: type_names.get(value) if name in by_name else plain(value)
            for name, value in zip(names, row, strict=True)
        }


@contextmanager
def snapshot() -> Iterator[None]:
    """One read of every table, as of one moment (inside a caller's transaction, its own)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def backup_document(*, say: Say = lambda line: None) -> dict:
    tables = {}
    with snapshot():
        type_names = content_type_names()
        for model in backed_up_models():
            tables[model._meta.label_lower] = list(table_rows(model, type_names))
            say(f"{model._meta.label_lower}: {len(tables[model._meta.label_lower])} rows")
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().astimezone(UTC).isoformat(),
        "tables": tables,
    }


# A backup holds password and token hashes and webhook URLs: its owner's alone. Modes are
# set explicitly, since the umask of whoever runs the backup would otherwise loosen them.
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700


def make_owner_only_folders(folder: Path) -> None:
    if folder.exists():
        return
    make_owner_only_folders(folder.parent)
    folder.mkdir()
    folder.chmod(OWNER_ONLY_FOLDER)


def backup_write(path, *, say: Say = lambda line: None) -> dict:
    document = backup_document(say=say)
    path = Path(path)
    make_owner_only_folders(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY_FILE)
    os.fchmod(descriptor, OWNER_ONLY_FILE)  # also an existing file, before anything is written
    with open(descriptor, "w", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False, indent=1, sort_keys=False)
    return document


def readable_document(document) -> dict:
    """The document as this version writes it (an earlier version's tables renamed), or
    RestoreRefused saying why it cannot be read."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RestoreRefused(f'This is not a Lodestar backup (no "format": "{FORMAT}").')
    written_by = document.get("version")
    if written_by not in range(1, VERSION + 1):
        raise RestoreRefused(
            f"This backup has version {written_by!r}; this Lodestar reads versions 1 to {VERSION}."
        )
    tables = document.get("tables", {})
    for version in range(written_by + 1, VERSION + 1):
        renamed = RENAMED_TABLES[version]
        tables = {renamed.get(label, label): rows for label, rows in tables.items()}
    known = {model._meta.label_lower for model in backed_up_models()}
    unknown = sorted(set(tables) - known)
    if unknown:
        raise RestoreRefused(f"The backup names tables this Lodestar does not have: {unknown}.")
    return {**document, "version": VERSION, "tables": tables}


def check_empty() -> None:
    filled = [m._meta.label_lower for m in backed_up_models() if m._base_manager.exists()]
    if filled:
        raise RestoreRefused(
            "Restore loads into an empty database only; this one already holds "
            f"{', '.join(filled)}. Create a new database, run `lodestar migrate`, then restore."
        )


def content_type_id(name: str | None) -> int | None:
    """The content type a backup names, here (made if this database has not got it yet)."""
    if name is None:
        return None
    app_label, model = name.split(".", 1)
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0].pk


def insert_rows(model: type[models.Model], rows: list[dict], say: Say) -> None:
    by_name = content_type_fields(model)
    if by_name:
        ids = {name: content_type_id(name) for row in rows for name in map(row.get, by_name)}
        rows = [{**row, **{f: ids[row.get(f)] for f in by_name}} for row in rows]
    fields = list(model._meta.concrete_fields)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = [
                [
                    field.get_db_prep_save(field.to_python(row.get(field.attname)), connection)
                    for field in fields
                ]
                for row in rows[start : start + BATCH]
            ]
            cursor.executemany(sql, batch)
            if len(rows) > BATCH:
                say(f"  {model._meta.label_lower}: {min(start + BATCH, len(rows))}/{len(rows)}")


def restore_document(document: dict, *, say: Say = lambda line: None) -> int:
    """Load the document; every row or none. Returns the number of rows loaded."""
    document = readable_document(document)
    models_by_label = {model._meta.label_lower: model for model in backed_up_models()}
    count = 0
    # Foreign keys are checked at commit (deferred on both databases), so tables load
    # in label order even where a row points to a later one.
    with transaction.atomic():
        check_empty()
        for label, rows in document["tables"].items():
            insert_rows(models_by_label[label], rows, say)
            say(f"{label}: {len(rows)} rows")
            count += len(rows)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), models_by_label.values()
            ):
                cursor.execute(statement)
    return count


def restore_read(path, *, say: Say = lambda line: None) -> int:
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RestoreRefused(f"Cannot read {path} as a JSON backup: {error}.") from error
    return restore_document(document, say=say)
