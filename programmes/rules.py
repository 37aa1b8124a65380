"""Pure rules about programmes: the stage lifecycle, who may do what, and when reminders fall
due. No ORM in here."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .models import Role, Stage

# Stages a programme may move to from each stage. Production is listed where it is reachable at
# all; whether it is reachable now is its stage gate's to say (programmes.registry.stage_gates).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.PILOT: frozenset({Stage.READINESS_REVIEW, Stage.PAUSED, Stage.RESCOPED, Stage.RETIRED}),
    Stage.READINESS_REVIEW: frozenset(
        {Stage.PRODUCTION, Stage.PILOT, Stage.PAUSED, Stage.RESCOPED, Stage.RETIRED}
    ),
    Stage.PRODUCTION: frozenset(
        {Stage.READINESS_REVIEW, Stage.PAUSED, Stage.RESCOPED, Stage.RETIRED}
    ),
    Stage.PAUSED: frozenset(
        {Stage.PILOT, Stage.READINESS_REVIEW, Stage.PRODUCTION, Stage.RESCOPED, Stage.RETIRED}
    ),
    Stage.RESCOPED: frozenset({Stage.PILOT, Stage.RETIRED}),
    Stage.RETIRED: frozenset(),
}

# A reminder missed by more than this (Keel was down: a handoff, an escalation) is not sent late.
LATE_NOTICE_LIMIT = dt.timedelta(hours=6)

# A new programme may start anywhere but production, which needs a passed readiness review.
INITIAL_STAGES: tuple[str, ...] = (Stage.PILOT, Stage.READINESS_REVIEW, Stage.PAUSED)


def transition_refusal(*, from_stage: str, to_stage: str) -> str | None:
    """Why the lifecycle refuses moving from ``from_stage`` to ``to_stage``, or None when it
    allows it (a stage gate may still refuse)."""
    if to_stage not in Stage.values:
        return f"“{to_stage}” is not a stage. Stages are: {', '.join(Stage.values)}."
    if to_stage == from_stage:
        return f"The programme is already in {Stage(to_stage).label.lower()}."
    if to_stage not in ALLOWED_TRANSITIONS[from_stage]:
        allowed = sorted(ALLOWED_TRANSITIONS[from_stage])
        if not allowed:
            return f"A {Stage(from_stage).label.lower()} programme cannot change stage."
        names = ", ".join(Stage(stage).label.lower() for stage in allowed)
        return (
            f"A programme cannot move from {Stage(from_stage).label.lower()} to "
            f"{Stage(to_stage).label.lower()}; from here it can move to: {names}."
        )
    return None


@dataclass(frozen=True)
class Access:
    """What one user may do with one programme."""

    can_view: bool = False
    can_edit: bool = False
    can_transition: bool = False
    can_manage_members: bool = False
    can_add_measurements: bool = False


NO_ACCESS = Access()
# A programme token (the evaluation harness) reads its programme and posts measurements, no more.
PROGRAMME_TOKEN_ACCESS = Access(can_view=True, can_add_measurements=True)


def access_for(*, role: str | None, is_staff: bool, is_leadership: bool) -> Access:
    """The access that a membership role (or none) and the user's standing give."""
    if is_staff or role == Role.OWNER:
        return Access(
            can_view=True,
            can_edit=True,
            can_transition=True,
            can_manage_members=True,
            can_add_measurements=True,
        )
    if role == Role.EDITOR:
        return Access(can_view=True, can_edit=True, can_transition=True, can_add_measurements=True)
    if role == Role.VIEWER or is_leadership:
        return Access(can_view=True)
    return NO_ACCESS


# Reminders ---------------------------------------------------------------------------------------


def local_time_to_utc(day: dt.date, at: dt.time, timezone: str) -> dt.datetime:
    """The UTC instant of wall-clock time ``at`` on ``day`` in ``timezone``.

    A time that a spring-forward change skips is moved on by the length of the gap (01:30 on the
    night the clocks go from 01:00 to 02:00 is 02:30); a time that a fall-back change repeats is
    its first occurrence.
    """
    return dt.datetime.combine(day, at, tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)


def monthly_occurrence(
    now: dt.datetime, *, timezone: str, day_of_month: int, at: dt.time
) -> tuple[str, dt.datetime]:
    """This month's occurrence (``yyyy-mm`` in ``timezone``) and the instant it falls due."""
    local = now.astimezone(ZoneInfo(timezone))
    due = local_time_to_utc(dt.date(local.year, local.month, day_of_month), at, timezone)
    return f"{local.year:04d}-{local.month:02d}", due


def weekly_occurrence(
    now: dt.datetime, *, timezone: str, weekday: int, at: dt.time
) -> tuple[str, dt.datetime]:
    """This ISO week's occurrence (``yyyy-Www`` in ``timezone``) and the instant it falls due."""
    local = now.astimezone(ZoneInfo(timezone))
    day = local.date() + dt.timedelta(days=weekday - local.weekday())
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}", local_time_to_utc(day, at, timezone)


def next_weekly_at(now: dt.datetime, *, timezone: str, weekday: int, at: dt.time) -> dt.datetime:
    """The next instant, at or after ``now``, of a weekly wall-clock time in ``timezone`` (the
    weekly review: 10:00 in New York stays 10:00 there across a change of clocks)."""
    _, due = weekly_occurrence(now, timezone=timezone, weekday=weekday, at=at)
    if due >= now:
        return due
    local_day = due.astimezone(ZoneInfo(timezone)).date() + dt.timedelta(days=7)
    return local_time_to_utc(local_day, at, timezone)


def one_line(text: str, *, limit: int) -> str:
    """``text`` on one line, runs of whitespace (line breaks included) as one space, cut to
    ``limit`` characters: fit for an email subject."""
    return " ".join(text.split())[:limit]


def retry_delay(attempt: int, *, base: float, cap: float, jitter: float) -> float:
    """Seconds to wait before retry ``attempt`` (1-based): exponential, capped, with jitter.

    ``jitter`` in [0, 1) spreads retries over the upper half of each step, so many failures at
    once do not come back at once.
    """
    step = min(cap, base * 2 ** (attempt - 1))
    return step * (0.5 + jitter / 2)
