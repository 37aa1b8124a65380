"""Weekly reviews: the meeting in the programme's cadence, what it saw (the agenda snapshot), who
came, what it decided and the action items it raised."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programmes.models import Person, Programme
from programmes.times import LONG, format_moment


class ReviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    STARTED = "started", "In progress"
    HELD = "held", "Held"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


# A review in one of these may still be held; the others are over.
OPEN_REVIEW_STATUSES: tuple[str, ...] = (ReviewStatus.SCHEDULED, ReviewStatus.STARTED)


class Review(models.Model):
    """One weekly review of a programme, at a wall-clock time in the programme's review zone."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reviews")
    scheduled_for = models.DateTimeField()
    # The zone the review was scheduled in: its time is shown, and its day ends, there.
    timezone = models.CharField(max_length=64)
    # The end of the review's local day: not held by then, it is missed.
    missed_after = models.DateTimeField()
    # The reminder's moment: the review's wall-clock time on the local day before; and when the
    # named owners were reminded (moving the review clears it, so they hear of the new time).
    remind_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SCHEDULED
    )
    # Where it was before it was moved (a review moves once); a moved review keeps its time when
    # the cadence changes.
    moved_from = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    # The start of the period the agenda covers (the previous held review), frozen at start.
    period_start = models.DateTimeField(null=True, blank=True)
    snapshot: "models.JSONField[Any]" = models.JSONField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="Markdown.")
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was held, cancelled or found missed."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-scheduled_for", "-id"]
        indexes = [
            models.Index(fields=["programme", "-scheduled_for"], name="review_series"),
            models.Index(fields=["status", "missed_after"], name="review_open_by_day_end"),
            models.Index(fields=["status", "remind_at"], name="review_open_by_reminder"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "scheduled_for"],
                condition=Q(status__in=OPEN_REVIEW_STATUSES),
                name="one_open_review_per_programme_and_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: review of {self.when}"

    def get_absolute_url(self) -> str:
        return reverse("review-detail", kwargs={"slug": self.programme.slug, "review_id": self.pk})

    def get_minutes_url(self) -> str:
        return reverse("review-minutes", kwargs={"slug": self.programme.slug, "review_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REVIEW_STATUSES

    @property
    def when(self) -> str:
        """Its time on its own zone's clock, the zone named: ``Tue 1 Dec 2026 10:00 GMT``."""
        return format_moment(self.scheduled_for, self.timezone, style=LONG)


class Attendance(models.Model):
    """Whether a named owner (or a guest, by name) was at a review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    guest_name = models.CharField(max_length=150, blank=True)
    present = models.BooleanField(default=True)

    class Meta:
        ordering = ["review", "guest_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "person"],
                condition=Q(person__isnull=False),
                name="one_attendance_per_person_per_review",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) ^ ~Q(guest_name=""),
                name="attendance_is_a_person_or_a_guest",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person else self.guest_name
        return f"{who}: {'present' if self.present else 'absent'}"


class ReviewDecisionKind(models.TextChoices):
    CONTINUE = "continue", "Continue"
    RESCOPE = "rescope", "Rescope"
    PAUSE = "pause", "Pause"
    ESCALATE = "escalate", "Escalate"
    OTHER = "other", "Other"
    # Not a decision on the item: the meeting put it off, and says why.
    DEFER = "defer", "Defer (with a reason)"


class Decision(models.Model):
    """A typed decision the review took, linked to the agenda item it decides."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=10, choices=ReviewDecisionKind.choices)
    text = models.TextField()
    # The agenda item it decides (``scorecard:metric:12``, ``stop-condition:3``), or "" for the
    # review as a whole.
    agenda_item = models.CharField(max_length=80, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    # A decision on a tripped stop condition is the stop condition's own decision (the record
    # its page shows), taken by the sponsor or an approver, with a revisit date for "continue".
    stop_condition_decision = models.OneToOneField(
        "StopConditionDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_decision",
    )

    class Meta:
        ordering = ["review", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionItem(models.Model):
    """Something a review asked a named person to do by a date; on every agenda until closed."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="review_actions"
    )
    raised_in = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="review_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    drop_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_in = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="closed_actions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "due_on", "id"]
        indexes = [
            models.Index(fields=["programme", "status"], name="review_action_state"),
            models.Index(fields=["status", "due_on"], name="review_action_due"),
        ]

    def __str__(self) -> str:
        return self.title


class UpcomingChange(models.Model):
    """A free agenda item an owner adds before the meeting: a change coming up."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="upcoming_changes")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "added_at", "id"]

    def __str__(self) -> str:
        return self.title
