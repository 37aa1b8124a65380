"""The windows dates and times entering Keel must fall in, so a slip of the keyboard (year 9999,
year 1) is refused with a message before it is stored. Pure functions of plain values; the
services (pages and API alike) and the API's query parameters ask them. docs/api.md lists them.
"""

import datetime as dt
from dataclasses import dataclass

from .errors import DomainError

A_YEAR = dt.timedelta(days=366)
TEN_YEARS = dt.timedelta(days=3653)
A_HUNDRED_YEARS = dt.timedelta(days=36525)


@dataclass(frozen=True)
class Window:
    """From ``back`` before now to ``ahead`` after it; ``described`` says so in words."""

    back: dt.timedelta
    ahead: dt.timedelta
    described: str

    def limits(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        return now - self.back, now + self.ahead


# Plans: rotation starts, overrides, cover requests, time off, postmortem actions' due dates.
SCHEDULE = Window(A_YEAR, TEN_YEARS, "from a year ago to ten years ahead")
# The scorecard: baseline, target and agreement dates, and when a measurement was taken.
SCORECARD = Window(TEN_YEARS, TEN_YEARS, "from ten years ago to ten years ahead")
# What a read may ask about: `since`, `until`, `start` and `end` of lists and schedules.
QUERY = Window(A_HUNDRED_YEARS, A_HUNDRED_YEARS, "from a hundred years ago to a hundred ahead")


def refusal(value: dt.date | dt.datetime, window: Window, now: dt.datetime) -> str | None:
    """Why ``value`` (a date, or an aware datetime) is refused, outside ``window`` around
    ``now``; None when it is inside."""
    earliest, latest = window.limits(now)
    if isinstance(value, dt.datetime):
        inside = earliest <= value <= latest
    else:
        inside = earliest.date() <= value <= latest.date()
    if inside:
        return None
    return (
        f"Give a date between {earliest:%d %b %Y} and {latest:%d %b %Y} "
        f"({window.described}); {value:%d %b %Y} is outside that."
    )


def refuse_outside(
    value: dt.date | dt.datetime, window: Window, *, field: str, now: dt.datetime
) -> None:
    """Raises a ``DomainError`` about ``field`` when ``value`` lies outside ``window``."""
    why = refusal(value, window, now)
    if why:
        raise DomainError(why, field=field)
