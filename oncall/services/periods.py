"""What every on-call period (an override, a cover request, time off) is checked against."""

import datetime as dt

from django.utils import timezone

from programmes import bounds
from programmes.errors import DomainError
from programmes.models import Person

from .. import selectors
from ..models import (
    Rotation,
)

# How far ahead an edit looks for shifts it moved, and time off for shifts it leaves uncovered.
LOOKAHEAD = dt.timedelta(days=90)


def refuse_outside_schedule(value: dt.date | dt.datetime, field: str) -> None:
    bounds.refuse_outside(value, bounds.SCHEDULE, field=field, now=timezone.now())


def from_now(start: dt.datetime) -> dt.datetime:
    """A new period's start, never before now: what has happened stays as it happened."""
    return max(start, timezone.now())


def check_window(start: dt.datetime, end: dt.datetime) -> None:
    if end <= start:
        raise DomainError("The end must come after the start.", field="end")
    if end <= timezone.now():
        raise DomainError(
            "That period is already over; who was on call then stays as it was.", field="end"
        )
    refuse_outside_schedule(start, "start")
    refuse_outside_schedule(end, "end")


def is_member(rotation: Rotation, person: Person | None) -> bool:
    """Whether ``person`` is in the rotation's latest order (the one in force or coming)."""
    if person is None:
        return False
    return person.pk in selectors.versions_of(rotation)[-1].member_ids
