"""Governance's scheduled jobs, run by the base's tick. The weekly review's come first (from
``review_jobs``), so a review found missed is judged by the stop conditions in the same tick."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from programmes.notifications import notify
from programmes.registry.jobs import scheduled_job

from . import review_jobs  # noqa: F401  (registers the weekly review's jobs, first)
from .models import DecisionKind, StopConditionDecision, StopPolicy
from .notification_kinds import STOP_CONDITION_REVISIT, STOP_POLICY_REVISIT
from .services.stop_condition_evaluation import evaluate_due

# A policy's author and approvers hear about its revisit date this long before it.
POLICY_REMINDER_AHEAD = dt.timedelta(days=30)
# Reminders go out from this local time on their day.
REMINDER_TIME = dt.time(9, 0)


@scheduled_job
def evaluate_stop_conditions(now: dt.datetime) -> int:
    """Every tick: the stop conditions whose answer may have changed (new data, a window closing,
    a deadline, a revisit date), in bulk; returns the new trips. Nothing due, one query."""
    return evaluate_due(now)


def _local_time_reached(now: dt.datetime, day: dt.date, zone: str) -> bool:
    starts = dt.datetime.combine(day, REMINDER_TIME, tzinfo=ZoneInfo(zone))
    return now >= starts


@scheduled_job
def remind_stop_condition_revisits(now: dt.datetime) -> int:
    """On a "continue" decision's revisit date, from 09:00 in the decider's zone, the decider is
    reminded, once."""
    written = 0
    due = StopConditionDecision.objects.filter(
        kind=DecisionKind.CONTINUE,
        revisit_on__lte=(now + dt.timedelta(days=1)).date(),
        revisit_reminded_at__isnull=True,
    ).select_related("decided_by", "condition__programme")
    for decision in due:
        person = decision.decided_by
        assert decision.revisit_on is not None
        if not _local_time_reached(now, decision.revisit_on, person.timezone):
            continue
        programme = decision.condition.programme
        with transaction.atomic():
            written += len(
                notify(
                    recipient=person,
                    programme=programme,
                    kind=STOP_CONDITION_REVISIT,
                    occurrence=f"stop-condition-revisit:{decision.pk}",
                    subject=f"{programme.name}: revisit your “continue” on a stop condition",
                    body=(
                        f"You decided to continue on {decision.decided_at:%-d %b %Y} and to "
                        f"revisit on {decision.revisit_on:%-d %b %Y}: “{decision.reason}”. If "
                        "the condition still holds it trips again today."
                    ),
                    link=reverse(
                        "stop-condition-detail",
                        kwargs={"slug": programme.slug, "condition_id": decision.condition_id},
                    ),
                )
            )
            StopConditionDecision.objects.filter(pk=decision.pk).update(revisit_reminded_at=now)
    return written


@scheduled_job
def remind_stop_policy_revisits(now: dt.datetime) -> int:
    """A month before a policy's revisit date, its author and approvers are reminded, once per
    revisit date."""
    written = 0
    policies = (
        StopPolicy.objects.filter(revisit_on__lte=(now + POLICY_REMINDER_AHEAD).date())
        .filter(Q(revisit_reminded_for__isnull=True) | ~Q(revisit_reminded_for=F("revisit_on")))
        .select_related("programme", "author")
        .prefetch_related("approvers")
    )
    for policy in policies:
        assert policy.revisit_on is not None
        programme = policy.programme
        with transaction.atomic():
            for person in {policy.author, *policy.approvers.all()}:
                written += len(
                    notify(
                        recipient=person,
                        programme=programme,
                        kind=STOP_POLICY_REVISIT,
                        occurrence=f"stop-policy-revisit:{policy.pk}:{policy.revisit_on}",
                        subject=f"{programme.name}: the stop policy is due for revisit",
                        body=(
                            f"The stop conditions of {programme.name} are to be revisited by "
                            f"{policy.revisit_on:%-d %b %Y}: read them again, change what no "
                            "longer holds, and approve them for another year."
                        ),
                        link=reverse("stop-conditions", kwargs={"slug": programme.slug}),
                    )
                )
            StopPolicy.objects.filter(pk=policy.pk).update(revisit_reminded_for=policy.revisit_on)
    return written


# Readiness's jobs register when their module is imported; they run after the ones above.
from . import readiness_jobs  # noqa: E402, F401
