"""The one way Keel shows a time: in the zone its label names, with that zone's abbreviation."""

import datetime as dt

import pytest

from programmes.times import duration, for_message, format_moment, from_now

UTC = dt.UTC
# Europe changes on 29 March 2026 at 01:00 UTC; New York already did on 8 March.
BEFORE = dt.datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
AFTER = dt.datetime(2026, 3, 31, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "zone", "shown"),
    [
        (BEFORE, "Europe/London", "Fri 27 Mar 09:00 GMT"),
        (BEFORE, "Europe/Rome", "Fri 27 Mar 10:00 CET"),
        (BEFORE, "America/New_York", "Fri 27 Mar 05:00 EDT"),
        (AFTER, "Europe/London", "Tue 31 Mar 09:00 BST"),
        (AFTER, "Europe/Rome", "Tue 31 Mar 10:00 CEST"),
        (AFTER, "America/New_York", "Tue 31 Mar 04:00 EDT"),
        (AFTER, "UTC", "Tue 31 Mar 08:00 UTC"),
    ],
)
def test_a_moment_reads_as_the_clock_of_its_zone_on_both_sides_of_dst(moment, zone, shown):
    assert format_moment(moment, zone, now=BEFORE) == shown


def test_the_year_shows_only_when_it_is_not_this_year():
    ten_years_on = dt.datetime(2036, 12, 10, 9, tzinfo=UTC)
    assert format_moment(ten_years_on, "Europe/Rome", now=BEFORE) == "Wed 10 Dec 2036 10:00 CET"
    assert format_moment(BEFORE, "Europe/Rome", style="date", now=BEFORE) == "Fri 27 Mar"
    assert format_moment(BEFORE, "Europe/Rome", style="time") == "10:00 CET"
    assert (
        format_moment(BEFORE, "Europe/Rome", style="seconds", now=BEFORE)
        == "Fri 27 Mar 2026 10:00:00 CET"
    )


def test_a_message_names_its_zone_in_full():
    assert for_message(AFTER, "Europe/Rome", now=BEFORE) == "Tue 31 Mar 10:00 CEST (Europe/Rome)"
    assert for_message(AFTER, "UTC", now=BEFORE) == "Tue 31 Mar 08:00 UTC"


@pytest.mark.parametrize(
    ("delta", "said"),
    [
        (dt.timedelta(minutes=25), "25 min"),
        (dt.timedelta(hours=3, minutes=20), "3 h 20 min"),
        (dt.timedelta(hours=5), "5 h"),
        (dt.timedelta(hours=28), "1 day 4 h"),
        (dt.timedelta(days=6, hours=23), "6 days 23 h"),
        (dt.timedelta(hours=337, minutes=58), "14 days"),
    ],
)
def test_long_durations_read_as_days(delta, said):
    assert duration(delta) == said


def test_from_now_says_in_or_ago():
    assert from_now(BEFORE + dt.timedelta(hours=337, minutes=58), now=BEFORE) == "in 14 days"
    assert from_now(BEFORE - dt.timedelta(minutes=5), now=BEFORE) == "5 min ago"
