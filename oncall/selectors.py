"""Reads about rotations, always through the programmes a user may see, and the bridge from rows
to the schedule maths."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from programmes.any_of import AnyOf
from programmes.models import Person
from programmes.plain_rows import plain_rows
from programmes.rules import Access
from programmes.selectors import person_of, programme_access, visible_programme, visible_programmes

from . import plan, schedule
from .models import (
    CalendarFeedToken,
    CoverRequest,
    CoverStatus,
    Handoff,
    Level,
    Override,
    Rotation,
    RotationVersion,
    TimeOff,
)
from .version_rows import versions_by_rotation


def versions_prefetch() -> Prefetch[Any]:
    """A rotation's versions, oldest first, as ``rotation.ordered_versions``."""
    return Prefetch(
        "versions",
        queryset=RotationVersion.objects.order_by("effective_from"),
        to_attr="ordered_versions",
    )


def visible_rotations(user: Any) -> QuerySet[Rotation]:
    """Rotations of the programmes ``user`` may see, with their versions loaded."""
    return (
        Rotation.objects.filter(programme__in=visible_programmes(user))
        .select_related("programme")
        .prefetch_related(versions_prefetch())
    )


def rotations_of_programmes(programme_ids: list[int]) -> QuerySet[Rotation]:
    """The rotations of these programmes, with their versions loaded: one query each."""
    return (
        Rotation.objects.filter(programme_id__in=programme_ids)
        .select_related("programme")
        .prefetch_related(versions_prefetch())
    )


def rotations_with_versions(programme_ids: list[int]) -> list[Rotation]:
    """Every rotation of these programmes with its versions, by programme, level and name: the
    one read the dashboard's on-call column, pilot verdict and readiness checks share. The
    versions come as the schedule maths' values (``versions_of``), read as plain rows: a
    portfolio's worth of version objects would cost more than the schedules worked out."""
    rotations = list(
        Rotation.objects.filter(AnyOf(F("programme_id"), programme_ids)).order_by(
            "programme_id", "level", "name", "id"
        )
    )
    versions = versions_by_rotation([rotation.pk for rotation in rotations])
    for rotation in rotations:
        rotation.schedule_versions = versions[rotation.pk]  # type: ignore[attr-defined]
    return rotations


def programme_rotations(programme: Any) -> QuerySet[Rotation]:
    return programme.rotations.select_related("programme").prefetch_related(versions_prefetch())


def get_rotation_for_user(user: Any, rotation_id: int | str) -> tuple[Rotation, Access]:
    """The rotation and the user's access to its programme; 404 when they may not see it."""
    rotation = visible_rotations(user).filter(pk=rotation_id).first()
    if rotation is None:
        raise Http404("No such rotation.")
    programme = visible_programme(user, rotation.programme_id)
    return rotation, programme_access(user, programme)


def as_version(row: RotationVersion) -> schedule.Version:
    return schedule.Version(
        effective_from=row.effective_from,
        anchor=row.anchor,
        cadence=schedule.Cadence(
            timezone=row.timezone,
            shift_kind=row.shift_kind,
            shift_hours=row.shift_hours,
            handoff_time=row.handoff_time,
            handoff_weekday=row.handoff_weekday,
        ),
        member_ids=tuple(row.member_ids),
    )


def version_rows(rotation: Rotation) -> list[RotationVersion]:
    """The rotation's versions, oldest first (prefetched by ``visible_rotations`` and friends)."""
    rows = getattr(rotation, "ordered_versions", None)
    if rows is None:
        rows = list(rotation.versions.order_by("effective_from"))
    return list(rows)


def versions_of(rotation: Rotation) -> list[schedule.Version]:
    """The rotation's versions, oldest first, as the schedule maths takes them."""
    read = getattr(rotation, "schedule_versions", None)
    if read is not None:
        return list(read)
    return [as_version(row) for row in version_rows(rotation)]


def overrides_between(
    rotation_ids: list[int] | QuerySet[Any, Any], start: dt.datetime, end: dt.datetime
) -> dict[int, list[schedule.Period]]:
    """Each rotation's overrides that overlap [start, end), in one query (``rotation_ids`` a
    list, or a query of ids that runs inside it)."""
    found: dict[int, list[schedule.Period]] = defaultdict(list)
    in_rotations = (
        AnyOf(F("rotation_id"), rotation_ids)
        if isinstance(rotation_ids, list)
        else Q(rotation_id__in=rotation_ids)
    )
    rows = Override.objects.filter(in_rotations, start__lt=end, end__gt=start)
    for rotation_id, period_start, period_end, person_id in plain_rows(
        rows.order_by("start").values_list("rotation_id", "start", "end", "person_id")
    ):
        found[rotation_id].append(schedule.Period(period_start, period_end, person_id))
    return found


