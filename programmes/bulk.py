"""Inserting many plain rows in few statements, for the scheduled jobs that write thousands on a
tick: no model instance per row (``bulk_create`` spends most of its time preparing each field
of each instance), one ``INSERT … SELECT * FROM unnest(…)`` per batch on PostgreSQL (one array
per column, so the statement parses fast whatever the rows) and a ``VALUES`` list on SQLite
(3.35+), leaving or updating the rows whose unique key is taken."""

from collections.abc import Sequence
from typing import Any, cast

from django.db import connection, models

# Rows per statement: a few columns each keeps SQLite's VALUES list under its parameter limit.
BATCH = 1000


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
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
        source = f"SELECT * FROM unnest({arrays})"  # noqa: S608 - types from the model
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
            params: list[Any] = [list(column) for column in zip(*batch, strict=True)]
        else:
            params = [
                field.get_db_prep_save(value, connection)
                for row in batch
                for field, value in zip(concrete, row, strict=True)
            ]
        with connection.cursor() as cursor:
            cursor.execute(_sql(model, concrete, len(batch), conflict, update), params)
