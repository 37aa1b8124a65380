"""Rotations' versions read as plain rows, for the readers that work out many schedules at once
(who is on call now, the scheduler's handoff and gap jobs): no version objects, and each
distinct row becomes a ``schedule.Version`` once per process."""

import datetime as dt
import json
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from psycopg.types.datetime import TimestamptzLoader

from programmes.any_of import AnyOf

from . import schedule
from .models import RotationVersion

VERSION_FIELDS = (
    "rotation_id",
    "effective_from",
    "anchor",
    "timezone",
    "shift_kind",
    "shift_hours",
    "handoff_time",
    "handoff_weekday",
    "member_ids",
)


@lru_cache(maxsize=1024)
def _cadence(zone: str, kind: str, hours: int, at: dt.time, weekday: int) -> schedule.Cadence:
    """One object per way of cutting time: rotations that share a cadence share it, so the
    schedule maths' caches find it by identity rather than comparing it field by field."""
    return schedule.Cadence(
        timezone=zone, shift_kind=kind, shift_hours=hours, handoff_time=at, handoff_weekday=weekday
    )


@lru_cache(maxsize=65536)
def _version(
    effective_from: dt.datetime,
    anchor: dt.datetime,
    zone: str,
    kind: str,
    hours: int,
    at: dt.time,
    weekday: int,
    members: str,
) -> schedule.Version:
    """A version row as the schedule maths takes it (``members`` the column's JSON text); the
    same row gives the same (immutable) value, so it is built once per process."""
    return schedule.Version(
        effective_from=effective_from,
        anchor=anchor,
        cadence=_cadence(zone, kind, hours, at, weekday),
        member_ids=tuple(json.loads(members)),
    )


def versions_by_rotation(
    rotation_ids: list[int], id_query: QuerySet[Any, Any] | None = None
) -> dict[int, list[schedule.Version]]:
    """Each rotation's versions, oldest first, selected by ``id_query`` (a query of ids that
    runs inside this one) or else by ``rotation_ids`` as one array parameter. On PostgreSQL
    read with the query's own SQL on a plain cursor: the rows go straight to ``_version``, which
    keys on the member list's JSON text, so a row seen before costs neither Django's per-value
    conversion nor parsing its JSON."""
    versions: dict[int, list[schedule.Version]] = {rotation_id: [] for rotation_id in rotation_ids}
    if not rotation_ids:
        return versions
    rows_of = RotationVersion.objects.all()
    if id_query is not None:
        rows_of = rows_of.filter(rotation_id__in=id_query)
    else:
        rows_of = rows_of.filter(AnyOf(F("rotation_id"), rotation_ids))
    query = rows_of.order_by("rotation_id", "effective_from").values_list(*VERSION_FIELDS)
    if connection.vendor == "postgresql":
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            # psycopg's own (compiled) loader for the two instants of each row, rather than
            # Django's Python one: the same aware UTC datetimes, in a tenth of the time.
            cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    else:
        # Elsewhere the ORM converts the values (SQLite's cursor gives instants as text).
        rows = [(*fields, json.dumps(members)) for *fields, members in query]
    for rotation_id, *fields in rows:
        if rotation_id in versions:
            versions[rotation_id].append(_version(*fields))
    return versions