def time_off_between(
    person_ids: Iterable[int], start: dt.datetime, end: dt.datetime
) -> list[schedule.Period]:
    """Time off of these people that overlaps [start, end), in one query of plain rows (the
    model's own order would join the people to sort by name)."""
    rows = TimeOff.objects.filter(AnyOf(F("person_id"), person_ids), start__lt=end, end__gt=start)
    return [
        schedule.Period(period_start, period_end, person_id)
        for period_start, period_end, person_id in plain_rows(
            rows.order_by("person_id", "start").values_list("start", "end", "person_id")
        )
    ]


def people_away_between(start: dt.datetime, end: dt.datetime) -> set[int]:
    """Who has time off overlapping [start, end): one query."""
    return set(
        TimeOff.objects.filter(start__lt=end, end__gt=start).values_list("person_id", flat=True)
    )


def people_by_id(ids: Iterable[int | None]) -> dict[int, Person]:
    wanted = {pid for pid in ids if pid is not None}
    return {person.pk: person for person in Person.objects.filter(AnyOf(F("pk"), wanted))}


@dataclass(frozen=True)
class RotationSchedule:
    """A rotation's final schedule over a window, and the people in it."""

    rotation: Rotation
    start: dt.datetime
    end: dt.datetime
    segments: list[schedule.Segment]
    people: dict[int, Person]

    @property
    def gaps(self) -> list[schedule.Segment]:
        return schedule.gaps(self.segments)

    @property
    def hours(self) -> dict[int, float]:
        return schedule.hours_per_person(self.segments)


def segments_for(
    rotations: list[Rotation], start: dt.datetime, end: dt.datetime
) -> dict[int, list[schedule.Segment]]:
    """Each rotation's final schedule over [start, end): two queries however many rotations."""
    return schedules_of({r.pk: versions_of(r) for r in rotations}, start, end)


def schedules_of(
    versions: dict[int, list[schedule.Version]], start: dt.datetime, end: dt.datetime
) -> dict[int, list[schedule.Segment]]:
    """``segments_for`` of the rotations with these ids and versions (read as plain rows by
    ``version_rows``, say): two queries however many rotations."""
    if not versions:
        return {}
    overrides = overrides_between(list(versions), start, end)
    members = {pid for vs in versions.values() for v in vs for pid in v.member_ids}
    away_by_person: dict[int, list[schedule.Period]] = defaultdict(list)
    for period in time_off_between(members, start, end):
        away_by_person[period.person_id].append(period)
    found = {}
    for rotation_id, rotation_versions in versions.items():
        rotation_members = {pid for v in rotation_versions for pid in v.member_ids}
        found[rotation_id] = schedule.final_schedule(
            rotation_versions,
            overrides.get(rotation_id, []),
            [p for pid in rotation_members for p in away_by_person.get(pid, [])],
            start,
            end,
        )
    return found


def schedule_for(rotation: Rotation, start: dt.datetime, end: dt.datetime) -> RotationSchedule:
    """The final schedule of ``rotation`` over [start, end), in a fixed number of queries."""
    segments = segments_for([rotation], start, end)[rotation.pk]
    people = people_by_id([s.person_id for s in segments] + [s.planned_person_id for s in segments])
    return RotationSchedule(rotation, start, end, segments, people)


@dataclass(frozen=True)
class OnCallNow:
    rotation: Rotation
    now: schedule.Segment | None
    next: schedule.Segment | None
    people: dict[int, Person]


def on_call_now(rotations: list[Rotation], at: dt.datetime) -> list[OnCallNow]:
    """Who is on call at ``at``, and who is next, on each rotation: a fixed number of queries
    however many rotations, and for each only the current and the next shift are worked out."""
    found = now_and_next({r.pk: versions_of(r) for r in rotations}, at)
    people = people_by_id(
        pid
        for pair in found.values()
        for segment in pair
        if segment is not None
        for pid in (segment.person_id, segment.planned_person_id)
    )
    return [OnCallNow(r, found[r.pk][0], found[r.pk][1], people) for r in rotations]


