"""Incidents: what went wrong in production, its timeline, its postmortem and actions, and the
programme's runbooks."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programmes.models import Person, Programme
from programmes.times import LONG, format_moment


class Severity(models.TextChoices):
    SEV1 = "sev1", "SEV1 (critical)"
    SEV2 = "sev2", "SEV2 (major)"
    SEV3 = "sev3", "SEV3 (minor)"
    SEV4 = "sev4", "SEV4 (low)"


class IncidentStatus(models.TextChoices):
    TRIGGERED = "triggered", "Triggered"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    MITIGATED = "mitigated", "Mitigated"
    RESOLVED = "resolved", "Resolved"


class IncidentSource(models.TextChoices):
    MANUAL = "manual", "Opened by hand"
    API = "api", "API"
    ALERTMANAGER = "alertmanager", "Alertmanager"


class HarmCategory(models.TextChoices):
    WRONG_OUTPUT = "wrong_output", "Wrong or harmful output"
    PROMPT_INJECTION = "prompt_injection", "Prompt injection"
    DATA_EXPOSURE = "data_exposure", "Data / PII exposure"
    JAILBREAK = "jailbreak", "Jailbreak"
    COST_SPIKE = "cost_spike", "Cost spike"
    OUTAGE = "outage", "Outage"
    DRIFT = "drift", "Drift"
    OTHER = "other", "Other"


class SeriousKind(models.TextChoices):
    """EU AI Act serious incidents and how long the provider has to report each."""

    STANDARD = "standard", "Serious incident (15 days)"
    DEATH = "death", "Death of a person (10 days)"
    WIDESPREAD = "widespread", "Widespread or critical-infrastructure harm (2 days)"


class Incident(models.Model):
    """Something that went wrong in production, from the first page to its resolution."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="incidents")
    title = models.CharField(max_length=200)
    severity = models.CharField(max_length=4, choices=Severity.choices)
    status = models.CharField(
        max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.TRIGGERED
    )
    source = models.CharField(
        max_length=12, choices=IncidentSource.choices, default=IncidentSource.MANUAL
    )
    fingerprint = models.CharField(
        max_length=300, blank=True, help_text="Alertmanager's groupKey: repeats join this one."
    )
    responder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    model_version = models.CharField(
        max_length=200, blank=True, verbose_name="Model / prompt version"
    )
    evaluation_run = models.CharField(max_length=200, blank=True)
    harm_category = models.CharField(max_length=20, choices=HarmCategory.choices, blank=True)
    metric = models.ForeignKey(
        "scorecards.Metric",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The scorecard metric it hurt, if any.",
    )
    runbook = models.ForeignKey(
        "Runbook", null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    opened_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    mitigated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    serious_kind = models.CharField(max_length=12, choices=SeriousKind.choices, blank=True)
    serious_since = models.DateTimeField(null=True, blank=True)
    report_due_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["programme", "-opened_at"], name="incident_programme"),
            models.Index(fields=["programme", "fingerprint", "status"], name="incident_group"),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display().split()[0]} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "incident-detail", kwargs={"slug": self.programme.slug, "incident_id": self.pk}
        )

    def get_postmortem_url(self) -> str:
        return self.get_absolute_url() + "#postmortem"

    @property
    def is_open(self) -> bool:
        """Open until resolved: triggered, acknowledged or mitigated."""
        return self.status != IncidentStatus.RESOLVED


class TimelineKind(models.TextChoices):
    OPENED = "opened", "Opened"
    STATUS = "status", "Status change"
    NOTE = "note", "Note"
    ALERT = "alert", "Alert received"
    SEVERITY = "severity", "Severity change"
    SERIOUS = "serious", "Marked serious"
    REPORTED = "reported", "Reported to the authority"


class TimelineEntry(models.Model):
    """One thing that happened to an incident. Entries are only ever added."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=TimelineKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=150, blank=True)
    text = models.TextField(blank=True, help_text="Markdown.")
    payload: "models.JSONField[Any]" = models.JSONField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["incident", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="one_timeline_entry_per_alert_notification",
            ),
        ]
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} on {self.incident_id} at "
            f"{format_moment(self.at, 'UTC', style=LONG)}"
        )


class Postmortem(models.Model):
    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="postmortem")
    summary = models.TextField(blank=True)
    contributing_factors = models.TextField(blank=True)
    went_well = models.TextField(blank=True, verbose_name="What went well")
    due_on = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Postmortem of {self.incident}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ActionItem(models.Model):
    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="incident_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=6, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["postmortem", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Runbook(models.Model):
    """What to do when something goes wrong: Markdown, per programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="runbooks")
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "title"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "title"], name="runbook_titles_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "runbook-detail", kwargs={"slug": self.programme.slug, "runbook_id": self.pk}
        )
