"""The calendar subscription URLs: ``…/calendar.ics?token=…``. No login: the secret token in the
URL is the credential, so a wrong, revoked or missing token is a plain 404."""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from . import person_rotations, schedule, selectors
from .calendar_feed import FEED_AHEAD, FEED_PAST, build_calendar
from .models import CalendarFeedToken, FeedKind


def _token(request: HttpRequest, **target: Any) -> CalendarFeedToken:
    key = request.GET.get("token", "")
    token = (
        CalendarFeedToken.objects.filter(
            key_hash=CalendarFeedToken.hash_key(key), revoked_at__isnull=True, **target
        )
        .select_related("rotation__programme", "person")
        .first()
    )
    if not key or token is None:
        raise Http404("No such calendar.")
    return token


def _whole(
    segments: list[schedule.Segment], start: dt.datetime, end: dt.datetime
) -> list[schedule.Segment]:
    """The segments that overlap [start, end), whole: a shift across the window's edge keeps its
    true start and end, so its event (and its UID) is the same on every fetch."""
    return [segment for segment in segments if segment.end > start and segment.start < end]


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def rotation_calendar(request: HttpRequest, rotation_id: int) -> HttpResponse:
    token = _token(request, kind=FeedKind.ROTATION, rotation_id=rotation_id)
    assert token.rotation is not None
    rotation = selectors.programme_rotations(token.rotation.programme).get(pk=rotation_id)
    now = timezone.now()
    start, end = now - FEED_PAST, now + FEED_AHEAD
    found = selectors.schedule_for(
        rotation, start - schedule.LONGEST_SHIFT, end + schedule.LONGEST_SHIFT
    )
    zone = selectors.versions_of(rotation)[-1].cadence.timezone
    content = build_calendar(
        f"{rotation.name} on call ({rotation.programme.name})",
        ((rotation, segment, zone) for segment in _whole(found.segments, start, end)),
        found.people,
        stamp=now,
    )
    return _ics(content, f"rotation-{rotation.pk}.ics")


def person_calendar(request: HttpRequest, person_id: int) -> HttpResponse:
    token = _token(request, kind=FeedKind.PERSON, person_id=person_id)
    assert token.person is not None
    person = token.person
    now = timezone.now()
    start, end = now - FEED_PAST, now + FEED_AHEAD
    rotations = [
        *person_rotations.rotations_of_person(person),
        *person_rotations.rotations_overriding(person, start, end),
    ]
    unique = list({rotation.pk: rotation for rotation in rotations}.values())
    segments = selectors.segments_for(
        unique, start - schedule.LONGEST_SHIFT, end + schedule.LONGEST_SHIFT
    )
    shifts = [
        (rotation, segment, selectors.versions_of(rotation)[-1].cadence.timezone)
        for rotation in unique
        for segment in _whole(segments[rotation.pk], start, end)
        if segment.person_id == person.pk
    ]
    shifts.sort(key=lambda item: item[1].start)
    content = build_calendar(f"{person.name} on call", shifts, {person.pk: person}, stamp=now)
    return _ics(content, f"on-call-{person.pk}.ics")
