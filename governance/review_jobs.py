"""The weekly review's scheduled jobs, registered through ``governance.jobs``. Each finds what
is due in a bounded number of queries and writes notifications whose occurrence names the
review, so a repeated tick tells nobody twice."""

import datetime as dt
from collections.abc import Callable
from functools import cache

from django.db import transaction
from django.db.models import Count, Q

from programmes.models import ACTIVE_STAGES, OWNER_FIELDS, Person, Programme
from programmes.outbox import Message, notify_all
from programmes.registry.jobs import scheduled_job
from programmes.selectors import with_owners
from programmes.times import for_message

from . import services
from .models import OPEN_REVIEW_STATUSES, Review, ReviewStatus
from .notification_kinds import REVIEW_REMINDER
from .review_rules import REVIEWS_AHEAD


@scheduled_job
def plan_review_series(now: dt.datetime) -> int:
    """Active programmes with fewer than ``REVIEWS_AHEAD`` reviews ahead get the next ones of
    their cadence (after a review passes: one programme a week, not the portfolio)."""
    short = (
        Programme.objects.filter(stage__in=ACTIVE_STAGES)
        .annotate(
            ahead=Count(
                "reviews",
                filter=Q(reviews__status__in=OPEN_REVIEW_STATUSES, reviews__scheduled_for__gt=now),
            )
        )
        .filter(ahead__lt=REVIEWS_AHEAD)
        .values_list("pk", flat=True)
    )
    return services.plan_series_of(short, now)


def _reminder(
    review: Review, programme: Programme, person: Person, shown: Callable[[dt.datetime, str], str]
) -> Message:
    return Message(
        recipient=person,
        programme=programme,
        kind=REVIEW_REMINDER,
        occurrence=f"review-reminder:{review.pk}:{review.scheduled_for:%Y%m%dT%H%M}",
        subject=f"{programme.name}: weekly review {shown(review.scheduled_for, review.timezone)}",
        body=(
            f"The weekly review of {programme.name} is "
            f"{shown(review.scheduled_for, person.timezone)}. Its agenda "
            "is filled from the week's data: read it, close your actions, and "
            "add any upcoming change before the meeting."
        ),
        link=review.get_absolute_url(),
    )


@scheduled_job
def remind_weekly_reviews(now: dt.datetime) -> int:
    """The day before, at the review's own wall-clock time, its named owners hear of it with
    the agenda link. The due reviews are claimed (locked, marked reminded) and their reminders
    written in one transaction: a tick running beside this one skips the locked rows."""
    with transaction.atomic():
        due = list(
            Review.objects.select_for_update(of=("self",), skip_locked=True).filter(
                status=ReviewStatus.SCHEDULED,
                remind_at__lte=now,
                reminded_at__isnull=True,
                scheduled_for__gt=now,
                programme__stage__in=ACTIVE_STAGES,
            )
        )
        if not due:
            return 0
        Review.objects.filter(pk__in=[review.pk for review in due]).update(reminded_at=now)
        programmes = {
            programme.pk: programme
            for programme in with_owners(
                Programme.objects.filter(pk__in={review.programme_id for review in due})
            )
        }
        # A review's time is written for each of its people: worked out once per time and zone.
        shown = cache(for_message)
        messages: list[Message] = []
        for review in due:
            programme = review.programme = programmes[review.programme_id]
            people = {p.pk: p for p in (getattr(programme, f) for f in OWNER_FIELDS) if p}
            messages.extend(_reminder(review, programme, p, shown) for p in people.values())
        return notify_all(messages)


@scheduled_job
def mark_missed_reviews(now: dt.datetime) -> int:
    """A review not held by the end of its local day is missed: the owner and sponsor hear."""
    return services.mark_missed_reviews(now)
