"""The agenda in section order, and the period it covers."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from .. import review_rules
from ..models import Review, ReviewStatus
from .actions import prior_actions
from .changes import upcoming_changes
from .context import AgendaContext
from .cost import cost
from .incidents import incidents
from .oncall import oncall
from .readiness import readiness
from .scorecard import scorecard
from .stop_conditions import stop_conditions

SectionBuilder = Callable[[AgendaContext], dict[str, Any]]

# The agenda's sections in the order the meeting takes them.
SECTION_BUILDERS: list[SectionBuilder] = [
    prior_actions,
    scorecard,
    incidents,
    oncall,
    stop_conditions,
    cost,
    readiness,
    upcoming_changes,
]


def _context(review: Review, now: dt.datetime) -> AgendaContext:
    held = list(
        Review.objects.filter(programme_id=review.programme_id, status=ReviewStatus.HELD)
        .exclude(pk=review.pk)
        .filter(scheduled_for__lt=review.scheduled_for)
        .order_by("scheduled_for")
        .values_list("pk", "scheduled_for", "started_at")
    )
    if held:
        since = held[-1][2] or held[-1][1]
    else:
        since = min(now, review.scheduled_for) - review_rules.FIRST_PERIOD
    return AgendaContext(
        programme=review.programme,
        review=review,
        since=since,
        until=now,
        held_before=[(pk, moment) for pk, moment, _ in held],
    )


def build_agenda(review: Review, now: dt.datetime) -> dict[str, Any]:
    """The agenda from live data as of ``now``: what the snapshot freezes at the start."""
    ctx = _context(review, now)
    sections = [builder(ctx) for builder in SECTION_BUILDERS]
    for number, built in enumerate(sections, start=1):
        built["number"] = number
    return {
        "since": ctx.since.isoformat(),
        "until": ctx.until.isoformat(),
        "period": f"{ctx.moment(ctx.since)} to {ctx.moment(ctx.until)}",
        "sections": sections,
    }


def agenda_for(review: Review, now: dt.datetime) -> tuple[dict[str, Any], bool]:
    """What the review shows: its snapshot once started (and whether it is one), else the live
    agenda."""
    if review.snapshot is not None:
        return review.snapshot, True
    return build_agenda(review, now), False


def decision_items(agenda: dict[str, Any]) -> list[dict[str, Any]]:
    """The agenda's items the meeting must decide (tripped stop conditions)."""
    return [
        entry for built in agenda["sections"] for entry in built["items"] if entry["needs_decision"]
    ]
