"""``plain_rows(query)``: the tuples of a ``values_list`` query, for reads of many thousand rows.
Django reads each PostgreSQL instant with a loader written in Python; psycopg's own compiled one
gives the same aware UTC datetimes in a tenth of the time, and the instants are most of the cost
of such a read. Elsewhere the ORM reads the rows (SQLite's cursor gives instants as text)."""

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import QuerySet
from psycopg.types.datetime import TimestamptzLoader


def plain_rows(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``query``, a ``values_list`` of columns that need no conversion by Django on
    PostgreSQL (not a JSON column: psycopg would give its text), not ``flat``."""
    if connection.vendor != "postgresql":
        return list(query)
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:
        return []
    return fetch_sql(query.db, sql, list(params))


def fetch_sql(alias: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (SQL of Keel's own making, such as a ``values_list`` query's, kept)
    on the PostgreSQL database ``alias``, read as ``plain_rows`` reads them."""
    with connections[alias].cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql, params)
        return cursor.fetchall()
