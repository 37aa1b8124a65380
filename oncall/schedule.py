"""Schedule maths, in one place: shift boundaries in wall-clock time, who is on call at an
instant, the final shifts of a window (rotation, time off, overrides), gaps and hours per person.
Pure functions over plain values; no ORM.

Daily and weekly handoffs happen at the same local time on both sides of a DST change, so a shift
across the change lasts 23 or 25 hours. Shifts of "every N hours" are N elapsed hours.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from programmes.rules import local_time_to_utc

from .hashed_once import HashedOnce
from .models import ShiftKind

# Each person's stretches on call, as (start, end) pairs.
Stretches = dict[int, set[tuple[dt.datetime, dt.datetime]]]

ROTATION = "rotation"
OVERRIDE = "override"
# The longest shift a rotation may have (``RotationVersion.shift_hours`` allows 14 days).
LONGEST_SHIFT = dt.timedelta(days=14)
# The stretch of time the maths works in. Entry bounds (``programmes.bounds``) keep new dates far
# inside it; a date stored before them (year 1, year 9999) must not overflow Python's calendar:
# a version taking effect after LATEST never does, one anchored before EARLIEST is moved forward
# by whole rounds of its members, and every window is cut to [EARLIEST, LATEST). 1800 is before
# every zone's first transition, so the local date of an anchor moved there moves by whole days.
EARLIEST = dt.datetime(1800, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Cadence(HashedOnce):
    """How a rotation cuts time into shifts."""

    timezone: str
    shift_kind: str
    shift_hours: int
    handoff_time: dt.time
    handoff_weekday: int
    __hash__ = HashedOnce.__hash__


def significant(cadence: Cadence) -> Cadence:
    """``cadence`` with the settings its kind of shift ignores set to their defaults, so two
    cadences that cut time the same way compare equal."""
    hours = cadence.shift_hours if cadence.shift_kind == ShiftKind.HOURS else 24
    weekday = cadence.handoff_weekday if cadence.shift_kind == ShiftKind.WEEKLY else 0
    return replace(cadence, shift_hours=hours, handoff_weekday=weekday)


@dataclass(frozen=True)
class Version(HashedOnce):
    """A rotation's settings from ``effective_from``; shift k is ``member_ids[k % n]``."""

    effective_from: dt.datetime
    anchor: dt.datetime
    cadence: Cadence
    member_ids: tuple[int, ...]
    __hash__ = HashedOnce.__hash__


@dataclass(frozen=True)
class Period:
    """[start, end) for ``person_id``: an override, or a person's time off."""

    start: dt.datetime
    end: dt.datetime
    person_id: int


@dataclass(frozen=True)
class Segment:
    """A stretch of the final schedule: who is on call (None: nobody, a gap) and why."""

    start: dt.datetime
    end: dt.datetime
    person_id: int | None
    source: str  # ROTATION or OVERRIDE
    planned_person_id: int | None = None  # whom the rotation had planned, where that differs

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


# The calendar the maths works in ------------------------------------------------------------------


def _round_of_members(version: Version) -> dt.timedelta:
    """How long the rotation takes to come back to its first member."""
    cadence = version.cadence
    members = max(len(version.member_ids), 1)
    if cadence.shift_kind == ShiftKind.HOURS:
        return dt.timedelta(hours=cadence.shift_hours * members)
    return dt.timedelta(days=(7 if cadence.shift_kind == ShiftKind.WEEKLY else 1) * members)


