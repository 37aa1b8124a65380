"""Readiness's scheduled jobs (imported by ``governance.jobs``). Each reads only what may be due
(pending sign-offs of rounds open two days or more, approvals within a month of lapsing or with
something changed, waivers ending within 14 days), skips in one query what an earlier tick
wrote (``written``), and writes the rest in bulk (``notify_all``): the occurrence names the
event, so two ticks, or two beats at once, tell nobody twice."""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from programmes.models import Person, Programme
from programmes.outbox import Message, notify_all, written
from programmes.registry.jobs import scheduled_job

from .models import ReviewOutcome, SignOff, SignOffDecision, Waiver
from .notification_kinds import REATTEST, SIGNOFF_EXPIRED, SIGNOFF_PENDING, WAIVER_EXPIRING
from .readiness_notices import (
    approved_signoffs,
    attestation,
    possibly_changed,
    readiness_link,
    tell_of_changes,
)
from .readiness_rules import (
    PENDING_REMINDER_EVERY,
    PENDING_REMINDERS_BEFORE_SPONSOR,
    REATTEST_FIRST_ASK,
    REATTEST_SECOND_ASK,
    WAIVER_WARNING,
    pending_reminder_number,
    working_days_between,
)


def _message(
    programme: Programme,
    recipient: Person | None,
    *,
    kind: str,
    occurrence: str,
    subject: str,
    body: str,
) -> Message | None:
    """The message to ``recipient`` (None when nobody is named for the role)."""
    if recipient is None:
        return None
    return Message(
        recipient=recipient,
        programme=programme,
        kind=kind,
        occurrence=occurrence,
        subject=subject,
        body=body,
        link=readiness_link(programme.slug),
    )


def _send(messages: list[Message | None]) -> int:
    """Write the messages no earlier tick wrote: one query to skip those, one to write."""
    wanted = [m for m in messages if m is not None]
    told = written((m.occurrence, m.recipient.pk) for m in wanted)
    with transaction.atomic():
        return notify_all(m for m in wanted if (m.occurrence, m.recipient.pk) not in told)


def _local_day(moment: dt.datetime, zone: str) -> dt.date:
    return moment.astimezone(ZoneInfo(zone)).date()


@scheduled_job
def remind_pending_signoffs(now: dt.datetime) -> int:
    """A sign-off still pending reminds its signer every two working days (their own days, in
    their zone); after two reminders the sponsor hears of it too."""
    # A round opened less than two days ago cannot have two working days behind it yet.
    pending = (
        SignOff.objects.filter(
            review__outcome=ReviewOutcome.OPEN,
            decision=SignOffDecision.PENDING,
            review__opened_at__lte=now - dt.timedelta(days=PENDING_REMINDER_EVERY),
        )
        .select_related("signer", "review__programme__executive_sponsor")
        .order_by("pk")
    )
    messages: list[Message | None] = []
    for signoff in pending:
        review, programme, zone = signoff.review, signoff.review.programme, signoff.signer.timezone
        days = working_days_between(_local_day(review.opened_at, zone), _local_day(now, zone))
        number = pending_reminder_number(days)
        if number == 0:
            continue
        role = signoff.get_role_display().lower()
        messages.append(
            _message(
                programme,
                signoff.signer,
                kind=SIGNOFF_PENDING,
                occurrence=f"readiness-pending:{signoff.pk}:{number}",
                subject=f"Readiness review of {programme.name}: your {role} sign-off is waiting",
                body=f"Round {review.round} needs you to approve or reject {programme.name} "
                f"for {role}.",
            )
        )
        if number > PENDING_REMINDERS_BEFORE_SPONSOR:
            messages.append(
                _message(
                    programme,
                    programme.executive_sponsor,
                    kind=SIGNOFF_PENDING,
                    occurrence=f"readiness-pending-sponsor:{signoff.pk}",
                    subject=f"Readiness review of {programme.name}: {role} sign-off still pending",
                    body=f"{signoff.signer} has not signed {role} after "
                    f"{PENDING_REMINDERS_BEFORE_SPONSOR} reminders.",
                )
            )
    return _send(messages)


@scheduled_job
def ask_for_reattestation(now: dt.datetime) -> int:
    """A month before an approval lapses its signer is asked to re-attest, again a week later;
    when it lapses the sponsor is told. A change that may be material asks each signer once
    (normally at once, by the data-change listener; this tick is the safety net)."""
    lapsing = approved_signoffs().filter(expires_at__lte=now + REATTEST_FIRST_ASK).order_by("pk")
    messages: list[Message | None] = []
    lapsed: dict[tuple[int, dt.date], list[SignOff]] = defaultdict(list)
    for signoff in lapsing:
        programme, expires = signoff.review.programme, signoff.expires_at
        assert expires is not None
        role = signoff.get_role_display().lower()
        for ask, lead in (("first", REATTEST_FIRST_ASK), ("second", REATTEST_SECOND_ASK)):
            if expires - lead <= now < expires:
                messages.append(
                    _message(
                        programme,
                        signoff.signer,
                        kind=REATTEST,
                        occurrence=f"readiness-reattest-{ask}:{attestation(signoff)}",
                        subject=f"Re-attest your {role} sign-off of {programme.name}",
                        body=f"Your approval lapses on {expires:%Y-%m-%d} (UTC): re-attest it, "
                        "or withdraw.",
                    )
                )
        if expires <= now:
            lapsed[(signoff.review_id, expires.date())].append(signoff)
    for (review_id, day), signoffs in lapsed.items():
        programme = signoffs[0].review.programme
        roles = ", ".join(f"{s.get_role_display().lower()} ({s.signer})" for s in signoffs)
        where = " while the programme is in production" if programme.stage == "production" else ""
        messages.append(
            _message(
                programme,
                programme.executive_sponsor,
                kind=SIGNOFF_EXPIRED,
                occurrence=f"readiness-expired:{review_id}:{day:%Y-%m-%d}",
                subject=f"{programme.name}: readiness sign-offs expired",
                body=f"These approvals lapsed on {day:%Y-%m-%d} (UTC){where}: {roles}. They "
                "must be re-attested.",
            )
        )
    sent = _send(messages)
    with transaction.atomic():
        return sent + tell_of_changes(possibly_changed(approved_signoffs()).order_by("pk"))


@scheduled_job
def warn_of_expiring_waivers(now: dt.datetime) -> int:
    """A waiver that ends within 14 days tells its approver, once."""
    today = now.date()
    waivers = (
        Waiver.objects.filter(expires_on__gt=today, expires_on__lte=today + WAIVER_WARNING)
        .filter(~Q(criterion__programme__stage="retired"))
        .select_related("approver", "criterion__programme")
        .order_by("pk")
    )
    return _send(
        [
            _message(
                waiver.criterion.programme,
                waiver.approver,
                kind=WAIVER_EXPIRING,
                occurrence=f"readiness-waiver-expiring:{waiver.pk}",
                subject=f"Waiver of “{waiver.criterion.title}” ends {waiver.expires_on:%Y-%m-%d}",
                body=f"The waiver you approved for {waiver.criterion.programme.name} ends on "
                f"{waiver.expires_on:%Y-%m-%d}; the criterion opens again then.",
            )
            for waiver in waivers
        ]
    )
