"""Short ways through the schedule maths, for the cases that are most of a large portfolio:
who is on call now when the plan alone answers, and whether a rotation can have a gap at all.
Pure functions of their arguments, like ``schedule`` (the one table kept, of the shift under way
per version, only remembers such a result); each gives what the full maths would."""

import datetime as dt
from collections.abc import Sequence

from .schedule import (
    LATEST,
    ROTATION,
    Segment,
    Version,
    clip,
    in_calendar,
    shift_index_at,
    shift_start,
)

# The answer of each one-version plan for the shift under way: it holds until that shift ends,
# so the requests and ticks between two handoffs find it here rather than in the calendar maths.
# A value depends only on the version (immutable) and on which shift is running, so it is never
# stale; the table is emptied when full.
_RUNNING: dict[Version, tuple[Segment, Segment | None]] = {}
RUNNING_LIMIT = 65536


def planned_now_and_next(
    versions: Sequence[Version], at: dt.datetime
) -> tuple[Segment, Segment | None] | None:
    """Who is on call at ``at``, and next, when the rotation's own plan is the whole answer: one
    version, begun, with members (the caller knows no override runs and nobody is away). The same
    answer as ``final_schedule`` over ``current_and_next_shift`` gives, in three shift
    boundaries; None when the plan is not the whole answer, for the full maths."""
    if len(versions) == 1:
        running = _RUNNING.get(versions[0])
        if running is not None and running[0].start <= at < running[0].end:
            return running
    usable = in_calendar(versions)
    at = clip(at)
    if len(usable) != 1 or not usable[0].member_ids or at < usable[0].effective_from:
        return None
    version = usable[0]
    members = version.member_ids
    index = shift_index_at(version, at)
    begin, end = shift_start(version, index), shift_start(version, index + 1)
    after = shift_start(version, index + 2)
    if after > LATEST:
        return None
    current = Segment(
        max(begin, version.effective_from), end, members[index % len(members)], ROTATION
    )
    incoming = members[(index + 1) % len(members)]
    following = Segment(end, after, incoming, ROTATION) if incoming != current.person_id else None
    if len(_RUNNING) >= RUNNING_LIMIT:
        _RUNNING.clear()
    _RUNNING[versions[0]] = (current, following)
    return current, following


def may_have_gaps(versions: Sequence[Version], away: set[int]) -> bool:
    """Whether the schedule can leave nobody on call at all: only a version without members or
    a member's time off can (before the first version nothing is planned, and overrides only
    add cover), so a rotation with neither needs no working out."""
    return any(not v.member_ids or away.intersection(v.member_ids) for v in versions)
