"""The weekly review's scheduled jobs, registered through ``governance.jobs``. Each finds what
is due in a bounded number of queries and writes notifications whose occurrence names the
review, so a repeated tick tells nobody twice."""

import datetime as dt
from collections.abc import Callable
from functools import cache

from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse

from programmes.any_of import AnyOf
from programmes.models import ACTIVE_STAGES, OWNER_FIELDS, Person, Programme
from programmes.outbox import Message, notify_all
from programmes.registry.jobs import scheduled_job
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


# A review's link with stand-ins for its programme's slug and its id, reversed once per tick and
# filled in per review: reversing it for each of ten thousand reviews cost a third of the job.
_SLUG, _REVIEW_ID = "review-link-slug", 987654321


def review_links() -> Callable[[str, int], str]:
    """``Review.get_absolute_url`` as a function of the programme's slug and the review's id."""
    template = reverse("review-detail", kwargs={"slug": _SLUG, "review_id": _REVIEW_ID})
    before, rest = template.split(_SLUG, 1)
    middle, after = rest.split(str(_REVIEW_ID), 1)
    return lambda slug, review_id: f"{before}{slug}{middle}{review_id}{after}"


@scheduled_job
def remind_weekly_reviews(now: dt.datetime) -> int:
    """The day before, at the review's own wall-clock time, its named owners hear of it with
    the agenda link. The due reviews are claimed (locked, marked reminded) and their reminders
    written in one transaction: a tick running beside this one skips the locked rows. Read as
    plain rows: a tick after a large import reminds ten thousand reviews."""
    with transaction.atomic():
        due = list(
            Review.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(
                status=ReviewStatus.SCHEDULED,
                remind_at__lte=now,
                reminded_at__isnull=True,
                scheduled_for__gt=now,
                programme__stage__in=ACTIVE_STAGES,
            )
            .values_list("pk", "programme_id", "scheduled_for", "timezone")
        )
        if not due:
            return 0
        Review.objects.filter(AnyOf(F("pk"), [row[0] for row in due])).update(reminded_at=now)
        programmes = {
            programme.pk: programme
            for programme in Programme.objects.filter(AnyOf(F("pk"), [row[1] for row in due])).only(
                "name", "slug", "slack_webhook_url", *(f"{f}_id" for f in OWNER_FIELDS)
            )
        }
        people = Person.objects.filter(
            AnyOf(
                F("pk"),
                [
                    person_id
                    for programme in programmes.values()
                    for f in OWNER_FIELDS
                    if (person_id := getattr(programme, f"{f}_id")) is not None
                ],
            )
        ).only("email", "timezone")
        by_id = {person.pk: person for person in people}
        # A review's time is written for each of its people: worked out once per time and zone.
        shown = cache(for_message)
        link = review_links()
        messages: list[Message] = []
        for review_id, programme_id, scheduled_for, zone in due:
            programme = programmes[programme_id]
            name = programme.name
            occurrence = f"review-reminder:{review_id}:{scheduled_for:%Y%m%dT%H%M}"
            subject = f"{name}: weekly review {shown(scheduled_for, zone)}"
            url = link(programme.slug, review_id)
            # Each person once, however many of the eight roles they hold, in the roles' order.
            owners = dict.fromkeys(getattr(programme, f"{f}_id") for f in OWNER_FIELDS)
            owners.pop(None, None)
            for person in (by_id[person_id] for person_id in owners):
                messages.append(
                    Message(
                        recipient=person,
                        programme=programme,
                        kind=REVIEW_REMINDER,
                        occurrence=occurrence,
                        subject=subject,
                        body=(
                            f"The weekly review of {name} is "
                            f"{shown(scheduled_for, person.timezone)}. Its agenda "
                            "is filled from the week's data: read it, close your actions, and "
                            "add any upcoming change before the meeting."
                        ),
                        link=url,
                    )
                )
        return notify_all(messages)


@scheduled_job
def mark_missed_reviews(now: dt.datetime) -> int:
    """A review not held by the end of its local day is missed: the owner and sponsor hear."""
    return services.mark_missed_reviews(now)
