"""Who is on call now across every rotation a caller may see, for ``/api/v1/oncall-now/``: read
as plain rows (no rotation, version or programme objects), worked out with the schedule maths
shared with ``selectors.on_call_now``, and written out by hand."""

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from programmes.any_of import AnyOf
from programmes.models import Person
from programmes.selectors import visible_programmes

from . import schedule
from .models import Rotation
from .selectors import now_and_next
from .serializers import segment_row
from .version_rows import versions_by_rotation


def visible_rotation_rows(user: Any) -> QuerySet[Rotation, Any]:
    """The rotations ``user`` may see, as rows, in the order the rotation list uses."""
    return (
        Rotation.objects.filter(programme__in=visible_programmes(user))
        .order_by("programme__name", "programme_id", "level", "name", "id")
        .values("id", "name", "level", "programme__slug")
    )


def on_call_now_data(
    page: QuerySet[Rotation, Any], rows: list[dict[str, Any]], at: dt.datetime
) -> list[dict[str, Any]]:
    """The answer for each rotation row of ``page`` (the query that read ``rows``): the
    rotation, who is on call now and who is next. The page's query selects the versions and
    overrides inside theirs, rather than a list of a thousand ids sent back."""
    id_query = page.values("id")
    versions = versions_by_rotation([row["id"] for row in rows], id_query)
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
