"""Who is on call now across every rotation a caller may see, for ``/api/v1/oncall-now/``: read
as plain rows (no rotation, version or programme objects), worked out with the schedule maths
shared with ``selectors.on_call_now``, and written out by hand."""

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from programmes.any_of import AnyOf
from programmes.api_pagination import with_total
from programmes.models import Person
from programmes.plain_rows import plain_rows
from programmes.selectors import visible_programmes

from . import schedule
from .models import Rotation
from .selectors import now_and_next
from .serializers import api_time
from .version_rows import versions_by_rotation


def visible_rotation_rows(user: Any) -> QuerySet[Rotation, tuple[Any, ...]]:
    """The rotations ``user`` may see, in the order the rotation list uses, as ``with_total``
    rows of id, name, level and programme slug (for ``TotalInRows``: the count comes with the
    page)."""
    return with_total(
        Rotation.objects.filter(programme__in=visible_programmes(user))
        .order_by("programme__name", "programme_id", "level", "name", "id")
        .values_list("id", "name", "level", "programme__slug")
    )


class PlainPages:
    """``visible_rotation_rows`` for ``TotalInRows``, a slice (a page) read with ``plain_rows``:
    a thousand rows cost less from the cursor than through the ORM's per-row iteration."""

    def __init__(self, user: Any) -> None:
        self.rows = visible_rotation_rows(user)

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, window: slice) -> list[tuple[Any, ...]]:
        return plain_rows(self.rows[window])


def on_call_now_data(rows: list[tuple[Any, ...]], at: dt.datetime) -> list[dict[str, Any]]:
    """The answer for each rotation row of a page (``visible_rotation_rows`` without the
    total): the rotation, who is on call now and who is next. The versions and overrides are
    selected by the page's ids as one array, which PostgreSQL finds by index, rather than by
    running the page's joins again inside their queries."""
    versions = versions_by_rotation([row[0] for row in rows])
    found = now_and_next(versions, at)
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
        for pk, name, email in plain_rows(
            # Unsorted: the people are looked up by id, not listed.
            Person.objects.filter(AnyOf(F("id"), wanted))
            .order_by()
            .values_list("id", "name", "email")
        )
    }
    people[None] = None
    zone = timezone.get_current_timezone()

    def written(segment: schedule.Segment | None) -> dict[str, Any] | None:
        # ``serializers.segment_row``, inlined: it runs twice per rotation.
        if segment is None:
            return None
        return {
            "start": api_time(segment.start, zone),
            "end": api_time(segment.end, zone),
            "person": people[segment.person_id],
            "source": segment.source,
            "gap": segment.person_id is None,
            "planned_person": people[segment.planned_person_id],
        }

    return [
        {
            "rotation": {"id": pk, "name": name, "level": level, "programme": slug},
            "now": written(found[pk][0]),
            "next": written(found[pk][1]),
        }
        for pk, name, level, slug in rows
    ]
