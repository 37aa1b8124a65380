"""The notification outbox: one row per message, person and channel, with its delivery attempts
and each person's preferences."""

from django.db import models

from ..registry.notification_kinds import kind_label
from .people import Person
from .programmes import Programme


class Channel(models.TextChoices):
    IN_APP = "in_app", "In-app"
    EMAIL = "email", "Email"
    SLACK = "slack", "Slack"


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    DEAD = "dead", "Dead"


class Notification(models.Model):
    """One message to one person on one channel: the outbox row that delivery works from.

    ``dedupe_key`` names the occurrence (``regression-work:<programme>:<yyyy-mm>:email``), so the
    same reminder written twice is one row.
    """

    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=40)
    dedupe_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox"),
            models.Index(fields=["programme", "-created_at"], name="notification_programme"),
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} to {self.recipient} by {self.get_channel_display()}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


class DeliveryAttempt(models.Model):
    """The result of one try at delivering a notification."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    succeeded = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["notification", "number"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "number"], name="one_row_per_attempt"),
        ]

    def __str__(self) -> str:
        outcome = "ok" if self.succeeded else "failed"
        return f"Attempt {self.number} of notification {self.notification_id}: {outcome}"


class NotificationPreference(models.Model):
    """Whether a person wants one kind of notification on one channel. In-app is always on."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="preferences")
    kind = models.CharField(max_length=40)
    channel = models.CharField(
        max_length=10, choices=[(Channel.EMAIL, "Email"), (Channel.SLACK, "Slack")]
    )
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "channel"], name="one_preference_per_kind_and_channel"
            ),
        ]

    def __str__(self) -> str:
        state = "on" if self.enabled else "off"
        return f"{self.person}: {kind_label(self.kind)} by {self.get_channel_display()} {state}"
