"""The base's scheduled jobs: programme reminders and the sweep that hands stalled deliveries to
Celery again. Each finds what is due and writes notifications whose occurrence names the period,
so running a job twice, or in two processes, tells each person once. Times are wall-clock times
in the programme's time zone."""

import datetime as dt

from django.db import transaction
from django.urls import reverse

from . import notifications
from .models import ACTIVE_STAGES, Person, Programme, Role, Weekday
from .notification_kinds import OWNERSHIP_GAP, REGRESSION_WORK
from .notifications import notify
from .registry.jobs import scheduled_job
from .rules import monthly_occurrence, weekly_occurrence

REMINDER_TIME = dt.time(9, 0)


@scheduled_job
def requeue_stalled_notifications(now: dt.datetime) -> int:
    """Queued deliveries long past their due time go to Celery again (the broker was away)."""
    return notifications.requeue_stalled(now)


@scheduled_job
def remind_regression_work(now: dt.datetime) -> int:
    """Monthly, on the programme's regression day at 09:00 local: tell the technical owner."""
    written = 0
    programmes = Programme.objects.filter(
        stage__in=ACTIVE_STAGES, technical_owner__isnull=False
    ).select_related("technical_owner")
    for programme in programmes:
        month, due = monthly_occurrence(
            now,
            timezone=programme.review_timezone,
            day_of_month=programme.regression_day,
            at=REMINDER_TIME,
        )
        if now < due:
            continue
        assert programme.technical_owner is not None
        with transaction.atomic():
            written += len(
                notify(
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
    return written


@scheduled_job
def remind_missing_owners(now: dt.datetime) -> int:
    """Weekly, Mondays at 09:00 local: a programme missing a required owner tells its programme
    owner, or its sponsor, or failing both its owner members."""
    written = 0
    programmes = Programme.objects.filter(stage__in=ACTIVE_STAGES).select_related(
        "programme_owner", "executive_sponsor"
    )
    for programme in programmes:
        missing = programme.missing_owner_labels()
        if not missing:
            continue
        week, due = weekly_occurrence(
            now, timezone=programme.review_timezone, weekday=Weekday.MONDAY, at=REMINDER_TIME
        )
        if now < due:
            continue
        with transaction.atomic():
            for recipient in _accountable_people(programme):
                written += len(
                    notify(
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
                )
    return written


def _accountable_people(programme: Programme) -> list[Person]:
    person = programme.programme_owner or programme.executive_sponsor
    if person is not None:
        return [person]
    return list(
        Person.objects.filter(
            user__memberships__programme=programme, user__memberships__role=Role.OWNER
        )
    )
