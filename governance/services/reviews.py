"""Each review's life: started (its agenda frozen), held, cancelled, moved, or found missed
(``review_series`` schedules it from the programme's cadence)."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit, bounds
from programmes.errors import DomainError
from programmes.models import ACTIVE_STAGES, OWNER_FIELDS, Person, Programme
from programmes.notifications import notify
from programmes.registry.data_changes import REVIEWS, programme_data_changed
from programmes.rules import Access
from programmes.times import for_message

from .. import review_rules
from ..agenda import build_agenda, decision_items
from ..models import OPEN_REVIEW_STATUSES, Attendance, Review, ReviewStatus
from ..notification_kinds import REVIEW_MINUTES, REVIEW_MISSED
from ..review_access import require_may_run_review
from .review_decisions import decided_items
from .review_series import timing


def _open(review: Review, *, doing: str) -> None:
    if review.status == ReviewStatus.CANCELLED:
        raise DomainError(f"This review was cancelled: you cannot {doing}.", field="status")
    if review.status not in OPEN_REVIEW_STATUSES:
        raise DomainError(
            f"This review is {review.get_status_display().lower()}: you cannot {doing}.",
            field="status",
        )


def _locked(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",)).select_related("programme").get(pk=review.pk)
    )


@transaction.atomic
def start_review(*, actor: Any, review: Review, access: Access) -> Review:
    """Start the meeting: the agenda is frozen as the review's snapshot, the record of what the
    meeting saw, which later data never changes."""
    require_may_run_review(access)
    review = _locked(review)
    _open(review, doing="start it")
    if review.status == ReviewStatus.STARTED:
        raise DomainError("This review has started already.", field="status")
    now = timezone.now()
    agenda = build_agenda(review, now)
    review.snapshot = agenda
    review.period_start = dt.datetime.fromisoformat(agenda["since"])
    review.status = ReviewStatus.STARTED
    review.started_at, review.started_by = now, audit.acting_user(actor)
    review.save(update_fields=["snapshot", "period_start", "status", "started_at", "started_by"])
    audit.record(
        actor=actor,
        action="start",
        instance=review,
        programme=review.programme,
        after={"status": review.status, "started_at": now.isoformat()},
    )
    return review


def hold_refusal(review: Review) -> str | None:
    """Why the review cannot be marked held: an agenda item that needs a decision (a tripped
    stop condition) has neither a decision nor a deferral with a reason."""
    if review.snapshot is None:
        return "Start the review before marking it held: the agenda is frozen when it starts."
    decided = decided_items(review)
    undecided = [entry for entry in decision_items(review.snapshot) if entry["key"] not in decided]
    if undecided:
        names = "; ".join(entry["text"] for entry in undecided)
        return (
            "Record a decision on each tripped stop condition, or defer it with a reason, before "
            f"marking the review held: {names}."
        )
    return None


@transaction.atomic
def hold_review(*, actor: Any, review: Review, access: Access) -> Review:
    """Mark the review held; its minutes go to the attendees and the programme's named owners."""
    require_may_run_review(access)
    review = _locked(review)
    _open(review, doing="mark it held")
    now = timezone.now()
    if now >= review.missed_after:
        raise DomainError(
            "The review's day is over: a review not held on its day is missed.", field="status"
        )
    refusal = hold_refusal(review)
    if refusal:
        raise DomainError(refusal, field="status")
    review.status = ReviewStatus.HELD
    review.held_at = review.closed_at = now
    review.held_by = audit.acting_user(actor)
    review.save(update_fields=["status", "held_at", "closed_at", "held_by"])
    audit.record(
        actor=actor,
        action="hold",
        instance=review,
        programme=review.programme,
        after={"status": review.status, "held_at": now.isoformat()},
    )
    _send_minutes(review)
    programme_data_changed(review.programme_id, REVIEWS)
    return review


def _send_minutes(review: Review) -> None:
    programme = review.programme
    present = [
        a.person
        for a in Attendance.objects.filter(
            review=review, present=True, person__isnull=False
        ).select_related("person")
        if a.person is not None
    ]
    owners = [person for _, person in _named_owners(programme) if person is not None]
    people = {p.pk: p for p in present + owners}
    for person in people.values():
        notify(
            recipient=person,
            programme=programme,
            kind=REVIEW_MINUTES,
            occurrence=f"review-minutes:{review.pk}",
            subject=f"{programme.name}: minutes of the weekly review",
            body=(
                f"The weekly review of {programme.name} on "
                f"{for_message(review.scheduled_for, review.timezone)} was held. Its minutes "
                "(attendees, the agenda the meeting saw, decisions, actions, notes) are linked."
            ),
            link=review.get_minutes_url(),
        )


