"""Production readiness: the written definition and its agreed versions, the criteria by pillar,
waivers, and the four-role readiness review whose sign-offs expire."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programmes.models import Person, Programme
from scorecards.models import VALUE_DIGITS, VALUE_PLACES


class Pillar(models.TextChoices):
    EVALUATION = "evaluation", "Evaluation harness"
    RED_TEAM = "red_team", "Red-team coverage"
    OBSERVABILITY = "observability", "Observability & runbook"
    GOVERNANCE = "governance", "Governance"
    OPERATING_MODEL = "operating_model", "Operating model"
    UNIT_ECONOMICS = "unit_economics", "Unit economics"


class CriterionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    MET = "met", "Met"
    WAIVED = "waived", "Waived"


class DefinitionVersion(models.Model):
    """One version of a programme's written readiness definition. Its text never changes once
    written; a new text is a new version, which needs agreeing again."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="readiness_definitions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.ManyToManyField(Person, blank=True, related_name="+")

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="readiness_definition_numbers_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Readiness definition v{self.number} ({self.programme})"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_on is not None


class Criterion(models.Model):
    """One readiness criterion. ``check`` names the evidence Keel reads itself (blank: the
    criterion is ticked by people, with an evidence link)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="readiness_criteria"
    )
    pillar = models.CharField(max_length=20, choices=Pillar.choices)
    title = models.CharField(max_length=200)
    evidence_check = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=20, choices=CriterionStatus.choices, default=CriterionStatus.NOT_STARTED
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence_link = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "position", "id"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title"], name="readiness_criterion_titles_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Waiver(models.Model):
    """A criterion excused until ``expires_on``, with a reason, approved by the person named
    for the role that owns the criterion's pillar. When it expires the criterion is open again."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="waivers")
    reason = models.TextField()
    approver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    expires_on = models.DateField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return f"Waiver of {self.criterion} until {self.expires_on:%Y-%m-%d}"


class ReviewOutcome(models.TextChoices):
    OPEN = "open", "Open"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded by a new round"


class ReadinessReview(models.Model):
    """One round of the joint readiness review. A new round keeps the old one's record."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="readiness_reviews"
    )
    round = models.PositiveIntegerField()
    outcome = models.CharField(
        max_length=20, choices=ReviewOutcome.choices, default=ReviewOutcome.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "-round"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "round"], name="readiness_review_rounds_unique"
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(outcome="open"),
                name="one_open_readiness_review_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"Readiness review round {self.round} ({self.programme})"

    def get_absolute_url(self) -> str:
        return reverse("readiness", kwargs={"slug": self.programme.slug})


class SignoffRole(models.TextChoices):
    DELIVERY = "delivery", "Delivery"
    SECURITY = "security", "Security"
    RISK = "risk", "Risk & compliance"
    PRODUCT = "product", "Product"


class SignOffDecision(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SignOff(models.Model):
    """One role's sign-off in a review round. An approval records what it was given on (the
    definition version, the headline's baseline, target and model version): when one of them
    changes, the signer is asked to re-attest."""

    review = models.ForeignKey(ReadinessReview, on_delete=models.CASCADE, related_name="signoffs")
    role = models.CharField(max_length=20, choices=SignoffRole.choices)
    signer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(
        max_length=20, choices=SignOffDecision.choices, default=SignOffDecision.PENDING
    )
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Set by an approval and by each re-attestation; the sign-off lapses at ``expires_at``.
    attested_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    attested_definition = models.PositiveIntegerField(null=True, blank=True)
    attested_headline_id = models.PositiveBigIntegerField(null=True, blank=True)
    attested_baseline = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    attested_target = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    attested_model_version = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "role"], name="one_signoff_per_role_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} sign-off by {self.signer} ({self.review})"