def now_and_next(
    versions: dict[int, list[schedule.Version]],
    at: dt.datetime,
    *,
    rotation_ids: QuerySet[Any, Any] | None = None,
) -> dict[int, tuple[schedule.Segment | None, schedule.Segment | None]]:
    """Per rotation id (with its versions), the segment on call at ``at`` and the next one, with
    overrides and time off: two queries however many rotations."""
    reach = schedule.LONGEST_SHIFT + dt.timedelta(days=1)
    ids = list(versions) if rotation_ids is None else rotation_ids
    overrides = overrides_between(ids, at - reach, at + 2 * reach)
    members = {pid for vs in versions.values() for v in vs for pid in v.member_ids}
    away_by_person: dict[int, list[schedule.Period]] = defaultdict(list)
    for period in time_off_between(members, at - reach, at + 2 * reach):
        away_by_person[period.person_id].append(period)
    found: dict[int, tuple[schedule.Segment | None, schedule.Segment | None]] = {}
    for rotation_id, rotation_versions in versions.items():
        rotation_overrides = overrides.get(rotation_id, [])
        if not rotation_overrides and not (
            away_by_person
            and any(pid in away_by_person for v in rotation_versions for pid in v.member_ids)
        ):
            planned = plan.planned_now_and_next(rotation_versions, at)
            if planned is not None:
                found[rotation_id] = planned
                continue
        rotation_members = {pid for v in rotation_versions for pid in v.member_ids}
        start, end = schedule.current_and_next_shift(rotation_versions, at)
        # An override running now may have begun before the current shift.
        start = min([start, *(o.start for o in rotation_overrides if o.start <= at < o.end)])
        segments = schedule.final_schedule(
            rotation_versions,
            rotation_overrides,
            [p for pid in rotation_members for p in away_by_person.get(pid, [])],
            start,
            end,
        )
        current = next((s for s in segments if s.start <= at < s.end), None)
        found[rotation_id] = (current, schedule.next_segment_after(segments, current, at))
    return found


def may_revoke_feed_token(user: Any, token: CalendarFeedToken, access: Access | None) -> bool:
    """Whether ``user`` may revoke a calendar link: a person's link is theirs alone; a
    rotation's, whoever made it or may edit the rotation's programme (``access``)."""
    if token.person_id is not None:
        me = person_of(user)
        return me is not None and me.pk == token.person_id
    return token.created_by_id == user.pk or (access is not None and access.can_edit)


def rotation_overrides(rotation: Rotation) -> QuerySet[Override]:
    return rotation.overrides.select_related("person", "created_by")


def rotation_cover_requests(rotation: Rotation) -> QuerySet[CoverRequest]:
    return rotation.cover_requests.select_related("requester", "accepted_by")


def open_cover_requests(rotation: Rotation) -> QuerySet[CoverRequest]:
    return rotation_cover_requests(rotation).filter(status=CoverStatus.OPEN)


def rotation_handoffs(rotation: Rotation) -> QuerySet[Handoff]:
    return rotation.handoffs.select_related("outgoing", "incoming", "acknowledged_by__person")


def visible_time_off(user: Any) -> QuerySet[TimeOff]:
    """Time off of the people on rotations ``user`` can see, and their own."""
    member_ids = {
        pid
        for members in RotationVersion.objects.filter(
            rotation__programme__in=visible_programmes(user)
        ).values_list("member_ids", flat=True)
        for pid in members
    }
    own = Q(person__user=user) if getattr(user, "pk", None) else Q(pk__in=[])
    return TimeOff.objects.filter(Q(person_id__in=member_ids) | own).select_related("person")


COVERAGE_WINDOW = dt.timedelta(days=7)


@dataclass(frozen=True)
class CoverageFacts:
    """What the leadership dashboard shows of one programme's on-call cover."""

    has_rotation: bool
    on_call_now: list[Person]
    # When the first stretch with nobody on call starts within the coverage window, if any.
    gap_from: dt.datetime | None

    @property
    def has_gap(self) -> bool:
        return not self.has_rotation or self.gap_from is not None


def dashboard_facts(
    programme_ids: list[int], now: dt.datetime, rotations: list[Rotation] | None = None
) -> dict[int, CoverageFacts]:
    """Each programme's primary cover: who is on call now and the first gap in the next seven
    days, in a fixed number of queries however many programmes. ``rotations``: these
    programmes' rotations as ``rotations_with_versions`` reads them, when the caller has them."""
    if rotations is None:
        rotations = rotations_with_versions(programme_ids)
    rotations = [r for r in rotations if r.level == Level.PRIMARY]
    segments = segments_for(rotations, now, now + COVERAGE_WINDOW)
    current = {
        rotation.pk: next((s for s in segments[rotation.pk] if s.start <= now < s.end), None)
        for rotation in rotations
    }
    people = people_by_id(s.person_id for s in current.values() if s is not None)
    by_programme: dict[int, list[Rotation]] = defaultdict(list)
    for rotation in rotations:
        by_programme[rotation.programme_id].append(rotation)
    facts = {}
    for pk in programme_ids:
        own = by_programme.get(pk, [])
        on_call = [
            people[segment.person_id]
            for rotation in own
            if (segment := current[rotation.pk]) is not None and segment.person_id is not None
        ]
        gap_starts = [g.start for rotation in own for g in schedule.gaps(segments[rotation.pk])]
        facts[pk] = CoverageFacts(bool(own), on_call, min(gap_starts, default=None))
    return facts
