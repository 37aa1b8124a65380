"""The rotation calendar's rows: each day in the rotation's time zone, with every stretch of the
final schedule that touches it and where, on that day, the stretch starts and ends. A weekly
shift reads "from 09:00" on its first day, "all day" in between and "until 09:00" on its last.
Pure functions over plain values."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from . import schedule


@dataclass(frozen=True)
class DayEntry:
    """One stretch on one day: ``starts`` when it begins that day, ``ends`` when it ends that day
    (before the day's end), each None when it runs on from the day before or into the next."""

    segment: schedule.Segment
    starts: dt.datetime | None
    ends: dt.datetime | None


def calendar_days(
    segments: Sequence[schedule.Segment], first_day: dt.date, days: int, zone: str
) -> list[tuple[dt.date, list[DayEntry]]]:
    """``days`` days from ``first_day`` in ``zone``, each with the stretches that touch it.
    ``segments`` carry their true starts and ends, which may lie outside the days shown."""
    tz = ZoneInfo(zone)
    last_day = first_day + dt.timedelta(days=days - 1)
    by_day: dict[dt.date, list[DayEntry]] = defaultdict(list)
    for segment in segments:
        start_day = segment.start.astimezone(tz).date()
        end_day = segment.end.astimezone(tz).date()
        # A stretch that ends at midnight ends with the day before: nothing of it is on end_day.
        through = (segment.end - dt.timedelta(microseconds=1)).astimezone(tz).date()
        day = max(start_day, first_day)
        while day <= min(through, last_day):
            by_day[day].append(
                DayEntry(
                    segment,
                    starts=segment.start if day == start_day else None,
                    ends=segment.end if day == end_day else None,
                )
            )
            day += dt.timedelta(days=1)
    return [
        (first_day + dt.timedelta(days=n), by_day.get(first_day + dt.timedelta(days=n), []))
        for n in range(days)
    ]


def clipped(
    segments: Sequence[schedule.Segment], start: dt.datetime, end: dt.datetime
) -> list[schedule.Segment]:
    """The parts of ``segments`` inside [start, end): what the window's gaps and hours count."""
    return [
        replace(segment, start=max(segment.start, start), end=min(segment.end, end))
        for segment in segments
        if segment.start < end and segment.end > start
    ]
