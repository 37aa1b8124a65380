"""Who is on call now across every rotation a caller may see, for ``/api/v1/oncall-now/``: read
as plain rows (no rotation, version or programme objects), worked out with the schedule maths
shared with ``selectors.on_call_now``, and written out by hand."""

import datetime as dt
import json
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone
from psycopg.types.datetime import TimestamptzLoader

from programmes.any_of import AnyOf
from programmes.models import Person
from programmes.selectors import visible_programmes

from . import schedule
from .models import Rotation, RotationVersion
from .selectors import now_and_next
from .serializers import segment_row

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


def visible_rotation_rows(user: Any) -> QuerySet[Rotation, Any]:
    """The rotations ``user`` may see, as rows, in the order the rotation list uses."""
    return (
        Rotation.objects.filter(programme__in=visible_programmes(user))
        .order_by("programme__name", "programme_id", "level", "name", "id")
        .values("id", "name", "level", "programme__slug")
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


def _versions(
    rotation_ids: list[int], id_query: QuerySet[Any, Any]
) -> dict[int, list[schedule.Version]]:
    """Each rotation's versions, oldest first. On PostgreSQL read with the query's own SQL on a
    plain cursor: the rows go straight to ``_version``, which keys on the member list's JSON
    text, so a row seen before costs neither Django's per-value conversion nor parsing its JSON."""
    versions: dict[int, list[schedule.Version]] = {rotation_id: [] for rotation_id in rotation_ids}
    query = (
        RotationVersion.objects.filter(rotation_id__in=id_query)
        .order_by("rotation_id", "effective_from")
        .values_list(*VERSION_FIELDS)
    )
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
        versions[rotation_id].append(_version(*fields))
    return versions


def on_call_now_data(
    page: QuerySet[Rotation, Any], rows: list[dict[str, Any]], at: dt.datetime
) -> list[dict[str, Any]]:
    """The answer for each rotation row of ``page`` (the query that read ``rows``): the
    rotation, who is on call now and who is next. The page's query selects the versions and
    overrides inside theirs, rather than a list of a thousand ids sent back."""
    id_query = page.values("id")
    versions = _versions([row["id"] for row in rows], id_query)
    found = now_and_next(versions, at, rotation_ids=id_query)
    wanted = {
        pid
        for pair in found.values()
        for segment in pair
        if segment is not None
        for pid in (segment.person_id, segment.planned_person_id)
        if pid is not None
    }
    people: dict[int | None, dict[str, Any] | None] = {
        pk: {"id": pk, "name": name, "email": email}
        for pk, name, email in Person.objects.filter(AnyOf(F("id"), wanted)).values_list(
            "id", "name", "email"
        )
    }
    people[None] = None
    zone = timezone.get_current_timezone()

    def written(segment: schedule.Segment | None) -> dict[str, Any] | None:
        if segment is None:
            return None
        return segment_row(
            segment, people[segment.person_id], people[segment.planned_person_id], zone
        )

    return [
        {
            "rotation": {
                "id": row["id"],
                "name": row["name"],
                "level": row["level"],
                "programme": row["programme__slug"],
            },
            "now": written(found[row["id"]][0]),
            "next": written(found[row["id"]][1]),
        }
        for row in rows
    ]
