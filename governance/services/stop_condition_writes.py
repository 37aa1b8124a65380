"""Writing many evaluated conditions at once. On PostgreSQL, one ``UPDATE … FROM (VALUES …)``
per thousand rows: Django's ``bulk_update`` builds a ``CASE`` per field and row, which costs
seconds of Python at a portfolio's size. Elsewhere (SQLite, the embedded default's small
portfolios) ``bulk_update`` it is."""

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Field

from ..models import StopCondition

ROWS_PER_STATEMENT = 1000
# The type each written column is cast to in the VALUES list, which PostgreSQL otherwise types
# as text.
_CASTS = {
    "CharField": "varchar",
    "DecimalField": "numeric",
    "DateTimeField": "timestamp with time zone",
    "DateField": "date",
}


def write_evaluated(conditions: Sequence[StopCondition], fields: Sequence[str]) -> None:
    """Store ``fields`` of every one of ``conditions``."""
    if not conditions:
        return
    if connection.vendor != "postgresql":
        StopCondition.objects.bulk_update(conditions, fields, batch_size=500)
        return
    # The rows' own model describes their columns.
    meta = type(conditions[0])._meta
    model_fields: list[Field[Any, Any]] = [
        field for name in fields if isinstance(field := meta.get_field(name), Field)
    ]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    row_sql = (
        "(%s, "
        + ", ".join(f"CAST(%s AS {_CASTS[f.get_internal_type()]})" for f in model_fields)
        + ")"
    )
    columns = ", ".join(["id"] + [quote(f.column) for f in model_fields])
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in model_fields)
    with connection.cursor() as cursor:
        for start in range(0, len(conditions), ROWS_PER_STATEMENT):
            chunk = conditions[start : start + ROWS_PER_STATEMENT]
            params: list[Any] = []
            for condition in chunk:
                params.append(condition.pk)
                params.extend(
                    f.get_db_prep_save(getattr(condition, f.attname), connection)
                    for f in model_fields
                )
            values = ", ".join([row_sql] * len(chunk))
            # Only names from the model's own metadata are interpolated; every value is a
            # parameter.
            sql = (
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v({columns}) "  # noqa: S608
                f"WHERE {table}.id = v.id"
            )
            cursor.execute(sql, params)
