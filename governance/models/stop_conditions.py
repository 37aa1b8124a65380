"""Stop conditions: a programme's written policy of when it is rescoped, paused or escalated,
each condition versioned and approved, with the trips Keel found and the decisions people took."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programmes.models import Person, Programme, StageTransition


class Consequence(models.TextChoices):
    RESCOPE = "rescope", "Rescope"
    PAUSE = "pause", "Pause"
    ESCALATE = "escalate", "Escalate"


class ConditionState(models.TextChoices):
    """Where a condition stands: ok → tripped (a decision is due) → decided."""

    OK = "ok", "OK"
    TRIPPED = "tripped", "Tripped: decision needed"
    DECIDED = "decided", "Decided"


class Reading(models.TextChoices):
    """What the condition's rule said at its latest evaluation."""

    OK = "ok", "OK"
    TRIPPING = "tripping", "Tripping"
    NOT_ENOUGH_DATA = "not_enough_data", "Not enough data"
    MANUAL = "manual", "Assessed by people"
    NOT_IN_FORCE = "not_in_force", "Awaiting approval"


class DecisionKind(models.TextChoices):
    CONTINUE = "continue", "Continue"
    RESCOPE = "rescope", "Rescope"
    PAUSE = "pause", "Pause"
    ESCALATE = "escalate", "Escalate"


class StopPolicy(models.Model):
    """A programme's stop conditions as one document: who wrote it, who approves it, when it was
    approved and when it is revisited."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="stop_policy"
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    approvers = models.ManyToManyField(Person, related_name="+")
    approved_on = models.DateField(null=True, blank=True)
    revisit_on = models.DateField(null=True, blank=True)
    # The revisit date its author was last reminded of, so each date is reminded once.
    revisit_reminded_for = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "stop policies"

    def __str__(self) -> str:
        return f"Stop policy of {self.programme}"


class StopCondition(models.Model):
    """One condition of a policy. Its text and rule live in versions; the latest approved one is
    in force. The columns below hold the latest evaluation, read in bulk by pages and the API."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="stop_conditions"
    )
    policy = models.ForeignKey(StopPolicy, on_delete=models.CASCADE, related_name="conditions")
    state = models.CharField(
        max_length=10, choices=ConditionState.choices, default=ConditionState.OK
    )
    reading = models.CharField(max_length=20, choices=Reading.choices, default=Reading.NOT_IN_FORCE)
    distance = models.CharField(max_length=300, blank=True)
    # How close to tripping, from 0 to 1 (tripping); None when the rule cannot say.
    distance_fraction = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    # How bad the tripping facts are, in the rule's own measure: a "continue" holds until worse.
    severity = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    # When the rule's answer can next change with no new data (a window closing, a deadline);
    # writes set it to now. The scheduled evaluation reads only the rows due.
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A "continue" decision: no new trip before this date unless the facts get worse.
    continue_until = models.DateField(null=True, blank=True)
    continued_severity = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "id"]

    def __str__(self) -> str:
        return f"Stop condition {self.pk} of {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse(
            "stop-condition-detail",
            kwargs={"slug": self.programme.slug, "condition_id": self.pk},
        )


class StopConditionVersion(models.Model):
    """A condition as written at one time: kept for good, approved at most once."""

    condition = models.ForeignKey(StopCondition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    consequence = models.CharField(max_length=10, choices=Consequence.choices)
    # Blank for a condition assessed by people; else a key of the rule-kind registry.
    rule_kind = models.CharField(max_length=40, blank=True)
    rule = models.JSONField(default=dict, blank=True)
    written_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["condition", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "number"], name="stop_condition_version_numbers_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of stop condition {self.condition_id}"


class StopConditionTrip(models.Model):
    """The moment a condition's rule tripped, with the facts that tripped it as they were."""

    condition = models.ForeignKey(StopCondition, on_delete=models.CASCADE, related_name="trips")
    version = models.ForeignKey(StopConditionVersion, on_delete=models.PROTECT, related_name="+")
    tripped_at = models.DateTimeField()
    summary = models.CharField(max_length=300)
    facts = models.JSONField(default=list)
    severity = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-tripped_at", "-id"]
        constraints = [
            # One trip waits for a decision at a time: two evaluations at once trip once.
            models.UniqueConstraint(
                fields=["condition"],
                condition=Q(decided_at__isnull=True),
                name="one_undecided_trip_per_condition",
            ),
        ]

    def __str__(self) -> str:
        return f"Trip of stop condition {self.condition_id} at {self.tripped_at:%Y-%m-%d %H:%M}"


class StopConditionDecision(models.Model):
    """What the sponsor or an approver decided about a trip, and why."""

    condition = models.ForeignKey(StopCondition, on_delete=models.CASCADE, related_name="decisions")
    trip = models.ForeignKey(StopConditionTrip, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    reason = models.TextField()
    revisit_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    transition = models.ForeignKey(
        StageTransition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the decider was reminded of the revisit date (once).
    revisit_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["kind", "revisit_on"], name="stop_decision_revisits")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on stop condition {self.condition_id}"
