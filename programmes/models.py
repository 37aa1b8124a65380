"""The base every Keel app points at: people, programmes, owners, memberships, audit events."""

import hashlib
import secrets
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from .registry.notification_kinds import kind_label


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (for example Europe/London).")


def validate_webhook_url(value: str) -> None:
    """Only https URLs on an allow-listed host: Keel never posts to an arbitrary address."""
    from .webhooks import webhook_url_refusal

    refusal = webhook_url_refusal(value)
    if refusal:
        raise ValidationError(refusal)


def mask_secret(value: str) -> str:
    """ "" for nothing; otherwise the host and the last four characters."""
    if not value:
        return ""
    host = urlsplit(value).hostname or ""
    return f"{host}/…{value[-4:]}"


class Person(models.Model):
    """A named human who can own things, be on call and receive reminders."""

    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    slack_member_id = models.CharField(
        max_length=32,
        blank=True,
        validators=[
            RegexValidator(r"^[UW][A-Z0-9]{2,30}$", "A Slack member id looks like U01ABCDEF.")
        ],
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    PILOT = "pilot", "Pilot"
    READINESS_REVIEW = "readiness_review", "Readiness review"
    PRODUCTION = "production", "Production"
    PAUSED = "paused", "Paused"
    RESCOPED = "rescoped", "Rescoped"
    RETIRED = "retired", "Retired"


# Stages in which a programme is being worked on, and so is reminded and alerted.
ACTIVE_STAGES: tuple[str, ...] = (Stage.PILOT, Stage.READINESS_REVIEW, Stage.PRODUCTION)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


# The eight named owner roles every programme fills, as (field name, label).
OWNER_ROLES: tuple[tuple[str, str], ...] = (
    ("executive_sponsor", "Executive sponsor"),
    ("programme_owner", "Programme owner"),
    ("delivery_lead", "Delivery lead"),
    ("technical_owner", "Technical owner"),
    ("risk_owner", "Risk & compliance owner"),
    ("security_owner", "Security owner"),
    ("product_owner", "Product owner"),
    ("oncall_lead", "On-call lead"),
)
OWNER_FIELDS: tuple[str, ...] = tuple(field for field, _ in OWNER_ROLES)
# A programme without one of these has nobody to answer for it.
REQUIRED_OWNERS: tuple[str, ...] = (
    "programme_owner",
    "technical_owner",
    "executive_sponsor",
    "oncall_lead",
)


def _owner_field(label: str) -> "models.ForeignKey[Person | None, Person | None]":
    return models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=label,
    )


class Programme(models.Model):
    """An AI programme and the operating model that decides whether it survives its first year."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(blank=True)
    business_unit = models.CharField(max_length=120, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PILOT)

    executive_sponsor = _owner_field("Executive sponsor")
    programme_owner = _owner_field("Programme owner")
    delivery_lead = _owner_field("Delivery lead")
    technical_owner = _owner_field("Technical owner")
    risk_owner = _owner_field("Risk & compliance owner")
    security_owner = _owner_field("Security owner")
    product_owner = _owner_field("Product owner")
    oncall_lead = _owner_field("On-call lead")

    review_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.TUESDAY, verbose_name="Weekly review day"
    )
    review_time = models.TimeField(default="10:00", verbose_name="Weekly review time")
    review_timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        verbose_name="Review time zone",
    )
    regression_day = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        verbose_name="Monthly regression day",
        help_text="Day of the month (1–28) for regression work.",
    )
    cost_envelope = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        verbose_name="Monthly cost envelope",
    )
    cost_currency = models.CharField(
        max_length=3,
        default="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter currency code such as EUR.")],
    )
    # A secret: written, never shown back in full (see ``webhook_hint``).
    slack_webhook_url = models.URLField(
        max_length=500,
        blank=True,
        validators=[validate_webhook_url],
        verbose_name="Slack webhook URL",
        help_text="A Slack-compatible incoming webhook for this programme's channel.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # Two live programmes with one name cannot be told apart; a retired one frees it.
            models.UniqueConstraint(
                Lower("name"),
                condition=~Q(stage=Stage.RETIRED),
                name="programme_names_unique_while_live",
                violation_error_message="Another programme already has this name: choose a name "
                "that tells them apart.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme-detail", kwargs={"slug": self.slug})

    @property
    def webhook_hint(self) -> str:
        """Enough of the webhook URL to recognise it, not enough to use it."""
        return mask_secret(self.slack_webhook_url)

    def named_owners(self) -> list[tuple[str, "Person | None"]]:
        """Each owner role's label with the person named for it, or None where nobody is."""
        return [(label, getattr(self, field)) for field, label in OWNER_ROLES]

    def missing_owner_labels(self) -> list[str]:
        """The labels of the required owner roles nobody is named for."""
        labels = dict(OWNER_ROLES)
        return [labels[field] for field in REQUIRED_OWNERS if getattr(self, f"{field}_id") is None]


class StageTransition(models.Model):
    """A recorded change of a programme's stage: who, when and why."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    reason = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.programme}: {self.from_stage} → {self.to_stage}"


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    OWNER = "owner", "Owner"


class Membership(models.Model):
    """A user's access to one programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="one_membership_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) on {self.programme}"


class AuditEvent(models.Model):
    """An append-only record of one change: nobody edits or deletes these.

    The actor and programme links carry no database constraint and are never cascaded, so an event
    outlives what it describes; ``actor_label`` and ``object_repr`` keep it readable after that.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
    )
    before: "models.JSONField[Any]" = models.JSONField(null=True, blank=True)
    after: "models.JSONField[Any]" = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["programme", "-at"], name="audit_programme_at")]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type} {self.object_repr}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    PREFIX = "keel_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"API token of {self.user} created {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: Any) -> tuple["ApiToken", str]:
        """Create a token for ``user``; returns the row and the only copy of the secret."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key_hash=cls.hash_key(key)), key


class ProgrammeToken(models.Model):
    """A machine's token for one programme (the evaluation harness posting measurements).

    Only its SHA-256 is stored; the token is shown once. Revoking keeps the row for the record.
    """

    PREFIX = "keel_prog_"

    class Scope(models.TextChoices):
        MEASUREMENTS = "measurements", "Post measurements (evaluation harness)"
        ALERTMANAGER = "alertmanager", "Alertmanager webhook"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “nightly eval harness”.")
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.MEASUREMENTS)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} (…{self.hint})"

    @classmethod
    def issue(
        cls, *, programme: Programme, name: str, created_by: Any, scope: str = "measurements"
    ) -> tuple["ProgrammeToken", str]:
        """Create a token for ``programme``; returns the row and the only copy of the secret."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            programme=programme,
            name=name,
            key_hash=ApiToken.hash_key(key),
            hint=key[-4:],
            created_by=created_by,
            scope=scope,
        )
        return token, key


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


class JobRun(models.Model):
    """The last run of one scheduled job: when it started, how long it took, whether it worked.
    Written by the worker on every tick; read by ``/metrics``."""

    job = models.CharField(max_length=80, unique=True)
    started_at = models.DateTimeField()
    duration_seconds = models.FloatField()
    succeeded = models.BooleanField()

    class Meta:
        ordering = ["job"]

    def __str__(self) -> str:
        outcome = "ok" if self.succeeded else "failed"
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M:%S} ({outcome})"
