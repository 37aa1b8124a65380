"""The short way to who is on call now (the plan alone, when no override runs and nobody is
away) gives exactly what the full schedule maths gives: every shape of rotation, across the
clocks changing, at every hour of two months."""

import datetime as dt
import itertools
import random

import pytest

from oncall import plan, schedule

UTC = dt.UTC


def version(kind: str, zone: str, members: tuple[int, ...], hours: int = 8) -> schedule.Version:
    anchor = dt.datetime(2026, 3, 2, 9, tzinfo=UTC)
    return schedule.Version(
        effective_from=anchor,
        anchor=anchor,
        cadence=schedule.Cadence(
            timezone=zone,
            shift_kind=kind,
            shift_hours=hours,
            handoff_time=dt.time(9),
            handoff_weekday=0,
        ),
        member_ids=members,
    )


def full_answer(versions, at):
    start, end = schedule.current_and_next_shift(versions, at)
    segments = schedule.final_schedule(versions, [], [], start, end)
    current = next((s for s in segments if s.start <= at < s.end), None)
    return current, schedule.next_segment_after(segments, current, at)


@pytest.mark.parametrize(
    ("kind", "zone", "members"),
    list(
        itertools.product(
            ["daily", "weekly", "hours"],
            ["Europe/London", "America/New_York", "UTC"],
            [(1, 2, 3), (1,), (1, 1, 2)],
        )
    ),
)
def test_the_plan_alone_answers_as_the_full_maths_does(kind, zone, members):
    versions = [version(kind, zone, members)]
    at = dt.datetime(2026, 3, 2, 9, tzinfo=UTC)
    for _ in range(24 * 60):
        assert plan.planned_now_and_next(versions, at) == full_answer(versions, at), at
        at += dt.timedelta(hours=1, minutes=7)


def test_before_the_rotation_starts_or_with_two_versions_the_full_maths_is_asked():
    early = dt.datetime(2026, 3, 1, tzinfo=UTC)
    assert plan.planned_now_and_next([version("daily", "UTC", (1, 2))], early) is None
    later = version("daily", "UTC", (3, 4))
    two = [version("daily", "UTC", (1, 2)), later]
    assert plan.planned_now_and_next(two, dt.datetime(2026, 4, 1, tzinfo=UTC)) is None


def test_the_answer_kept_for_the_running_shift_holds_only_within_that_shift():
    """Asked in any order (a later shift kept, then an earlier instant, across the clocks going
    forward), the short way still answers as the full maths does."""
    versions = [version("weekly", "Europe/London", (1, 2, 3))]
    start = dt.datetime(2026, 3, 2, 9, tzinfo=UTC)
    instants = [start + dt.timedelta(hours=5, minutes=13) * n for n in range(300)]
    random.Random(12).shuffle(instants)
    for at in instants:
        fresh = [version("weekly", "Europe/London", (1, 2, 3))]
        assert plan.planned_now_and_next(versions, at) == full_answer(fresh, at), at