def in_calendar(versions: Sequence[Version]) -> list[Version]:
    """``versions`` as the maths can work with them: those taking effect at or after LATEST
    dropped (they never take effect), anchors before EARLIEST moved forward by whole rounds of
    members, which leaves who is on call when unchanged."""
    usable = []
    for version in versions:
        if version.effective_from >= LATEST:
            continue
        if version.anchor < EARLIEST:
            period = _round_of_members(version)
            rounds = -((version.anchor - EARLIEST) // period)
            version = replace(version, anchor=version.anchor + rounds * period)
        usable.append(version)
    return usable


def clip(moment: dt.datetime) -> dt.datetime:
    return min(max(moment, EARLIEST), LATEST)


# Shift boundaries --------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _local_date(moment: dt.datetime, zone: str) -> dt.date:
    return moment.astimezone(ZoneInfo(zone)).date()


def _anchor_date(version: Version) -> dt.date:
    # Asked for every shift boundary: the same few anchors, so worked out once each.
    return _local_date(version.anchor, version.cadence.timezone)


def anchor_day(version: Version) -> dt.date:
    """The local day of the version's first shift; its UTC day where the local one would fall
    off the calendar (an anchor stored as year 1 or 9999)."""
    try:
        return _anchor_date(version)
    except OverflowError:
        return version.anchor.date()


def shift_start(version: Version, index: int) -> dt.datetime:
    """The instant shift ``index`` of ``version`` begins."""
    return _shift_start(version.anchor, version.cadence, index)


# A pure function of its arguments, asked for the same few boundaries by every request and tick
# (who is on call now, the handoffs due): each worked out once per process.
@lru_cache(maxsize=262144)
def _shift_start(anchor: dt.datetime, cadence: Cadence, index: int) -> dt.datetime:
    if cadence.shift_kind == ShiftKind.HOURS:
        return anchor + dt.timedelta(hours=cadence.shift_hours * index)
    days = 7 if cadence.shift_kind == ShiftKind.WEEKLY else 1
    day = _local_date(anchor, cadence.timezone) + dt.timedelta(days=days * index)
    return local_time_to_utc(day, cadence.handoff_time, cadence.timezone)


def shift_index_at(version: Version, at: dt.datetime) -> int:
    """The index of the shift of ``version`` that contains ``at``."""
    cadence = version.cadence
    if cadence.shift_kind == ShiftKind.HOURS:
        elapsed = (at - version.anchor).total_seconds()
        return int(elapsed // (cadence.shift_hours * 3600))
    days = 7 if cadence.shift_kind == ShiftKind.WEEKLY else 1
    local_day = at.astimezone(ZoneInfo(cadence.timezone)).date()
    index = (local_day - _anchor_date(version)).days // days
    # The estimate is off by at most one where the handoff time has not come yet today.
    while shift_start(version, index) > at:
        index -= 1
    while shift_start(version, index + 1) <= at:
        index += 1
    return index


def first_handoff_at_or_after(cadence: Cadence, at: dt.datetime) -> dt.datetime:
    """The first instant at or after ``at`` on which ``cadence`` hands over."""
    if cadence.shift_kind == ShiftKind.HOURS:
        return at
    local_day = at.astimezone(ZoneInfo(cadence.timezone)).date()
    if cadence.shift_kind == ShiftKind.WEEKLY:
        local_day += dt.timedelta(days=(cadence.handoff_weekday - local_day.weekday()) % 7)
    step = dt.timedelta(days=7 if cadence.shift_kind == ShiftKind.WEEKLY else 1)
    candidate = local_time_to_utc(local_day, cadence.handoff_time, cadence.timezone)
    while candidate < at:
        local_day += step
        candidate = local_time_to_utc(local_day, cadence.handoff_time, cadence.timezone)
    return candidate


def current_and_next_shift(
    versions: Sequence[Version], at: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """From the start of the shift running at ``at`` to the end of the one after it: all that
    "who is on call now, and next" needs. Before the rotation starts: its first two shifts."""
    versions = in_calendar(versions)
    at = clip(at)
    version = version_at(versions, at)
    if version is None:
        if not versions:
            return at, at
        first = versions[0]
        return first.effective_from, shift_start(
            first, shift_index_at(first, first.effective_from) + 2
        )
    index = shift_index_at(version, at)
    return max(shift_start(version, index), version.effective_from), shift_start(version, index + 2)


class TakesEffect(Protocol):
    @property
    def effective_from(self) -> dt.datetime: ...


InForce = TypeVar("InForce", bound=TakesEffect)


def version_at(versions: Sequence[InForce], at: dt.datetime) -> InForce | None:
    """The version in force at ``at`` (``versions`` sorted by ``effective_from``): a schedule's
    ``Version`` or a stored ``RotationVersion`` row alike."""
    current = None
    for version in versions:
        if version.effective_from > at:
            break
        current = version
    return current


def _following(versions: Sequence[Version], version: Version) -> Version | None:
    index = versions.index(version)
    return versions[index + 1] if index + 1 < len(versions) else None


# The rotation's own plan -------------------------------------------------------------------------


def planned_shifts(
    versions: Sequence[Version], start: dt.datetime, end: dt.datetime
) -> list[Segment]:
    """The rotation's shifts that overlap [start, end), clipped to it and to each version's time
    in force. Before the first version nothing is planned (the rotation has not started)."""
    versions = in_calendar(versions)
    start, end = clip(start), clip(end)
    shifts: list[Segment] = []
    for position, version in enumerate(versions):
        until = versions[position + 1].effective_from if position + 1 < len(versions) else end
        lower, upper = max(start, version.effective_from), min(end, until)
        if lower >= upper or not version.member_ids:
            continue
        index = shift_index_at(version, lower)
        shift_begin = shift_start(version, index)
        while shift_begin < upper:
            # One shift's end is the next one's start: each boundary is worked out once.
            shift_end = shift_start(version, index + 1)
            person = version.member_ids[index % len(version.member_ids)]
            shifts.append(Segment(max(shift_begin, lower), min(shift_end, upper), person, ROTATION))
            shift_begin = shift_end
            index += 1
    return shifts


# The final schedule ------------------------------------------------------------------------------


def _subtract(segment: Segment, holes: Iterable[tuple[dt.datetime, dt.datetime]]) -> list[Segment]:
    """``segment`` with the [start, end) ``holes`` cut out."""
    pieces = [segment]
    for hole_start, hole_end in holes:
        cut = []
        for piece in pieces:
            if hole_end <= piece.start or hole_start >= piece.end:
                cut.append(piece)
                continue
            who = (piece.person_id, piece.source, piece.planned_person_id)  # replace() costs more
            if piece.start < hole_start:
                cut.append(Segment(piece.start, hole_start, *who))
            if hole_end < piece.end:
                cut.append(Segment(hole_end, piece.end, *who))
        pieces = cut
    return pieces


def final_schedule(
    versions: Sequence[Version],
    overrides: Sequence[Period],
    time_off: Sequence[Period],
    start: dt.datetime,
    end: dt.datetime,
) -> list[Segment]:
    """Who is on call through [start, end): the rotation's shifts, with the time its people are
    away turned into gaps (``person_id`` None), and overrides on top of both."""
    start, end = clip(start), clip(end)
    if not overrides and not time_off:
        # Nobody away, nobody covering: the plan is the schedule (and is in order already).
        return planned_shifts(versions, start, end)
    away: dict[int | None, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for period in time_off:
        away[period.person_id].append((period.start, period.end))
    segments: list[Segment] = []
    for shift in planned_shifts(versions, start, end):
        if shift.person_id not in away:  # present throughout: no gap to cut out
            segments.append(shift)
            continue
        present = _subtract(shift, away[shift.person_id])
        segments.extend(present)
        absent = _subtract(replace(shift, person_id=None), [(p.start, p.end) for p in present])
        segments.extend(replace(piece, planned_person_id=shift.person_id) for piece in absent)
    covered = [(o.start, o.end) for o in overrides]
    final = [piece for segment in segments for piece in _subtract(segment, covered)]
    for override in overrides:
        lower, upper = max(start, override.start), min(end, override.end)
        if lower < upper:
            final.append(Segment(lower, upper, override.person_id, OVERRIDE))
    final.sort(key=lambda segment: segment.start)
    return final


def on_call_at(
    versions: Sequence[Version],
    overrides: Sequence[Period],
    time_off: Sequence[Period],
    at: dt.datetime,
) -> Segment | None:
    """The segment of the final schedule that contains ``at``, with its true start and end (its
    person may be None: a gap), or None before the rotation starts."""
    reach = LONGEST_SHIFT + dt.timedelta(days=1)
    at = clip(at)
    for segment in final_schedule(versions, overrides, time_off, at - reach, at + reach):
        if segment.start <= at < segment.end:
            return segment
    return None


def next_segment_after(
    segments: Sequence[Segment], current: Segment | None, at: dt.datetime
) -> Segment | None:
    """The segment that follows ``current`` with someone else (or nobody) on call; before the
    rotation starts (no ``current``), its first segment after ``at``."""
    if current is None:
        return next((segment for segment in segments if segment.start > at), None)
    for segment in segments:
        if segment.start >= current.end and segment.person_id != current.person_id:
            return segment
    return None


def gaps(segments: Sequence[Segment]) -> list[Segment]:
    """The stretches in which nobody is on call, adjacent ones joined."""
    joined: list[Segment] = []
    for segment in segments:
        if segment.person_id is not None:
            continue
        if joined and joined[-1].end == segment.start:
            joined[-1] = replace(joined[-1], end=segment.end)
        else:
            joined.append(segment)
    return joined


def hours_per_person(segments: Sequence[Segment]) -> dict[int, float]:
    """Hours on call per person over the segments: the fairness figure."""
    hours: dict[int, float] = defaultdict(float)
    for segment in segments:
        if segment.person_id is not None:
            hours[segment.person_id] += segment.hours
    return dict(hours)


@dataclass(frozen=True)
class Change:
    """A change of hands in the final schedule."""

    at: dt.datetime
    outgoing_id: int | None
    incoming_id: int | None


def changes_of_hands(segments: Sequence[Segment]) -> list[Change]:
    """Every instant in the segments at which the person on call changes."""
    changes = []
    for before, after in pairwise(segments):
        if before.end == after.start and before.person_id != after.person_id:
            changes.append(Change(after.start, before.person_id, after.person_id))
    return changes


def shifts_by_person(
    segments: Sequence[Segment],
) -> dict[int, set[tuple[dt.datetime, dt.datetime]]]:
    """Each person's stretches on call: what an edit compares to see whose shifts moved."""
    stretches: Stretches = defaultdict(set)
    for segment in segments:
        if segment.person_id is not None:
            stretches[segment.person_id].add((segment.start, segment.end))
    return dict(stretches)
