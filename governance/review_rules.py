"""Pure rules of the weekly review: when the series falls, when a review's day ends, how a
scorecard line reads, and the attendance and on-time rates. No ORM in here."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from programmes.numbers import plain_number as plain
from programmes.rules import local_time_to_utc, next_weekly_at

# How many reviews the series keeps scheduled ahead.
REVIEWS_AHEAD = 4
# The Reviews tab's rates look back this far.
RATE_WINDOW = dt.timedelta(weeks=12)
# A review's notes are this many characters at most.
NOTES_LIMIT = 50_000
# A review may be moved this far from where it was scheduled, and no further.
MOVE_LIMIT = dt.timedelta(days=14)
# On-call gaps are looked for this far ahead of the agenda's moment.
GAP_HORIZON = dt.timedelta(days=14)
# The agenda's period when no review was held before: this long back from the review.
FIRST_PERIOD = dt.timedelta(days=7)


def series_times(
    after: dt.datetime, *, weekday: int, at: dt.time, timezone: str, count: int = REVIEWS_AHEAD
) -> list[dt.datetime]:
    """The next ``count`` instants of the weekly cadence at or after ``after``, each at the
    cadence's wall-clock time in ``timezone`` (10:00 in New York stays 10:00 there across a
    change of clocks)."""
    first = next_weekly_at(after, timezone=timezone, weekday=weekday, at=at)
    first_day = first.astimezone(ZoneInfo(timezone)).date()
    return [
        local_time_to_utc(first_day + dt.timedelta(weeks=n), at, timezone) for n in range(count)
    ]


def end_of_local_day(moment: dt.datetime, timezone: str) -> dt.datetime:
    """The instant the local day of ``moment`` ends in ``timezone`` (midnight after it)."""
    day = moment.astimezone(ZoneInfo(timezone)).date() + dt.timedelta(days=1)
    return local_time_to_utc(day, dt.time(0, 0), timezone)


def reminder_at(scheduled_for: dt.datetime, timezone: str) -> dt.datetime:
    """When the named owners hear of a review: its wall-clock time on the local day before, so
    a 10:00 review is announced at 10:00 even when the clocks changed overnight."""
    local = scheduled_for.astimezone(ZoneInfo(timezone))
    return local_time_to_utc(local.date() - dt.timedelta(days=1), local.time(), timezone)


def move_refusal(
    *, scheduled_for: dt.datetime, to: dt.datetime, now: dt.datetime, already_moved: bool
) -> str | None:
    """Why a review cannot move from ``scheduled_for`` to ``to``; None when it can."""
    if already_moved:
        return "This review was moved once already; cancel it with a reason instead."
    if to <= now:
        return "Move the review to a time that is still to come."
    if abs(to - scheduled_for) > MOVE_LIMIT:
        return (
            f"A review moves by {MOVE_LIMIT.days} days at most; further than that, cancel it "
            "and let the next one in the series take its place."
        )
    return None


def scorecard_line(
    *,
    ok: bool,
    name: str,
    current: Decimal | None,
    target: Decimal,
    unit: str,
) -> str:
    """The production meeting's line: ``OK accuracy: 91.5 % vs 95 %`` or ``BAD …``."""
    suffix = f" {unit}" if unit else ""
    shown = "not measured" if current is None else f"{plain(current)}{suffix}"
    return f"{'OK' if ok else 'BAD'} {name}: {shown} vs {plain(target)}{suffix}"


def change_since(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """The change of a metric since the last review, None when either end is unmeasured."""
    if current is None or previous is None:
        return None
    return current - previous


@dataclass(frozen=True)
class ReviewRates:
    """Over a window of past reviews: how many were due, held, held on their day, and the share
    of named owners present at the held ones."""

    due: int
    held: int
    held_on_time: int
    attendance_pct: int | None

    @property
    def held_on_time_pct(self) -> int | None:
        return None if self.due == 0 else round(100 * self.held_on_time / self.due)


def review_rates(
    reviews: Iterable[tuple[str, bool]], attendance: Iterable[tuple[int, int]]
) -> ReviewRates:
    """``reviews``: (status, held on its day) for each past review not cancelled;
    ``attendance``: (present, expected) per held review."""
    due = held = on_time = 0
    for status, in_time in reviews:
        due += 1
        if status == "held":
            held += 1
            on_time += int(in_time)
    present = expected = 0
    for seen, wanted in attendance:
        present += seen
        expected += wanted
    pct = None if expected == 0 else round(100 * present / expected)
    return ReviewRates(due=due, held=held, held_on_time=on_time, attendance_pct=pct)


def missed_in_a_row(statuses_newest_first: Iterable[str]) -> int:
    """How many reviews in a row, counting back from the latest past one, were missed (a
    cancelled review neither counts nor breaks the run; a held one ends it)."""
    run = 0
    for status in statuses_newest_first:
        if status == "cancelled":
            continue
        if status != "missed":
            break
        run += 1
    return run
