"""iCalendar feeds of shifts: one event per stretch on call, with a UID that stays the same for
the same stretch on every request, and the rotation's time zone."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from programmes.models import Person

from . import schedule
from .models import Rotation

# What a subscribed calendar shows: the recent past and the months ahead.
FEED_PAST = dt.timedelta(days=30)
FEED_AHEAD = dt.timedelta(days=180)


def event_uid(rotation: Rotation, segment: schedule.Segment) -> str:
    person = segment.person_id if segment.person_id is not None else "gap"
    return f"keel-shift-{rotation.pk}-{segment.start:%Y%m%dT%H%M%SZ}-{person}@keel"


def build_calendar(
    name: str,
    shifts: Iterable[tuple[Rotation, schedule.Segment, str]],
    people: dict[int, Person],
    *,
    stamp: dt.datetime,
) -> bytes:
    """An iCalendar file of ``shifts``: (rotation, segment, its time zone) each."""
    calendar = Calendar()
    calendar.add("prodid", "-//Keel//on-call shifts//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for rotation, segment, zone in shifts:
        tz = ZoneInfo(zone)
        event = Event()
        who = people[segment.person_id].name if segment.person_id is not None else "Nobody (gap)"
        event.add("uid", event_uid(rotation, segment))
        event.add("dtstamp", stamp)
        event.add("dtstart", segment.start.astimezone(tz))
        event.add("dtend", segment.end.astimezone(tz))
        suffix = " (override)" if segment.source == schedule.OVERRIDE else ""
        event.add("summary", f"On call: {who} — {rotation.name}{suffix}")
        event.add(
            "description",
            f"{rotation.programme.name}, {rotation.get_level_display().lower()} rotation.",
        )
        event.add("transp", "OPAQUE" if segment.person_id is not None else "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def calendar_feed_url(url_name: str, object_id: int, key: str) -> str:
    """The subscription URL, on Keel's public address (``KEEL_BASE_URL``), with its secret."""
    return f"{settings.KEEL_BASE_URL}{reverse(url_name, args=[object_id])}?token={key}"
