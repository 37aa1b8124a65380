"""The demo portfolio's weekly reviews, loaded through ``governance.demo``: for every active
programme, six weeks of history (held reviews with their minutes, one missed, one cancelled),
open and overdue action items, and an upcoming change on this week's review, whose live agenda
then shows every section. A generated portfolio (``load_demo --programmes N``) gets each active
programme's next reviews."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from programmes.demo import SLUG_PREFIX
from programmes.models import ACTIVE_STAGES, OWNER_FIELDS, Person, Programme
from programmes.registry.demo import GeneratedPortfolio, demo_generator, demo_loader

from . import review_rules
from .agenda import build_agenda
from .models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Decision,
    Review,
    ReviewDecisionKind,
    ReviewStatus,
    UpcomingChange,
)
from .services.review_series import plan_series_of

# Weeks back → what became of that week's review.
HISTORY = {
    6: ReviewStatus.HELD,
    5: ReviewStatus.HELD,
    4: ReviewStatus.CANCELLED,
    3: ReviewStatus.HELD,
    2: ReviewStatus.MISSED,
    1: ReviewStatus.HELD,
}
# (weeks back it was raised, title, due in days from today, status)
ACTIONS = [
    (6, "Agree the headline target with the sponsor", -30, ActionStatus.DONE),
    (5, "Add 50 edge cases to the golden set", -4, ActionStatus.OPEN),
    (3, "Write the rollback runbook", 5, ActionStatus.OPEN),
    (1, "Ask legal about retention of prompts", 10, ActionStatus.OPEN),
    (1, "Price the larger model for the next quarter", -1, ActionStatus.DROPPED),
]


def _past_review(programme: Programme, weeks: int, now: dt.datetime) -> Review:
    zone = programme.review_timezone
    upcoming = review_rules.series_times(
        now,
        weekday=programme.review_weekday,
        at=programme.review_time,
        timezone=zone,
        count=1,
    )[0]
    local = upcoming.astimezone(ZoneInfo(zone))
    day = local.date() - dt.timedelta(weeks=weeks)
    moment = review_rules.series_times(
        dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(zone)),
        weekday=programme.review_weekday,
        at=programme.review_time,
        timezone=zone,
        count=1,
    )[0]
    return Review.objects.create(
        programme=programme,
        scheduled_for=moment,
        timezone=zone,
        missed_after=review_rules.end_of_local_day(moment, zone),
        remind_at=review_rules.reminder_at(moment, zone),
        reminded_at=review_rules.reminder_at(moment, zone),
    )


def _load(programme: Programme, now: dt.datetime) -> None:
    owners = [p for _, p in programme.named_owners() if p is not None]
    reviews: dict[int, Review] = {}
    for weeks, status in HISTORY.items():
        review = _past_review(programme, weeks, now)
        reviews[weeks] = review
        if status == ReviewStatus.HELD:
            review.snapshot = build_agenda(review, review.scheduled_for)
            review.period_start = dt.datetime.fromisoformat(review.snapshot["since"])
            review.started_at = review.scheduled_for
            review.held_at = review.closed_at = review.scheduled_for + dt.timedelta(minutes=50)
            review.notes = (
                f"Walked the scorecard and the incidents. **{owners[0].name if owners else ''}** "
                "to confirm the evaluation plan by Friday."
            )
            Attendance.objects.bulk_create(
                Attendance(review=review, person=person, present=index % 3 != 2)
                for index, person in enumerate(dict.fromkeys(owners))
            )
            Decision.objects.create(
                review=review,
                kind=ReviewDecisionKind.CONTINUE,
                text="Continue: the headline is on pace; revisit in four weeks.",
                decided_at=review.held_at,
            )
        elif status == ReviewStatus.CANCELLED:
            review.cancel_reason = "Quarterly planning offsite; the items move to next week."
            review.closed_at = review.scheduled_for - dt.timedelta(days=2)
        else:
            review.closed_at = review.missed_after
        review.status = status
        review.save()
    owner = programme.technical_owner or programme.programme_owner
    if owner is not None:
        today = now.date()
        for weeks, title, due_in, state in ACTIONS:
            closed = state != ActionStatus.OPEN
            ActionItem.objects.create(
                programme=programme,
                raised_in=reviews[weeks],
                title=title,
                owner=owner,
                due_on=today + dt.timedelta(days=due_in),
                status=state,
                drop_reason="Not needed: the current model is within the envelope."
                if state == ActionStatus.DROPPED
                else "",
                closed_at=now - dt.timedelta(days=2) if closed else None,
                closed_in=reviews[1] if closed else None,
            )
    this_week = (
        Review.objects.filter(programme=programme, status=ReviewStatus.SCHEDULED)
        .order_by("scheduled_for")
        .first()
    )
    if this_week is not None:
        UpcomingChange.objects.create(
            review=this_week,
            title="Switch the drafting model to the next version",
            detail="Canary on 10 % of traffic from Thursday; rollback is one flag.",
        )


@demo_loader(order=45)
def load_demo_reviews(*, users: dict[str, Any], people: dict[str, Person]) -> str:
    """Review history for every active demo programme that has none yet."""
    now = timezone.now()
    loaded = 0
    # A generated programme gets its series from ``generate_review_series``, not a history.
    programmes = (
        Programme.objects.filter(stage__in=ACTIVE_STAGES)
        .exclude(slug__startswith=SLUG_PREFIX)
        .select_related(*OWNER_FIELDS)
    )
    for programme in programmes:
        if programme.reviews.exclude(status=ReviewStatus.SCHEDULED).exists():
            continue
        _load(programme, now)
        loaded += 1
    return f"weekly review history for {loaded} programme(s)"


@demo_generator(order=40)
def generate_review_series(portfolio: GeneratedPortfolio) -> str:
    """The next reviews of every active generated programme, as saving a programme plans them
    (its rows are bulk-created, so the signal that would has not run)."""
    active = [p.pk for p in portfolio.programmes if p.stage in ACTIVE_STAGES]
    return f"{plan_series_of(active, portfolio.now)} upcoming review(s)"
