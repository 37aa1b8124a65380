"""Programmes, their stages, named owners and stage transitions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from .people import Person
from .validators import mask_secret, validate_timezone, validate_webhook_url


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
