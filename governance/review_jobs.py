"""The weekly review's scheduled jobs, registered through ``governance.jobs``. Each finds what
is due in a bounded number of queries and writes notifications whose occurrence names the
review, so a repeated tick tells nobody twice."""

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q

from programmes.models import ACTIVE_STAGES, OWNER_FIELDS, Programme
from programmes.notifications import notify
from programmes.registry.jobs import scheduled_job
from programmes.times import for_message

from . import review_rules, services
from .models import OPEN_REVIEW_STATUSES, Review, ReviewStatus
from .notification_kinds import REVIEW_REMINDER


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
        .filter(ahead__lt=review_rules.REVIEWS_AHEAD)
    )
    return sum(services.plan_series(programme, now) for programme in short)


@scheduled_job
def remind_weekly_reviews(now: dt.datetime) -> int:
    """The day before, at the review's own wall-clock time, its named owners hear of it with
    the agenda link."""
    written = 0
    due = Review.objects.filter(
        status=ReviewStatus.SCHEDULED,
        remind_at__lte=now,
        reminded_at__isnull=True,
        scheduled_for__gt=now,
        programme__stage__in=ACTIVE_STAGES,
    ).select_related(*(f"programme__{field}" for field in OWNER_FIELDS))
    for review in due:
        programme = review.programme
        people = {p.pk: p for p in (getattr(programme, f) for f in OWNER_FIELDS) if p}
        with transaction.atomic():
            if not Review.objects.filter(pk=review.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            for person in people.values():
                written += len(
                    notify(
                        recipient=person,
                        programme=programme,
                        kind=REVIEW_REMINDER,
                        occurrence=f"review-reminder:{review.pk}:{review.scheduled_for:%Y%m%dT%H%M}",
                        subject=f"{programme.name}: weekly review "
                        f"{for_message(review.scheduled_for, review.timezone)}",
                        body=(
                            f"The weekly review of {programme.name} is "
                            f"{for_message(review.scheduled_for, person.timezone)}. Its agenda "
                            "is filled from the week's data: read it, close your actions, and "
                            "add any upcoming change before the meeting."
                        ),
                        link=review.get_absolute_url(),
                    )
                )
    return written


@scheduled_job
def mark_missed_reviews(now: dt.datetime) -> int:
    """A review not held by the end of its local day is missed: the owner and sponsor hear."""
    return services.mark_missed_reviews(now)
