"""Who is on call now across every rotation a caller may see, for ``/api/v1/oncall-now/``: read
as plain rows (no rotation, version or programme objects), worked out with the schedule maths
shared with ``selectors.on_call_now``, and written out by hand."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

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


def _versions(rotation_ids: list[int]) -> dict[int, list[schedule.Version]]:
    versions: dict[int, list[schedule.Version]] = defaultdict(list)
    for rotation_id in rotation_ids:
        versions[rotation_id] = []
    rows = (
        RotationVersion.objects.filter(rotation_id__in=rotation_ids)
        .order_by("rotation_id", "effective_from")
        .values_list(*VERSION_FIELDS)
    )
    for rotation_id, effective_from, anchor, zone, kind, hours, at, weekday, members in rows:
        versions[rotation_id].append(
            schedule.Version(
                effective_from=effective_from,
                anchor=anchor,
                cadence=schedule.Cadence(
                    timezone=zone,
                    shift_kind=kind,
                    shift_hours=hours,
                    handoff_time=at,
                    handoff_weekday=weekday,
                ),
                member_ids=tuple(members),
            )
        )
    return versions


def on_call_now_data(rows: list[dict[str, Any]], at: dt.datetime) -> list[dict[str, Any]]:
    """The answer for each rotation row: the rotation, who is on call now and who is next."""
    found = now_and_next(_versions([row["id"] for row in rows]), at)
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
                "now": None if now is None else segment_data(now, people),
                "next": None if following is None else segment_data(following, people),
            }
        )
    return answers
