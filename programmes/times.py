"""Showing a time, the one way pages, emails and Slack messages do it: a time is shown in the zone
its label names, with that zone's abbreviation (``10:00 CET``), and a message names its zone in
full (``10:00 CET (Europe/Rome)``), so nobody has to guess which clock a time was read from."""

import datetime as dt
import zoneinfo
from zoneinfo import ZoneInfo

from django.utils import timezone

# How much of a moment to show: a date and time (the year only when it is not this year), a time
# of day, a date alone, the full date and time to the second (the audit trail), or a date and
# time that always carries its year (a name stored to be read in years to come).
SHORT = "short"
TIME = "time"
DATE = "date"
SECONDS = "seconds"
LONG = "long"
STYLES = (SHORT, TIME, DATE, SECONDS, LONG)


def timezone_refusal(name: str) -> str | None:
    """Why ``name`` is no time zone Keel can use, or None when it is one."""
    if name in zoneinfo.available_timezones():
        return None
    return f"“{name}” is not a known time zone (for example Europe/London)."


def current_zone() -> str:
    """The viewer's zone on a page (the signed-in person's, set for each request), else UTC."""
    return timezone.get_current_timezone_name()


def in_zone(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.astimezone(ZoneInfo(zone))


def shown_zone(moment: dt.datetime, zone: str) -> str:
    """``zone``, or UTC when ``zone``'s clock cannot show ``moment``: a period stored as ending
    9999-12-31 23:59 UTC is already in the year 10000 in Tokyo, past Python's calendar."""
    try:
        in_zone(moment, zone)
    except OverflowError:
        return "UTC"
    return zone


def abbreviation(moment: dt.datetime, zone: str) -> str:
    """The zone's abbreviation in force at ``moment``: CET or CEST, GMT or BST, EST or EDT."""
    zone = shown_zone(moment, zone)
    return in_zone(moment, zone).tzname() or zone


def _date(local: dt.datetime, today: dt.date, *, always_year: bool = False) -> str:
    text = f"{local:%a} {local.day} {local:%b}"
    if always_year or local.year != today.year:
        text += f" {local.year}"
    return text


def format_moment(
    moment: dt.datetime, zone: str, *, style: str = SHORT, now: dt.datetime | None = None
) -> str:
    """``moment`` as read on a clock in ``zone``: ``Tue 24 Nov 10:00 CET`` (``Thu 10 Dec 2036
    10:00 CET`` for another year), ``10:00 CET``, ``Tue 24 Nov``, ``Tue 24 Nov 2026 10:00:05
    CET`` or ``Tue 24 Nov 2026 10:00 CET``; in UTC, labelled so, when ``zone`` cannot show it."""
    if style not in STYLES:
        raise ValueError(f"Unknown time style {style!r}; one of {', '.join(STYLES)}.")
    zone = shown_zone(moment, zone)
    local = in_zone(moment, zone)
    today = in_zone(now or timezone.now(), zone).date()
    abbr = abbreviation(moment, zone)
    if style == TIME:
        return f"{local:%H:%M} {abbr}"
    if style == DATE:
        return _date(local, today)
    if style == SECONDS:
        return f"{_date(local, today, always_year=True)} {local:%H:%M:%S} {abbr}"
    if style == LONG:
        return f"{_date(local, today, always_year=True)} {local:%H:%M} {abbr}"
    return f"{_date(local, today)} {local:%H:%M} {abbr}"


def for_message(moment: dt.datetime, zone: str, *, now: dt.datetime | None = None) -> str:
    """A time for an email, a Slack message or a refusal: ``Tue 24 Nov 10:00 CET (Europe/Rome)``,
    the zone named in full because a message is read away from Keel's pages."""
    zone = shown_zone(moment, zone)
    text = format_moment(moment, zone, now=now)
    return text if abbreviation(moment, zone) == zone else f"{text} ({zone})"


def _amount(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def duration(delta: dt.timedelta) -> str:
    """A length of time as people say it: ``25 min``, ``3 h 20 min``, ``2 days 4 h``, ``14
    days``."""
    minutes = int(abs(delta).total_seconds()) // 60
    hours, days = minutes // 60, minutes // (60 * 24)
    if minutes < 60:
        return f"{minutes} min"
    if hours < 24:
        return f"{hours} h {minutes % 60} min" if minutes % 60 else f"{hours} h"
    if days < 7 and hours % 24:
        return f"{_amount(days, 'day')} {hours % 24} h"
    return _amount(days, "day")


def duration_words(delta: dt.timedelta) -> str:
    """A length of time as a message says it: "15 minutes", "1 hour", "90 days"."""
    minutes = int(delta.total_seconds()) // 60
    for unit, size in (("day", 24 * 60), ("hour", 60)):
        if minutes >= size and minutes % size == 0:
            return _amount(minutes // size, unit)
    return _amount(minutes, "minute")


def from_now(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """``in 3 h 20 min`` or ``14 days ago``."""
    delta = moment - (now or timezone.now())
    text = duration(delta)
    return f"in {text}" if delta >= dt.timedelta(0) else f"{text} ago"
