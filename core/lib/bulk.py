"""Writing many rows at once on PostgreSQL, without a model instance per row.

Django's ``bulk_create`` builds an instance and prepares every value through its field
for each row: at thousands of rows a second that is most of the time spent. On
PostgreSQL, :func:`insert_rows` sends plain tuples through psycopg2's ``execute_values``
(one ``INSERT ... ON CONFLICT`` per page); it answers False elsewhere, and the caller
uses ``bulk_create``. Values must already be what psycopg2 adapts: ``uuid.UUID``, aware
datetimes, ``Json`` for JSON columns.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[tuple],
    *,
    conflict: Sequence[str],
    update: Sequence[str] = (),
    page_size: int = 1000,
) -> bool:
    """``INSERT`` the rows; on a conflict on ``conflict``, update ``update`` (or do nothing)."""
    if connection.vendor != "postgresql":
        return False
    if not rows:
        return True
    from psycopg2.extras import execute_values  # the PostgreSQL driver, loaded only there

    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    target = ", ".join(quote(meta.get_field(name).column) for name in conflict)
    if update:
        changes = ", ".join(
            f"{quote(meta.get_field(name).column)} = EXCLUDED.{quote(meta.get_field(name).column)}"
            for name in update
        )
        action = f"DO UPDATE SET {changes}"
    else:
        action = "DO NOTHING"
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES %s ON CONFLICT ({target}) {action}"  # noqa: S608
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, page_size=page_size)
    return True


class Json:
    """A JSON value for :func:`insert_rows` (psycopg2's adapter, loaded only on PostgreSQL)."""

    def __new__(cls, value):
        if connection.vendor != "postgresql":
            return value
        from psycopg2.extras import Json as PsycopgJson

        return PsycopgJson(value)
