"""Who is on call now across every rotation a caller may see, for ``/api/v1/oncall-now/``: read
as plain rows (no rotation, version or programme objects), worked out with the schedule maths
shared with ``selectors.on_call_now``, and written out by hand."""

import datetime as dt
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from programmes.models import Person
from programmes.selectors import visible_programmes

from . import schedule
from .models import Rotation, RotationVersion
from .selectors import now_and_next
from .serializers import segment_data

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


@lru_cache(maxsize=65536)
def _version(
    effective_from: dt.datetime,
    anchor: dt.datetime,
    zone: str,
    kind: str,
    hours: int,
    at: dt.time,
    weekday: int,
    members: tuple[int, ...],
) -> schedule.Version:
    """A version row as the schedule maths takes it; the same row gives the same (immutable)
    value, so it is built once per process."""
    return schedule.Version(
        effective_from=effective_from,
        anchor=anchor,
        cadence=schedule.Cadence(
            timezone=zone,
            shift_kind=kind,
            shift_hours=hours,
            handoff_time=at,
            handoff_weekday=weekday,
        ),
        member_ids=members,
    )


def _versions(
    rotation_ids: list[int], id_query: QuerySet[Any, Any]
) -> dict[int, list[schedule.Version]]:
    versions: dict[int, list[schedule.Version]] = {rotation_id: [] for rotation_id in rotation_ids}
    rows = (
        RotationVersion.objects.filter(rotation_id__in=id_query)
        .order_by("rotation_id", "effective_from")
        .values_list(*VERSION_FIELDS)
    )
    for rotation_id, *fields, members in rows:
        versions[rotation_id].append(_version(*fields, tuple(members)))
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
    people = {
        person.pk: person for person in Person.objects.filter(pk__in=wanted).only("name", "email")
    }
    zone = timezone.get_current_timezone()
    answers = []
    for row in rows:
        now, following = found[row["id"]]
        answers.append(
            {
                "rotation": {
                    "id": row["id"],
                    "name": row["name"],
                    "level": row["level"],
                    "programme": row["programme__slug"],
                },
                "now": None if now is None else segment_data(now, people, zone),
                "next": None if following is None else segment_data(following, people, zone),
            }
        )
    return answers
