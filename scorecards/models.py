"""Scorecards: the numbers a programme agreed to be judged by, and what was measured."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programmes.models import Person, Programme
from programmes.times import LONG, format_moment

VALUE_DIGITS = 20
VALUE_PLACES = 6


def _value_field(verbose_name: str, **options: Any) -> "models.DecimalField[Decimal, Decimal]":
    return models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, verbose_name=verbose_name, **options
    )


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class MetricKind(models.TextChoices):
    """What a metric measures. Unit economics reads the cost-per-task and task-volume metrics."""

    EVALUATION = "evaluation", "Evaluation score"
    COST_PER_TASK = "cost_per_task", "Cost per task"
    TASK_VOLUME = "task_volume", "Tasks per month"
    LATENCY = "latency", "Latency"
    OTHER = "other", "Other"


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class Metric(models.Model):
    """A number a programme is judged by: one headline per programme, any number of secondaries."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. %, EUR, ms, tasks")
    kind = models.CharField(
        max_length=20, choices=MetricKind.choices, default=MetricKind.EVALUATION
    )
    is_headline = models.BooleanField(
        default=False,
        verbose_name="Headline",
        help_text="The one number the programme is judged by.",
    )
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline_value = _value_field("Baseline")
    baseline_date = models.DateField()
    target_value = _value_field("Target")
    target_date = models.DateField()
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member of leadership who agreed the baseline and target.",
    )
    regression_tolerance = _value_field(
        "Regression tolerance",
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="How far below the recent median a measurement may fall before it is a "
        "regression.",
    )
    regression_window = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        verbose_name="Regression window (K)",
        help_text="How many previous measurements the median is taken over.",
    )
    staleness_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        verbose_name="Stale after (days)",
    )
    amber_margin = models.PositiveSmallIntegerField(
        default=15,
        validators=[MaxValueValidator(100)],
        verbose_name="Amber margin (points)",
        help_text="Amber when progress trails the expected progress by more than this.",
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_metrics"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "-is_headline", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(is_headline=True),
                name="one_headline_metric_per_programme",
            ),
            models.UniqueConstraint(
                fields=["programme", "name"], name="metric_names_unique_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.programme})"

    def get_absolute_url(self) -> str:
        return reverse("metric-detail", kwargs={"slug": self.programme.slug, "metric_id": self.pk})

    @property
    def is_agreed(self) -> bool:
        return self.agreed_on is not None


# A metric's settings as a person or a client sets them, in the order forms show them.
METRIC_SETTINGS: tuple[str, ...] = (
    "name",
    "unit",
    "kind",
    "is_headline",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "agreed_on",
    "agreed_by",
    "owner",
    "regression_tolerance",
    "regression_window",
    "staleness_days",
    "amber_margin",
)


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    API = "api", "API"
    CSV = "csv", "CSV upload"
    EVALUATION_RUN = "evaluation_run", "Evaluation run"


class Measurement(models.Model):
    """One value of a metric at an instant, and where it came from."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="measurements")
    value = _value_field("Value")
    measured_at = models.DateTimeField()
    source = models.CharField(
        max_length=20, choices=MeasurementSource.choices, default=MeasurementSource.MANUAL
    )
    external_id = models.CharField(
        max_length=200,
        blank=True,
        help_text="The producer's id for this result (e.g. the evaluation run id). Sending the "
        "same id again changes nothing.",
    )
    model_version = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["metric", "measured_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "external_id"],
                condition=~Q(external_id=""),
                name="external_id_unique_per_metric",
            ),
        ]
        indexes = [models.Index(fields=["metric", "-measured_at"], name="measurement_series")]

    def __str__(self) -> str:
        return (
            f"{self.metric.name} = {self.value} at "
            f"{format_moment(self.measured_at, 'UTC', style=LONG)}"
        )


class Regression(models.Model):
    """A stretch of time in which a metric's latest value is a regression. One open at a time, so
    a run of bad measurements is one regression and one alert."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="regressions")
    opened_by = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric"],
                condition=Q(closed_at__isnull=True),
                name="one_open_regression_per_metric",
            ),
        ]

    def __str__(self) -> str:
        return f"Regression of {self.metric.name} since {self.opened_at:%Y-%m-%d}"


class Assessment(models.Model):
    """The owner's view beside the computed RAG: a confidence and, if they disagree, an override.
    Never edited: the latest row is the current view, the rest is its history."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="assessments")
    confidence = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (very unsure the target will be met) to 5 (certain).",
    )
    rag_override = models.CharField(
        max_length=10, choices=Rag.choices, blank=True, verbose_name="RAG override"
    )
    reason = models.TextField(blank=True)
    computed_rag = models.CharField(max_length=10, choices=Rag.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Assessment of {self.metric.name}: confidence {self.confidence}"
