import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from oncall import schedule
from oncall.models import ShiftKind

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def version(
    *,
    tz="Europe/London",
    kind=ShiftKind.DAILY,
    hours=24,
    at=dt.time(9, 0),
    weekday=0,
    members=(1, 2, 3),
    anchor=None,
    effective_from=None,
):
    cadence = schedule.Cadence(tz, kind, hours, at, weekday)
    anchor = anchor or dt.datetime(2026, 1, 5, 9, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    return schedule.Version(effective_from or anchor, anchor, cadence, tuple(members))


def local(segment, zone):
    return segment.start.astimezone(zone).time(), segment.end.astimezone(zone).time()


@pytest.mark.parametrize(
    ("zone", "change_day", "length_hours"),
    [
        ("Europe/London", dt.date(2026, 3, 29), 23),  # spring forward
        ("Europe/London", dt.date(2026, 10, 25), 25),  # fall back
        ("America/New_York", dt.date(2026, 3, 8), 23),
        ("America/New_York", dt.date(2026, 11, 1), 25),
    ],
)
def test_daily_handoff_stays_at_local_wall_clock_time_across_dst(zone, change_day, length_hours):
    tz = ZoneInfo(zone)
    rotation = [version(tz=zone)]
    start = dt.datetime.combine(change_day - dt.timedelta(days=2), dt.time(12), tzinfo=tz)
    shifts = schedule.planned_shifts(rotation, start, start + dt.timedelta(days=4))
    full = shifts[1:-1]  # the first and last are clipped by the window
    assert all(local(s, tz) == (dt.time(9), dt.time(9)) for s in full)
    across = next(s for s in full if s.start.astimezone(tz).date() == change_day - dt.timedelta(1))
    assert across.hours == length_hours
    others = [s.hours for s in full if s is not across]
    assert others == [24.0] * len(others)


def test_weekly_shift_across_the_change_is_a_week_of_wall_clock_time():
    rotation = [version(kind=ShiftKind.WEEKLY, weekday=0)]
    # Monday 23 March 2026 09:00 GMT → Monday 30 March 09:00 BST.
    at = dt.datetime(2026, 3, 25, 12, tzinfo=UTC)
    current = schedule.on_call_at(rotation, [], [], at)
    assert current.start.astimezone(LONDON) == dt.datetime(2026, 3, 23, 9, tzinfo=LONDON)
    assert current.end.astimezone(LONDON) == dt.datetime(2026, 3, 30, 9, tzinfo=LONDON)
    assert current.hours == 7 * 24 - 1


def test_who_is_on_call_rotates_through_the_members_in_order():
    rotation = [version(members=(10, 20, 30))]
    first = dt.datetime(2026, 1, 5, 9, tzinfo=LONDON)
    people = [
        schedule.on_call_at(rotation, [], [], first + dt.timedelta(days=d, hours=1)).person_id
        for d in range(4)
    ]
    assert people == [10, 20, 30, 10]
    # 08:59 on the 6th is still the 5th's shift.
    just_before = dt.datetime(2026, 1, 6, 8, 59, tzinfo=LONDON)
    assert schedule.on_call_at(rotation, [], [], just_before).person_id == 10
    assert schedule.on_call_at(rotation, [], [], first - dt.timedelta(minutes=1)) is None


def test_every_n_hours_counts_elapsed_hours():
    rotation = [version(kind=ShiftKind.HOURS, hours=12, members=(1, 2))]
    shifts = schedule.planned_shifts(
        rotation,
        dt.datetime(2026, 3, 28, 9, tzinfo=UTC),
        dt.datetime(2026, 3, 30, 9, tzinfo=UTC),
    )
    assert {s.hours for s in shifts} == {12.0}


def test_override_replaces_the_rotation_and_time_off_leaves_a_gap():
    rotation = [version(members=(1, 2))]
    day = dt.datetime(2026, 2, 2, 9, tzinfo=LONDON).astimezone(UTC)  # person 1's shift (index 28)
    assert schedule.on_call_at(rotation, [], [], day + dt.timedelta(hours=1)).person_id == 1
    away = [schedule.Period(day + dt.timedelta(hours=2), day + dt.timedelta(hours=6), 1)]
    cover = [schedule.Period(day + dt.timedelta(hours=4), day + dt.timedelta(hours=5), 3)]
    segments = schedule.final_schedule(rotation, cover, away, day, day + dt.timedelta(days=1))
    assert [(s.person_id, s.source, s.hours) for s in segments] == [
        (1, "rotation", 2.0),
        (None, "rotation", 2.0),
        (3, "override", 1.0),
        (None, "rotation", 1.0),
        (1, "rotation", 18.0),
    ]
    assert [(g.start - day, g.end - day) for g in schedule.gaps(segments)] == [
        (dt.timedelta(hours=2), dt.timedelta(hours=4)),
        (dt.timedelta(hours=5), dt.timedelta(hours=6)),
    ]
    assert schedule.hours_per_person(segments) == {1: 20.0, 3: 1.0}
    gap = schedule.on_call_at(rotation, cover, away, day + dt.timedelta(hours=3))
    assert gap.person_id is None
    assert gap.planned_person_id == 1


def test_a_new_version_takes_over_at_its_effective_time_and_the_past_stays():
    old = version(members=(1, 2, 3))
    boundary = dt.datetime(2026, 1, 8, 9, tzinfo=LONDON).astimezone(UTC)
    new = schedule.Version(boundary, old.anchor, old.cadence, (3, 2, 1))
    before = dt.datetime(2026, 1, 7, 12, tzinfo=UTC)
    assert schedule.on_call_at([old], [], [], before).person_id == 3
    assert schedule.on_call_at([old, new], [], [], before).person_id == 3
    # Shift index 3 from the 8th: old order gives 1, new order gives 3.
    after = boundary + dt.timedelta(hours=1)
    assert schedule.on_call_at([old], [], [], after).person_id == 1
    assert schedule.on_call_at([old, new], [], [], after).person_id == 3


def test_changes_of_hands_and_first_handoff():
    rotation = [version(members=(1, 2))]
    start = dt.datetime(2026, 1, 5, 9, tzinfo=LONDON).astimezone(UTC)
    segments = schedule.final_schedule(rotation, [], [], start, start + dt.timedelta(days=3))
    changes = schedule.changes_of_hands(segments)
    assert [(c.outgoing_id, c.incoming_id) for c in changes] == [(1, 2), (2, 1)]
    weekly = schedule.Cadence("Europe/London", ShiftKind.WEEKLY, 24, dt.time(9), 2)
    wednesday = schedule.first_handoff_at_or_after(weekly, dt.datetime(2026, 1, 5, tzinfo=UTC))
    assert wednesday.astimezone(LONDON) == dt.datetime(2026, 1, 7, 9, tzinfo=LONDON)


def test_a_version_anchored_before_the_calendar_keeps_its_order():
    """Moved forward by whole rounds of its members, a version from year 1 still puts the same
    person on call at any instant."""
    far_back = schedule.Version(
        effective_from=dt.datetime(1, 1, 2, tzinfo=UTC),
        anchor=dt.datetime(1, 1, 2, 9, tzinfo=UTC),
        cadence=schedule.Cadence("UTC", "daily", 24, dt.time(9), 0),
        member_ids=(1, 2, 3),
    )
    (moved,) = schedule.in_calendar([far_back])
    assert moved.anchor >= schedule.EARLIEST
    for at in (dt.datetime(1900, 5, 1, tzinfo=UTC), dt.datetime(2026, 3, 29, 8, tzinfo=UTC)):
        assert (
            moved.member_ids[schedule.shift_index_at(moved, at) % 3]
            == far_back.member_ids[schedule.shift_index_at(far_back, at) % 3]
        )


def test_a_version_taking_effect_after_the_calendar_never_does():
    never = schedule.Version(
        effective_from=dt.datetime(9999, 12, 31, 9, tzinfo=UTC),
        anchor=dt.datetime(9999, 12, 31, 9, tzinfo=UTC),
        cadence=schedule.Cadence("Pacific/Kiritimati", "weekly", 24, dt.time(9), 4),
        member_ids=(1,),
    )
    now = dt.datetime(2026, 12, 1, tzinfo=UTC)
    assert schedule.in_calendar([never]) == []
    assert schedule.current_and_next_shift([never], now) == (now, now)
    assert schedule.final_schedule([never], [], [], now, dt.datetime.max.replace(tzinfo=UTC)) == []
