"""Readiness's scheduled jobs (imported by ``governance.jobs``). Each finds what is due in a
fixed number of queries and writes notifications whose occurrence names the event, so a
repeated tick tells nobody twice."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q

from programmes.models import Channel, Notification, Person, Programme
from programmes.notifications import notify
from programmes.registry.jobs import scheduled_job

from .models import DefinitionVersion, ReviewOutcome, SignOff, SignOffDecision, Waiver
from .notification_kinds import REATTEST, SIGNOFF_EXPIRED, SIGNOFF_PENDING, WAIVER_EXPIRING
from .readiness_rules import (
    PENDING_REMINDERS_BEFORE_SPONSOR,
    REATTEST_FIRST_ASK,
    REATTEST_SECOND_ASK,
    WAIVER_WARNING,
    pending_reminder_number,
    working_days_between,
)
from .selectors.readiness import headline_states, material_changes


@dataclass(frozen=True)
class _Message:
    recipient: Person
    programme: Programme
    kind: str
    occurrence: str
    subject: str
    body: str


class _Outbox:
    """The messages a job means to send, written together: those an earlier tick wrote already
    are found in one query and skipped, so a repeated tick costs one read, not one per message."""

    def __init__(self) -> None:
        self.messages: list[_Message] = []

    def tell(
        self,
        person: Person | None,
        programme: Programme,
        kind: str,
        occurrence: str,
        subject: str,
        body: str,
    ) -> None:
        if person is not None:
            self.messages.append(_Message(person, programme, kind, occurrence, subject, body))

    def send(self) -> int:
        keys = {m: f"{m.occurrence}:{m.recipient.pk}:{Channel.IN_APP}" for m in self.messages}
        told = set(
            Notification.objects.filter(dedupe_key__in=keys.values()).values_list(
                "dedupe_key", flat=True
            )
        )
        written = 0
        for message, key in keys.items():
            if key in told:
                continue
            with transaction.atomic():
                written += len(
                    notify(
                        recipient=message.recipient,
                        programme=message.programme,
                        kind=message.kind,
                        occurrence=message.occurrence,
                        subject=message.subject,
                        body=message.body,
                        link=f"/programmes/{message.programme.slug}/readiness/",
                    )
                )
        return written


def _current_signoffs(decision: str) -> list[SignOff]:
    return list(
        SignOff.objects.filter(review__outcome=ReviewOutcome.OPEN, decision=decision)
        .select_related("signer", "review__programme__executive_sponsor")
        .order_by("pk")
    )


@scheduled_job
def remind_pending_signoffs(now: dt.datetime) -> int:
    """A sign-off still pending reminds its signer every two working days; after two reminders
    the sponsor hears of it too."""
    outbox = _Outbox()
    for signoff in _current_signoffs(SignOffDecision.PENDING):
        review, programme = signoff.review, signoff.review.programme
        number = pending_reminder_number(working_days_between(review.opened_at.date(), now.date()))
        if number == 0:
            continue
        role = signoff.get_role_display().lower()
        outbox.tell(
            signoff.signer,
            programme,
            SIGNOFF_PENDING,
            f"readiness-pending:{signoff.pk}:{number}",
            f"Readiness review of {programme.name}: your {role} sign-off is waiting",
            f"Round {review.round} needs you to approve or reject {programme.name} for {role}.",
        )
        if number > PENDING_REMINDERS_BEFORE_SPONSOR:
            outbox.tell(
                programme.executive_sponsor,
                programme,
                SIGNOFF_PENDING,
                f"readiness-pending-sponsor:{signoff.pk}",
                f"Readiness review of {programme.name}: {role} sign-off still pending",
                f"{signoff.signer} has not signed {role} after {PENDING_REMINDERS_BEFORE_SPONSOR} "
                "reminders.",
            )
    return outbox.send()


@scheduled_job
def ask_for_reattestation(now: dt.datetime) -> int:
    """A month before an approval lapses its signer is asked to re-attest, again a week later;
    when it lapses the sponsor is told. A change that may be material asks each signer once."""
    outbox = _Outbox()
    approved = _current_signoffs(SignOffDecision.APPROVED)
    programme_ids = list({s.review.programme_id for s in approved})
    headlines = headline_states(programme_ids)
    agreed = dict(
        DefinitionVersion.objects.filter(programme_id__in=programme_ids, agreed_on__isnull=False)
        .order_by()
        .values_list("programme_id")
        .annotate(number=Max("number"))
    )
    lapsed: dict[tuple[int, dt.date], list[SignOff]] = defaultdict(list)
    for signoff in approved:
        programme, expires = signoff.review.programme, signoff.expires_at
        role = signoff.get_role_display().lower()
        epoch = f"{signoff.pk}:{signoff.attested_at:%Y%m%d%H%M%S}"
        if expires is not None:
            for ask, lead in (("first", REATTEST_FIRST_ASK), ("second", REATTEST_SECOND_ASK)):
                if expires - lead <= now < expires:
                    outbox.tell(
                        signoff.signer,
                        programme,
                        REATTEST,
                        f"readiness-reattest-{ask}:{epoch}",
                        f"Re-attest your {role} sign-off of {programme.name}",
                        f"Your approval lapses on {expires:%Y-%m-%d}: re-attest it, or withdraw.",
                    )
            if expires <= now:
                lapsed[(signoff.review_id, expires.date())].append(signoff)
        changes = material_changes(signoff, headlines.get(programme.pk), agreed.get(programme.pk))
        if changes:
            outbox.tell(
                signoff.signer,
                programme,
                REATTEST,
                f"readiness-changed:{epoch}",
                f"Re-attest your {role} sign-off of {programme.name}: this changed",
                "Since you approved: " + "; ".join(changes) + ". Confirm it is not material, "
                "or withdraw your approval.",
            )
    for (review_id, day), signoffs in lapsed.items():
        programme = signoffs[0].review.programme
        roles = ", ".join(f"{s.get_role_display().lower()} ({s.signer})" for s in signoffs)
        where = " while the programme is in production" if programme.stage == "production" else ""
        outbox.tell(
            programme.executive_sponsor,
            programme,
            SIGNOFF_EXPIRED,
            f"readiness-expired:{review_id}:{day:%Y-%m-%d}",
            f"{programme.name}: readiness sign-offs expired",
            f"These approvals lapsed on {day:%Y-%m-%d}{where}: {roles}. They must be re-attested.",
        )
    return outbox.send()


@scheduled_job
def warn_of_expiring_waivers(now: dt.datetime) -> int:
    """A waiver that ends within 14 days tells its approver, once."""
    today = now.date()
    waivers = (
        Waiver.objects.filter(expires_on__gt=today, expires_on__lte=today + WAIVER_WARNING)
        .filter(~Q(criterion__programme__stage="retired"))
        .select_related("approver", "criterion__programme")
    )
    outbox = _Outbox()
    for waiver in waivers:
        programme = waiver.criterion.programme
        outbox.tell(
            waiver.approver,
            programme,
            WAIVER_EXPIRING,
            f"readiness-waiver-expiring:{waiver.pk}",
            f"Waiver of “{waiver.criterion.title}” ends {waiver.expires_on:%Y-%m-%d}",
            f"The waiver you approved for {programme.name} ends on {waiver.expires_on:%Y-%m-%d}; "
            "the criterion opens again then.",
        )
    return outbox.send()
