"""Rows read straight from the driver, for the lists that read many rows per request."""

from typing import Any

from django.db import connections
from django.db.models import QuerySet
from psycopg.types.datetime import TimestamptzLoader


def fetch_sql(alias: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` on PostgreSQL's ``alias``, on a plain cursor with psycopg's compiled
    loader for instants rather than Django's Python one: the same aware UTC datetimes, several
    times faster (two per programme on the list's page). Only for columns that Django would not
    convert (no field with its own conversion from the database)."""
    with connections[alias].cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch(query: QuerySet[Any, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` (a ``values_list`` of plain columns): on PostgreSQL with
    ``fetch_sql``; elsewhere the ORM reads it (SQLite's cursor gives instants as text)."""
    if connections[query.db].vendor != "postgresql":
        return list(query)
    sql, params = query.query.sql_with_params()
    return fetch_sql(query.db, sql, list(params))
