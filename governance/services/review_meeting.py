"""What a review records: attendance, notes, action items, and the upcoming changes owners add
before it (decisions are in ``review_decisions``)."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit, bounds
from programmes.errors import DomainError, FieldErrors
from programmes.models import Person
from programmes.rules import Access

from ..models import (
    OPEN_REVIEW_STATUSES,
    ActionItem,
    ActionStatus,
    Attendance,
    Review,
    ReviewStatus,
    UpcomingChange,
)
from ..review_access import require_may_change_action, require_may_run_review
from ..review_rules import NOTES_LIMIT


def in_meeting(review: Review, *, doing: str) -> None:
    """Attendance, decisions and actions are recorded while the review is in progress."""
    if review.status == ReviewStatus.STARTED:
        return
    if review.status == ReviewStatus.SCHEDULED:
        raise DomainError(f"Start the review before you {doing}.", field="status")
    raise DomainError(
        f"This review is {review.get_status_display().lower()}: you cannot {doing} any more.",
        field="status",
    )


@transaction.atomic
def set_attendance(
    *,
    actor: Any,
    review: Review,
    access: Access,
    present: bool,
    person: Person | None = None,
    guest_name: str = "",
) -> Attendance:
    """Mark a named owner (or any person) present or absent, or add a guest by name."""
    require_may_run_review(access)
    in_meeting(review, doing="record attendance")
    guest_name = guest_name.strip()
    if (person is None) == (not guest_name):
        raise DomainError("Name either a person or a guest.", field="person")
    if person is not None:
        row, _ = Attendance.objects.update_or_create(
            review=review, person=person, defaults={"present": present}
        )
    else:
        row, _ = Attendance.objects.update_or_create(
            review=review, guest_name=guest_name[:150], person=None, defaults={"present": present}
        )
    audit.record(
        actor=actor,
        action="attendance",
        instance=review,
        programme=review.programme,
        after={"who": str(row)},
    )
    return row


@transaction.atomic
def save_notes(*, actor: Any, review: Review, access: Access, notes: str) -> Review:
    require_may_run_review(access)
    in_meeting(review, doing="write notes")
    if len(notes) > NOTES_LIMIT:
        raise DomainError(
            f"Notes are {NOTES_LIMIT:,} characters at most; link longer documents.", field="notes"
        )
    before = audit.snapshot(review)
    review.notes = notes
    review.save(update_fields=["notes"])
    audit.record_update(actor=actor, instance=review, programme=review.programme, before=before)
    return review


@transaction.atomic
def add_action(
    *,
    actor: Any,
    review: Review,
    access: Access,
    title: str,
    owner: Person | None,
    due_on: dt.date | None,
) -> ActionItem:
    """An action item the meeting raised: on every later agenda until it is closed."""
    require_may_run_review(access)
    in_meeting(review, doing="add action items")
    errors: dict[str | None, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Say what is to be done."]
    if owner is None:
        errors["owner"] = ["Every action has an owner: name the person who will do it."]
    if due_on is None:
        errors["due_on"] = ["Give the action a due date."]
    else:
        why = bounds.refusal(due_on, bounds.SCHEDULE, timezone.now())
        if why:
            errors["due_on"] = [why]
    if errors:
        raise FieldErrors(errors)
    assert owner is not None
    assert due_on is not None
    action = ActionItem.objects.create(
        programme_id=review.programme_id,
        raised_in=review,
        title=title.strip()[:300],
        owner=owner,
        due_on=due_on,
    )
    audit.record(
        actor=actor,
        action="create",
        instance=action,
        programme=review.programme,
        after=audit.snapshot(action),
    )
    return action


@transaction.atomic
def set_action_status(
    *, actor: Any, action: ActionItem, access: Access, status: str, reason: str = ""
) -> ActionItem:
    """Close an action item (done, or dropped with a reason), or open it again."""
    require_may_change_action(actor, action, access)
    if status not in ActionStatus.values:
        raise DomainError("An action is open, done or dropped.", field="status")
    if status == ActionStatus.DROPPED and not reason.strip():
        raise DomainError("Say why the action is dropped.", field="reason")
    before = {"status": action.status}
    now = timezone.now()
    action.status = status
    action.drop_reason = reason.strip() if status == ActionStatus.DROPPED else ""
    if status == ActionStatus.OPEN:
        action.closed_at, action.closed_in = None, None
    else:
        action.closed_at = now
        action.closed_in = (
            Review.objects.filter(programme_id=action.programme_id, status=ReviewStatus.STARTED)
            .order_by("-scheduled_for")
            .first()
        )
    action.save(update_fields=["status", "drop_reason", "closed_at", "closed_in"])
    audit.record(
        actor=actor,
        action="update",
        instance=action,
        programme=action.programme,
        before=before,
        after={"status": status, "reason": action.drop_reason},
    )
    return action


@transaction.atomic
def add_upcoming_change(
    *, actor: Any, review: Review, access: Access, title: str, detail: str = ""
) -> UpcomingChange:
    """A free agenda item, added before the meeting starts."""
    require_may_run_review(access)
    if review.status not in OPEN_REVIEW_STATUSES or review.status == ReviewStatus.STARTED:
        raise DomainError(
            "Upcoming changes are added before the review starts; raise it in the notes.",
            field="title",
        )
    if not title.strip():
        raise DomainError("Say what is changing.", field="title")
    change = UpcomingChange.objects.create(
        review=review,
        title=title.strip()[:200],
        detail=detail.strip(),
        added_by=audit.acting_user(actor),
    )
    audit.record(
        actor=actor,
        action="create",
        instance=change,
        programme=review.programme,
        after=audit.snapshot(change),
    )
    return change
