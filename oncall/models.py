"""On-call: rotations and their effective-dated versions, overrides, cover requests, time off,
handoffs and calendar feed tokens."""

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from programmes.models import Person, Programme, validate_timezone
from programmes.times import LONG, format_moment


class Level(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


class ShiftKind(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    HOURS = "hours", "Every N hours"


class Rotation(models.Model):
    """Who of a team is on call when, for one programme and level.

    The schedule itself lives in ``RotationVersion`` rows: an edit adds a version that takes
    effect at the next handoff, so the past never changes.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rotations")
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.PRIMARY)
    runbook_url = models.URLField(max_length=500, blank=True, verbose_name="Runbook link")
    # Counts the changes to what the schedule is made of (a version, an override, a member's
    # time off), so the scheduler works out again only the rotations that changed.
    schedule_changes = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "level", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="rotation_names_unique_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.programme})"

    def get_absolute_url(self) -> str:
        return reverse("rotation-detail", kwargs={"rotation_id": self.pk})

    def get_handoff_url(self) -> str:
        return reverse("handoff", kwargs={"rotation_id": self.pk})


class RotationVersion(models.Model):
    """A rotation's settings from ``effective_from`` until the next version takes over.

    Shifts are numbered from ``anchor``: shift k belongs to ``member_ids[k % len(member_ids)]``.
    Daily and weekly handoffs happen at ``handoff_time`` wall-clock time in ``timezone``.
    """

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateTimeField()
    anchor = models.DateTimeField()
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    shift_kind = models.CharField(max_length=10, choices=ShiftKind.choices)
    shift_hours = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(24 * 14)]
    )
    handoff_time = models.TimeField()
    handoff_weekday = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(6)])
    member_ids: "models.JSONField[Any]" = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rotation", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["rotation", "effective_from"], name="one_version_per_rotation_instant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rotation.name} from {format_moment(self.effective_from, 'UTC', style=LONG)}"


class Override(models.Model):
    """``person`` is on call for the rotation during [start, end), whoever the rotation says."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="overrides")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="overrides")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rotation", "start"]
        indexes = [models.Index(fields=["rotation", "start", "end"], name="override_window")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="override_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.person} on {self.rotation.name} {format_moment(self.start, 'UTC', style=LONG)}"
            f" – {format_moment(self.end, 'UTC', style=LONG)}"
        )


class TimeOff(models.Model):
    """A period a person is away: any shift of theirs in it is a gap until someone covers it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "start"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="time_off_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} away {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


class CoverStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    CANCELLED = "cancelled", "Cancelled"


class CoverRequest(models.Model):
    """“Cover me”: someone asks the rotation's other members to take [start, end). Accepting it
    creates an override for the person who accepts."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="cover_requests")
    requester = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=CoverStatus.choices, default=CoverStatus.OPEN)
    accepted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override = models.OneToOneField(
        Override, null=True, blank=True, on_delete=models.SET_NULL, related_name="cover_request"
    )
    time_off = models.ForeignKey(
        "TimeOff",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cover_requests",
        help_text="The time off that raised this request, if one did.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rotation", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="cover_ends_after_start")
        ]

    def __str__(self) -> str:
        return (
            f"Cover for {self.requester} on {self.rotation.name} from "
            f"{format_moment(self.start, 'UTC', style=LONG)}"
        )


class Handoff(models.Model):
    """The change of hands at one shift boundary, the outgoing engineer's notes and the incoming
    engineer's acknowledgement."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="handoffs")
    starts_at = models.DateTimeField()
    outgoing = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    incoming = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True, help_text="Markdown.")
    notes_updated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_on_behalf = models.BooleanField(
        default=False,
        help_text="Acknowledged for the incoming engineer by the on-call lead or an owner.",
    )
    acknowledgement_reason = models.CharField(
        max_length=300, blank=True, help_text="Why someone acknowledged for the incoming engineer."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rotation", "-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rotation", "starts_at"], name="one_handoff_per_boundary"
            ),
        ]

    def __str__(self) -> str:
        at = format_moment(self.starts_at, "UTC", style=LONG)
        return f"Handoff on {self.rotation.name} at {at}"


class FeedKind(models.TextChoices):
    ROTATION = "rotation", "Rotation"
    PERSON = "person", "Person"


class CalendarFeedToken(models.Model):
    """The secret in a calendar subscription URL. Only its SHA-256 is stored."""

    kind = models.CharField(max_length=10, choices=FeedKind.choices)
    rotation = models.ForeignKey(
        Rotation, null=True, blank=True, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        target = self.rotation if self.kind == FeedKind.ROTATION else self.person
        return f"Calendar feed for {target} (…{self.hint})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, created_by: Any, **target: Any) -> tuple["CalendarFeedToken", str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            key_hash=cls.hash_key(key), hint=key[-4:], created_by=created_by, **target
        )
        return token, key


class RotationCheck(models.Model):
    """When a scheduled job next needs to work a rotation's schedule out, as long as nothing
    that it depends on changes: ``fingerprint`` is the rotation's ``schedule_changes``, its
    programme's owner and stage as the job saw them (``oncall.rotation_checks``)."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="checks")
    job = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=80)
    due_at = models.DateTimeField()

    class Meta:
        ordering = ["rotation", "job"]
        constraints = [
            models.UniqueConstraint(fields=["rotation", "job"], name="one_check_per_rotation_job")
        ]

    def __str__(self) -> str:
        return f"{self.job} on rotation {self.rotation_id} at {self.due_at:%Y-%m-%d %H:%M}"
