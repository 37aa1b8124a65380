"""Time off: a period away; each shift in it becomes a gap its rotation is asked to cover."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit
from programmes.errors import DomainError, NotAllowed
from programmes.models import Person
from programmes.selectors import person_of
from programmes.times import current_zone, for_message

from .. import person_rotations, schedule, selectors
from ..models import (
    CoverStatus,
    TimeOff,
)
from .cover import open_cover_request
from .periods import LOOKAHEAD, check_window, from_now


@transaction.atomic
def record_time_off(
    *, actor: Any, person: Person, start: dt.datetime, end: dt.datetime, note: str = ""
) -> TimeOff:
    """Record a period away. Each rotation shift of theirs in it becomes a gap, and a cover
    request for it goes to the rotation's other members."""
    if not getattr(actor, "is_staff", False) and person_of(actor) != person:
        raise NotAllowed("Record your own time off (staff can record anyone's).")
    check_window(start, end)
    start = from_now(start)
    Person.objects.select_for_update().get(pk=person.pk)
    clash = TimeOff.objects.filter(person=person, start__lt=end, end__gt=start).first()
    if clash is not None:
        zone = current_zone()
        raise DomainError(
            f"This overlaps your time off from {for_message(clash.start, zone)} to "
            f"{for_message(clash.end, zone)}; change that one instead.",
            field="start",
        )
    time_off = TimeOff.objects.create(person=person, start=start, end=end, note=note)
    audit.record(
        actor=actor,
        action="create",
        instance=time_off,
        programme=None,
        after=audit.snapshot(time_off),
    )
    horizon_end = min(end, timezone.now() + LOOKAHEAD)
    for rotation in person_rotations.rotations_of_person(person):
        planned = schedule.planned_shifts(selectors.versions_of(rotation), start, horizon_end)
        for stretch in _joined(s for s in planned if s.person_id == person.pk):
            open_cover_request(
                actor=actor,
                rotation=rotation,
                requester=person,
                start=stretch[0],
                end=stretch[1],
                reason=f"Time off{': ' + note if note else ''}",
                time_off=time_off,
            )
    return time_off


def _joined(segments: Any) -> list[tuple[dt.datetime, dt.datetime]]:
    stretches: list[tuple[dt.datetime, dt.datetime]] = []
    for segment in segments:
        if stretches and stretches[-1][1] == segment.start:
            stretches[-1] = (stretches[-1][0], segment.end)
        else:
            stretches.append((segment.start, segment.end))
    return stretches


@transaction.atomic
def delete_time_off(*, actor: Any, time_off: TimeOff) -> None:
    """Remove a period away; the cover requests it raised and nobody took are withdrawn."""
    time_off.cover_requests.filter(status=CoverStatus.OPEN).update(status=CoverStatus.CANCELLED)
    audit.record(
        actor=actor,
        action="delete",
        instance=time_off,
        programme=None,
        before=audit.snapshot(time_off),
    )
    time_off.delete()
