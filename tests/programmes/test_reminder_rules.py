import datetime as dt

import pytest

from programmes.rules import local_time_to_utc, monthly_occurrence, retry_delay, weekly_occurrence

UTC = dt.UTC
NINE = dt.time(9, 0)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "timezone", "expected"),
    [
        # Europe/London: GMT until the last Sunday of March 2027, BST after it.
        (dt.date(2027, 3, 27), "Europe/London", utc(2027, 3, 27, 9, 0)),
        (dt.date(2027, 3, 28), "Europe/London", utc(2027, 3, 28, 8, 0)),
        # ...and back on the last Sunday of October 2026.
        (dt.date(2026, 10, 24), "Europe/London", utc(2026, 10, 24, 8, 0)),
        (dt.date(2026, 10, 25), "Europe/London", utc(2026, 10, 25, 9, 0)),
        # America/New_York: EST → EDT on 14 March 2027, EDT → EST on 1 November 2026.
        (dt.date(2027, 3, 13), "America/New_York", utc(2027, 3, 13, 14, 0)),
        (dt.date(2027, 3, 14), "America/New_York", utc(2027, 3, 14, 13, 0)),
        (dt.date(2026, 10, 31), "America/New_York", utc(2026, 10, 31, 13, 0)),
        (dt.date(2026, 11, 1), "America/New_York", utc(2026, 11, 1, 14, 0)),
    ],
)
def test_nine_local_is_nine_on_the_wall_on_both_sides_of_a_dst_change(day, timezone, expected):
    assert local_time_to_utc(day, NINE, timezone) == expected


def test_a_time_skipped_by_spring_forward_moves_on_by_the_gap():
    # Clocks in London jump from 01:00 to 02:00 on 28 March 2027; 01:30 does not exist.
    assert local_time_to_utc(dt.date(2027, 3, 28), dt.time(1, 30), "Europe/London") == utc(
        2027, 3, 28, 1, 30
    )


def test_a_time_repeated_by_fall_back_is_its_first_occurrence():
    # 01:30 happens twice in London on 25 October 2026: first in BST (00:30 UTC).
    assert local_time_to_utc(dt.date(2026, 10, 25), dt.time(1, 30), "Europe/London") == utc(
        2026, 10, 25, 0, 30
    )


def test_the_month_is_the_month_in_the_programmes_time_zone():
    # 23:30 UTC on 31 October is already 1 November in Berlin.
    month, due = monthly_occurrence(
        utc(2026, 10, 31, 23, 30), timezone="Europe/Berlin", day_of_month=1, at=NINE
    )
    assert month == "2026-11"
    assert due == utc(2026, 11, 1, 8, 0)


def test_the_week_is_the_iso_week_of_the_local_date():
    # Sunday 3 January 2027 belongs to ISO week 53 of 2026; its Monday is 28 December 2026.
    week, due = weekly_occurrence(
        utc(2027, 1, 3, 12, 0), timezone="Europe/London", weekday=0, at=NINE
    )
    assert week == "2026-W53"
    assert due == utc(2026, 12, 28, 9, 0)


def test_retry_delays_grow_exponentially_up_to_the_cap_with_jitter():
    assert retry_delay(1, base=30, cap=600, jitter=0.0) == 15
    assert retry_delay(1, base=30, cap=600, jitter=0.999) == pytest.approx(30, abs=0.1)
    assert retry_delay(3, base=30, cap=600, jitter=0.0) == 60
    assert retry_delay(10, base=30, cap=600, jitter=0.999) <= 600
    assert retry_delay(10, base=30, cap=600, jitter=0.0) == 300
