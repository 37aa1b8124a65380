"""The base's scheduled jobs: programme reminders and the sweep that hands stalled deliveries to
Celery again. Each finds what is due, leaves out in the same query what is already written
(``programmes.outbox.unwritten``), and writes the rest in bulk, with occurrences that name the
period, so running a job twice, or in two processes, tells each person once. Times are
wall-clock times in the programme's time zone."""

import datetime as dt
from collections import defaultdict
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from . import notifications
from .models import ACTIVE_STAGES, REQUIRED_OWNERS, Membership, Person, Programme, Role, Weekday
from .notification_kinds import OWNERSHIP_GAP, REGRESSION_WORK
from .outbox import Message, notify_all, occurrence_key, unwritten, written
from .registry.jobs import scheduled_job
from .rules import monthly_occurrence, weekly_occurrence

REMINDER_TIME = dt.time(9, 0)


@scheduled_job
def requeue_stalled_notifications(now: dt.datetime) -> int:
    """Queued deliveries long past their due time go to Celery again (the broker was away)."""
    return notifications.requeue_stalled(now)


def _any_of(conditions: list[Q]) -> Q:
    return reduce(or_, conditions)


@scheduled_job
def remind_regression_work(now: dt.datetime) -> int:
    """Monthly, on the programme's regression day at 09:00 local: tell the technical owner."""
    programmes = Programme.objects.filter(stage__in=ACTIVE_STAGES, technical_owner__isnull=False)
    # Whether a programme is due depends only on its zone and day: worked out once for each
    # pair the portfolio uses, then every due programme is read in one query per month.
    due_by_month: dict[str, list[Q]] = defaultdict(list)
    pairs = programmes.order_by().values_list("review_timezone", "regression_day").distinct()
    for zone, day in pairs:
        month, due = monthly_occurrence(now, timezone=zone, day_of_month=day, at=REMINDER_TIME)
        if now >= due:
            due_by_month[month].append(Q(review_timezone=zone, regression_day=day))
    messages = []
    for month, conditions in due_by_month.items():
        due_programmes = unwritten(
            programmes.filter(_any_of(conditions)),
            occurrence=occurrence_key("regression-work:", F("slug"), f":{month}"),
            recipient="technical_owner_id",
        ).select_related("technical_owner")
        for programme in due_programmes:
            assert programme.technical_owner is not None
            messages.append(
                Message(
                    recipient=programme.technical_owner,
                    programme=programme,
                    kind=REGRESSION_WORK,
                    occurrence=f"regression-work:{programme.slug}:{month}",
                    subject=f"{programme.name}: monthly regression work is due",
                    body=(
                        f"{programme.name}'s regression work for {month} is due (day "
                        f"{programme.regression_day}). Re-run the evaluation golden set "
                        "against the current model and prompt, compare the headline metric "
                        "with its baseline, and record any drift before the weekly review."
                    ),
                    link=programme.get_absolute_url(),
                )
            )
    with transaction.atomic():
        return notify_all(messages)


def _missing_an_owner(now: dt.datetime) -> dict[str, QuerySet[Programme]]:
    """Active programmes missing a required owner whose Monday 09:00 has come this week, by
    week."""
    programmes = Programme.objects.filter(stage__in=ACTIVE_STAGES).filter(
        _any_of([Q(**{f"{field}__isnull": True}) for field in REQUIRED_OWNERS])
    )
    zones_by_week: dict[str, list[str]] = defaultdict(list)
    for zone in programmes.order_by().values_list("review_timezone", flat=True).distinct():
        week, due = weekly_occurrence(now, timezone=zone, weekday=Weekday.MONDAY, at=REMINDER_TIME)
        if now >= due:
            zones_by_week[week].append(zone)
    return {
        week: programmes.filter(review_timezone__in=zones) for week, zones in zones_by_week.items()
    }


def _ownership_gap(programme: Programme, recipient: Person, week: str) -> Message:
    missing = programme.missing_owner_labels()
    return Message(
        recipient=recipient,
        programme=programme,
        kind=OWNERSHIP_GAP,
        occurrence=f"ownership-gap:{programme.slug}:{week}",
        subject=f"{programme.name} has no {', '.join(missing).lower()}",
        body=(
            f"{programme.name} is missing: {', '.join(missing)}. Every programme "
            "needs a named person for each of these before it can be defended "
            "in production. Name them on the programme's edit page."
        ),
        link=reverse("programme-edit", kwargs={"slug": programme.slug}),
    )


@scheduled_job
def remind_missing_owners(now: dt.datetime) -> int:
    """Weekly, Mondays at 09:00 local: a programme missing a required owner tells its programme
    owner, or its sponsor, or failing both its owner members."""
    messages = []
    for week, programmes in _missing_an_owner(now).items():
        accountable = unwritten(
            programmes.filter(
                Q(programme_owner__isnull=False) | Q(executive_sponsor__isnull=False)
            ),
            occurrence=occurrence_key("ownership-gap:", F("slug"), f":{week}"),
            recipient=Coalesce("programme_owner_id", "executive_sponsor_id"),
        ).select_related("programme_owner", "executive_sponsor")
        for programme in accountable:
            person = programme.programme_owner or programme.executive_sponsor
            assert person is not None
            messages.append(_ownership_gap(programme, person, week))
        # Nobody named to answer for it: its owner members hear, each once.
        memberships = Membership.objects.filter(
            role=Role.OWNER,
            user__person__isnull=False,
            programme__in=programmes.filter(
                programme_owner__isnull=True, executive_sponsor__isnull=True
            ),
        ).select_related("programme", "user__person")
        candidates = [(m.programme, m.user.person) for m in memberships]
        done = written(
            (f"ownership-gap:{programme.slug}:{week}", person.pk)
            for programme, person in candidates
        )
        messages.extend(
            _ownership_gap(programme, person, week)
            for programme, person in candidates
            if (f"ownership-gap:{programme.slug}:{week}", person.pk) not in done
        )
    with transaction.atomic():
        return notify_all(messages)
