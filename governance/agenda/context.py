"""What every section builder reads: the programme, the review, the period, and the data more
than one section needs, each loaded once."""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from programmes.models import Programme
from programmes.times import LONG, format_moment
from scorecards import selectors as scorecard_selectors
from scorecards.models import Metric

from ..models import Review


@dataclass
class AgendaContext:
    programme: Programme
    review: Review
    since: dt.datetime
    until: dt.datetime
    # The held reviews of the programme before this one, oldest first: (id, scheduled_for).
    held_before: list[tuple[int, dt.datetime]] = field(default_factory=list)

    @property
    def review_zone(self) -> ZoneInfo:
        return ZoneInfo(self.review.timezone)

    @cached_property
    def metrics(self) -> list[Metric]:
        return list(scorecard_selectors.programme_metrics(self.programme))

    def moment(self, moment: dt.datetime | None) -> str:
        """A time as the agenda shows it: in the review's zone, the zone named."""
        if moment is None:
            return "never"
        return format_moment(moment, self.review.timezone, style=LONG)

    def day(self, day: dt.date) -> str:
        return f"{day:%a} {day.day} {day:%b %Y}"


def item(
    key: str,
    text: str,
    *,
    tone: str = "info",
    detail: str = "",
    link: str = "",
    needs_decision: bool = False,
    question: bool = False,
    **values: Any,
) -> dict[str, Any]:
    """One agenda item: what the meeting reads (``text``, ``detail``), how it reads (``tone``:
    ok, bad, warn, info), whether the meeting must decide it or answer it yes or no, and the
    values behind it for API clients (``values``)."""
    return {
        "key": key,
        "text": text,
        "tone": tone,
        "detail": detail,
        "link": link,
        "needs_decision": needs_decision,
        "question": question,
        "values": values,
    }


def section(key: str, title: str, items: list[dict[str, Any]], *, empty: str) -> dict[str, Any]:
    return {"key": key, "title": title, "items": items, "empty": empty}
