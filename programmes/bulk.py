"""Inserting many plain rows in few statements, for the scheduled jobs that write thousands on a
tick: no model instance per row (``bulk_create`` spends most of its time preparing each field
of each instance), one ``INSERT … SELECT … FROM json_populate_recordset(…)`` per batch on
PostgreSQL and a ``VALUES`` list on SQLite (3.35+), leaving or updating the rows whose unique key
is taken.

On PostgreSQL the batch goes as one JSON document whose keys are the table's columns, and the
table's own row type converts each value: one parameter, so the statement parses fast whatever
the rows, and written by the C JSON encoder, where an array per column is quoted element by
element in Python (most of the time a tick spent writing tens of thousands of rows). The document
is written by orjson, which writes instants, dates and times itself in the same ISO form as
``isoformat``: several times faster than the standard library's encoder on the rows of a tick."""

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

import orjson
from django.db import connection, models

# Rows per statement: a few columns each keeps SQLite's VALUES list under its parameter limit.
BATCH = 1000


def _json_value(value: Any) -> str:
    """What orjson leaves to its caller: a subclass of an instant, a date or a time, in the ISO
    form PostgreSQL reads (aware instants keep their offset)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} does not go into a bulk insert")


def json_source(table: str, columns: Sequence[str]) -> str:
    """The rows of one parameter (``json_rows``) as a SELECT of ``columns`` (quoted names) in
    the types of ``table`` (a quoted name): PostgreSQL only."""
    names = ", ".join(columns)
    return f"SELECT {names} FROM json_populate_recordset(NULL::{table}, %s::json)"  # noqa: S608 - names from the model


def json_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """The parameter of ``json_source``: each row an object keyed by its (unquoted) column."""
    return orjson.dumps(
        [dict(zip(columns, row, strict=True)) for row in rows], default=_json_value
    ).decode()


def _column(model: type[models.Model], name: str) -> str:
    field = cast("models.Field[Any, Any]", model._meta.get_field(name))
    return connection.ops.quote_name(field.column)


def _sql(
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    rows: int,
    conflict: Sequence[str],
    update: Sequence[str],
) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    if connection.vendor == "postgresql":
        source = json_source(quote(model._meta.db_table), [quote(field.column) for field in fields])
    else:
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        source = "VALUES " + ", ".join([one] * rows)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) {source}"
    if conflict:
        target = ", ".join(_column(model, name) for name in conflict)
        if update:
            changes = ", ".join(
                f"{_column(model, name)} = EXCLUDED.{_column(model, name)}" for name in update
            )
            sql += f" ON CONFLICT ({target}) DO UPDATE SET {changes}"
        else:
            sql += f" ON CONFLICT ({target}) DO NOTHING"
    return sql


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
) -> None:
    """INSERT ``rows`` (values in the order of the field ``names``; a foreign key by its id)
    into ``model``'s table. With ``conflict`` (the fields of a unique constraint), a row whose
    key is taken is left as it is, or, with ``update``, has those fields set from the new row.
    Name every column: Django gives a table no defaults."""
    if not rows:
        return
    concrete = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in names]
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        if connection.vendor == "postgresql":
            params: list[Any] = [json_rows([field.column for field in concrete], batch)]
        else:
            params = [
                field.get_db_prep_save(value, connection)
                for row in batch
                for field, value in zip(concrete, row, strict=True)
            ]
        with connection.cursor() as cursor:
            cursor.execute(_sql(model, concrete, len(batch), conflict, update), params)
