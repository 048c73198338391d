"""Writing many rows at once on PostgreSQL, without a model instance per row.

Django's ``bulk_create`` builds an instance and prepares every value through its field
for each row: at thousands of rows a second that is most of the time spent. On
PostgreSQL, :func:`insert_rows` sends plain tuples through psycopg2's ``execute_values``
(one ``INSERT ... ON CONFLICT`` per page); it answers False elsewhere, and the caller
uses ``bulk_create``. Values must already be what psycopg2 adapts: ``uuid.UUID``, aware
datetimes, ``Json`` for JSON columns. :func:`insert_new_columns` inserts rows
that may clash with a unique constraint, column by column, and says which went in;
:func:`select_pairs` reads the rows matching a set of (a, b) pairs.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Sequence

from django.db import connection, models
from django.utils import timezone


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


def insert_new_columns(
    model: type[models.Model],
    *,
    columns: dict[str, Sequence],
    constants: dict[str, object],
    returning: str,
) -> list | None:
    """Insert one row per position of ``columns`` (field name -> one value a row, all as
    long), with ``constants`` (field name -> value) the same in every row, skipping rows
    that clash with any unique constraint (a partial one included): the ``returning``
    values of the rows that went in. None off PostgreSQL: the caller uses ``bulk_create``.

    One statement whatever the number of rows: each column is sent as one array and
    ``unnest()`` makes the rows (``INSERT ... SELECT ... ON CONFLICT DO NOTHING
    RETURNING``), so no SQL is built a row at a time (``execute_values`` spent most of
    a 5,000-row batch quoting values). Fields not named get the model's default: a
    callable one (a salt, a uuid) row by row, as ``bulk_create`` would.
    """
    if connection.vendor != "postgresql":
        return None
    count = len(next(iter(columns.values())))
    if count == 0:
        return []
    meta = model._meta
    columns, constants = dict(columns), dict(constants)
    named = {meta.get_field(name) for name in [*columns, *constants]}
    for f in meta.concrete_fields:
        if f in named or f.db_returning or getattr(f, "generated", False) or f.has_db_default():
            continue
        default = _python_default(f)
        if callable(f.default) and f.default is not timezone.now:
            columns[f.name] = [default() for _ in range(count)]
        else:
            constants[f.name] = default()
    quote = connection.ops.quote_name

    def typed(name: str) -> tuple[str, str]:
        field = meta.get_field(name)
        return quote(field.column), field.db_type(connection)

    targets, selects, params = [], [], []
    for name, value in constants.items():
        column, db_type = typed(name)
        targets.append(column)
        selects.append(f"%s::{db_type}")
        params.append(value)
    arrays = []
    for n, (name, values) in enumerate(columns.items()):
        column, db_type = typed(name)
        targets.append(column)
        selects.append(f"u.c{n}")
        arrays.append(f"%s::{db_type}[]")
        params.append([str(v) if isinstance(v, uuid.UUID) else v for v in values])
    aliases = ", ".join(f"c{n}" for n in range(len(columns)))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(targets)}) "  # noqa: S608
        f"SELECT {', '.join(selects)} FROM unnest({', '.join(arrays)}) AS u({aliases}) "
        f"ON CONFLICT DO NOTHING RETURNING {quote(meta.get_field(returning).column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def select_pairs(
    model: type[models.Model], *, fields: Sequence[str], keys: tuple[str, str], pairs: Collection[tuple]
) -> list[tuple] | None:
    """The ``fields`` of the rows whose two ``keys`` equal one of ``pairs``, as tuples (JSON
    decoded). One statement: the pairs go as two arrays joined to the table, so an index on
    both keys answers each pair; ``IN`` on each key alone reads every row of either. None
    off PostgreSQL: the caller reads another way."""
    if connection.vendor != "postgresql":
        return None
    if not pairs:
        return []
    meta = model._meta
    quote = connection.ops.quote_name
    first, second = (meta.get_field(name) for name in keys)
    selected = [meta.get_field(name) for name in fields]
    columns = ", ".join(f"m.{quote(f.column)}" for f in selected)
    sql = (
        f"SELECT {columns} FROM {quote(meta.db_table)} m "  # noqa: S608
        f"JOIN unnest(%s::{first.db_type(connection)}[], %s::{second.db_type(connection)}[]) AS p(a, b) "
        f"ON m.{quote(first.column)} = p.a AND m.{quote(second.column)} = p.b"
    )
    firsts, seconds = zip(*pairs, strict=True)
    json_at = [n for n, f in enumerate(selected) if f.get_internal_type() == "JSONField"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(firsts), list(seconds)])
        rows = cursor.fetchall()
    if not json_at:
        return rows
    # Django reads jsonb as text (its JSONField decodes): so does this.
    return [
        tuple(json.loads(v) if n in json_at and isinstance(v, str) else v for n, v in enumerate(row))
        for row in rows
    ]


def _python_default(field: models.Field) -> Callable[[], object]:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now
    return field.get_default


class Json:
    """A JSON value for :func:`insert_rows` (psycopg2's adapter, loaded only on PostgreSQL)."""

    def __new__(cls, value):
        if connection.vendor != "postgresql":
            return value
        from psycopg2.extras import Json as PsycopgJson

        return PsycopgJson(value)
