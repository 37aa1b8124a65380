"""The base every Keel app points at: people, programmes, owners, memberships, audit events."""

import hashlib
import secrets
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (for example Europe/London).")


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

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme-detail", kwargs={"slug": self.slug})

    def named_owners(self) -> list[tuple[str, "Person | None"]]:
        """Each owner role's label with the person named for it, or None where nobody is."""
        return [(label, getattr(self, field)) for field, label in OWNER_ROLES]


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