def _named_owners(programme: Programme) -> list[tuple[str, Person | None]]:
    """The programme's named owners (loads them in one query when they are not loaded)."""
    loaded = Programme.objects.select_related(*OWNER_FIELDS).get(pk=programme.pk)
    return loaded.named_owners()


@transaction.atomic
def cancel_review(*, actor: Any, review: Review, access: Access, reason: str) -> Review:
    """Cancel a review with a reason: a cancelled review is not missed."""
    require_may_run_review(access)
    review = _locked(review)
    _open(review, doing="cancel it")
    if not reason.strip():
        raise DomainError("Say why the review is cancelled.", field="reason")
    review.status = ReviewStatus.CANCELLED
    review.cancel_reason = reason.strip()
    review.closed_at = timezone.now()
    review.save(update_fields=["status", "cancel_reason", "closed_at"])
    audit.record(
        actor=actor,
        action="cancel",
        instance=review,
        programme=review.programme,
        after={"status": review.status, "reason": review.cancel_reason},
    )
    return review


@transaction.atomic
def move_review(*, actor: Any, review: Review, access: Access, to: dt.datetime) -> Review:
    """Move a scheduled review, once; it keeps its new time when the cadence changes."""
    require_may_run_review(access)
    review = _locked(review)
    _open(review, doing="move it")
    if review.status != ReviewStatus.SCHEDULED:
        raise DomainError("A review that has started cannot move.", field="status")
    now = timezone.now()
    bounds.refuse_outside(to, bounds.SCHEDULE, field="to", now=now)
    refusal = review_rules.move_refusal(
        scheduled_for=review.scheduled_for,
        to=to,
        now=now,
        already_moved=review.moved_from is not None,
    )
    if refusal:
        raise DomainError(refusal, field="to")
    clash = Review.objects.filter(
        programme_id=review.programme_id, scheduled_for=to, status__in=OPEN_REVIEW_STATUSES
    ).exclude(pk=review.pk)
    if clash.exists():
        raise DomainError("Another review of this programme is at that time.", field="to")
    before = review.scheduled_for
    review.moved_from = before
    for name, value in timing(to, review.timezone).items():
        setattr(review, name, value)
    review.save()
    audit.record(
        actor=actor,
        action="move",
        instance=review,
        programme=review.programme,
        before={"scheduled_for": before.isoformat()},
        after={"scheduled_for": to.isoformat()},
    )
    return review


def mark_missed_reviews(now: dt.datetime) -> int:
    """Reviews not held by the end of their local day become missed; the programme owner and
    the sponsor hear of it, once. Returns the notifications written."""
    written = 0
    due = list(
        Review.objects.filter(status__in=OPEN_REVIEW_STATUSES, missed_after__lte=now)
        .select_related("programme__programme_owner", "programme__executive_sponsor")
        .order_by("missed_after")
    )
    for review in due:
        with transaction.atomic():
            updated = Review.objects.filter(pk=review.pk, status__in=OPEN_REVIEW_STATUSES).update(
                status=ReviewStatus.MISSED, closed_at=now
            )
            if not updated:
                continue
            programme = review.programme
            programme_data_changed(programme.pk, REVIEWS)
            audit.record(
                actor=None,
                action="missed",
                instance=review,
                programme=programme,
                after={"status": ReviewStatus.MISSED},
            )
            # A paused, rescoped or retired programme's review lapses without a message.
            people = {
                p.pk: p
                for p in (programme.programme_owner, programme.executive_sponsor)
                if p and programme.stage in ACTIVE_STAGES
            }
            for person in people.values():
                written += len(
                    notify(
                        recipient=person,
                        programme=programme,
                        kind=REVIEW_MISSED,
                        occurrence=f"review-missed:{review.pk}",
                        subject=f"{programme.name}: the weekly review was missed",
                        body=(
                            f"The weekly review of {programme.name} due "
                            f"{for_message(review.scheduled_for, review.timezone)} was not held "
                            "on its day. A programme that skips its reviews drifts: hold the "
                            "next one, or cancel with a reason when a review is not needed."
                        ),
                        link=review.get_absolute_url(),
                    )
                )
    return written
