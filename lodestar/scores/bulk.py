"""Set-based writes for the roll-up: many rows' new values in one statement per batch.

`rows_set` writes `(pk, value, …)` rows with one `WITH v AS (VALUES …) UPDATE … FROM v`
per batch, on SQLite (3.33 and later) and PostgreSQL alike: a join on the primary key,
where Django's `bulk_update` builds one CASE per column whose cost grows with the batch.
Thousands of rows on PostgreSQL go through COPY into a temporary table instead.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models

# Parameters per statement: PostgreSQL takes up to 65,535, SQLite (3.32 on) 32,766. Few,
# large statements: each one joins its rows to the table once.
PARAMETERS = {"postgresql": 65_000, "sqlite": 32_000}
BATCH = 2000
COPY_FROM = 5000  # rows; fewer go in one VALUES statement


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
    if connection.vendor == "postgresql" and len(rows) > COPY_FROM:
        return rows_copied(table, pk, columns, assignments, rows)
    with connection.cursor() as cursor:
        for batch in batches(rows, PARAMETERS.get(connection.vendor, 900) // len(columns)):
            cursor.execute(
                f"WITH v({names}) AS (VALUES {', '.join([row] * len(batch))}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk} = v.{pk}",
                [value for item in batch for value in item],
            )
    return len(rows)


def rows_copied(table: str, pk: str, columns: list, assignments: str, rows: Sequence) -> int:
    """Many rows on PostgreSQL: COPY them into a temporary table, then one UPDATE joins it
    (parsing a VALUES list of tens of thousands of parameters costs more than the write)."""
    quote = connection.ops.quote_name
    definitions = ", ".join(
        f"{quote(column.column)} {column.rel_db_type(connection)}" for column in columns
    )
    names = ", ".join(quote(column.column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE v ({definitions}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY v ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk} = v.{pk}")
        cursor.execute("DROP TABLE v")
    return len(rows)


def changed_rows(stored: dict[int, tuple], computed: dict[int, tuple]) -> list[tuple]:
    """The rows whose computed values differ from the stored ones, ready for `rows_set`."""
    return [(pk, *values) for pk, values in computed.items() if stored.get(pk) != values]
