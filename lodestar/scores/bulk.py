"""Set-based writes for the roll-up: many rows' new values in one statement per batch.

`rows_set` writes `(pk, value, …)` rows with one `WITH v AS (VALUES …) UPDATE … FROM v`
per batch, on SQLite (3.33 and later) and PostgreSQL alike: a join on the primary key,
where Django's `bulk_update` builds one CASE per column whose cost grows with the batch.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models

BATCH = 2000


def batches(rows: Sequence, size: int = BATCH) -> Iterable[Sequence]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def rows_set(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> int:
    """Set `fields` of each row `(pk, *values)`; returns how many rows were written."""
    if not rows:
        return 0
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    names = ", ".join(quote(column.column) for column in columns)
    # PostgreSQL types a VALUES list from its first row, so every value says its type.
    if connection.vendor == "postgresql":
        row = "(" + ", ".join(f"%s::{column.rel_db_type(connection)}" for column in columns) + ")"
    else:
        row = "(" + ", ".join("%s" for _ in columns) + ")"
    assignments = ", ".join(
        f"{quote(column.column)} = v.{quote(column.column)}" for column in columns[1:]
    )
    pk = quote(meta.pk.column)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        for batch in batches(rows, BATCH // len(columns) * 2):
            cursor.execute(
                f"WITH v({names}) AS (VALUES {', '.join([row] * len(batch))}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk} = v.{pk}",
                [value for item in batch for value in item],
            )
    return len(rows)


def changed_rows(stored: dict[int, tuple], computed: dict[int, tuple]) -> list[tuple]:
    """The rows whose computed values differ from the stored ones, ready for `rows_set`."""
    return [(pk, *values) for pk, values in computed.items() if stored.get(pk) != values]
