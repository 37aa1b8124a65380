"""API shapes for metrics, measurements and assessments."""

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programmes.api_input import QueryDateTimeField
from programmes.models import Person
from programmes.serializers import PersonSummarySerializer

from . import rules, selectors
from .models import (
    METRIC_SETTINGS,
    VALUE_DIGITS,
    VALUE_PLACES,
    Assessment,
    Measurement,
    MeasurementSource,
    Metric,
    Rag,
)


class MetricInputSerializer(serializers.ModelSerializer[Metric]):
    """What a client sends to create or change a metric. People are ids from `/people/`."""

    owner = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    agreed_by = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        write_only=True,
        help_text="Why an agreed baseline or target changes; required for such a change.",
    )

    class Meta:
        model = Metric
        fields = [*METRIC_SETTINGS, "reason"]
        # Uniqueness is checked by the service, with messages that say what to do.
        validators: list[Any] = []


def _status(metric: Metric) -> rules.MetricStatus:
    cached: rules.MetricStatus | None = getattr(metric, "_computed_status", None)
    if cached is None:
        cached = selectors.status_of(metric, timezone.now())
        metric._computed_status = cached  # type: ignore[attr-defined]
    return cached


class MetricSerializer(serializers.ModelSerializer[Metric]):
    """A metric with its computed status: current value, progress, RAG and regression."""

    programme = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)
    owner = PersonSummarySerializer(read_only=True)
    agreed_by = PersonSummarySerializer(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-metric-detail", read_only=True)
    current = serializers.SerializerMethodField()
    current_at = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    expected_progress = serializers.SerializerMethodField()
    rag = serializers.SerializerMethodField()
    rag_override = serializers.SerializerMethodField()
    confidence = serializers.SerializerMethodField()
    regression = serializers.SerializerMethodField()
    stale = serializers.SerializerMethodField()

    class Meta:
        model = Metric
        fields = [
            "id",
            "url",
            "programme",
            *METRIC_SETTINGS,
            "current",
            "current_at",
            "progress",
            "expected_progress",
            "rag",
            "rag_override",
            "confidence",
            "regression",
            "stale",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True))
    def get_current(self, metric: Metric) -> str | None:
        current = _status(metric).current
        return None if current is None else str(current)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_current_at(self, metric: Metric) -> dt.datetime | None:
        return _status(metric).current_at

    @extend_schema_field(
        serializers.DecimalField(
            max_digits=10,
            decimal_places=1,
            help_text="(current − baseline) / (target − baseline) in %, not capped; 0 when "
            "nothing is measured.",
        )
    )
    def get_progress(self, metric: Metric) -> str:
        return str(_status(metric).progress)

    @extend_schema_field(
        serializers.DecimalField(
            max_digits=10,
            decimal_places=1,
            help_text="Where progress should be today on a straight line to the target date.",
        )
    )
    def get_expected_progress(self, metric: Metric) -> str:
        return str(_status(metric).expected_progress)

    @extend_schema_field(serializers.ChoiceField(choices=Rag.choices, help_text="Computed RAG."))
    def get_rag(self, metric: Metric) -> str:
        return _status(metric).rag

    @extend_schema_field(
        serializers.ChoiceField(
            choices=Rag.choices,
            allow_blank=True,
            help_text="The owner's override, shown beside the computed RAG; empty for none.",
        )
    )
    def get_rag_override(self, metric: Metric) -> str:
        return _status(metric).rag_override

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=1, max_value=5))
    def get_confidence(self, metric: Metric) -> int | None:
        return _status(metric).confidence

    @extend_schema_field(
        serializers.CharField(allow_null=True, help_text="Why the open regression is one.")
    )
    def get_regression(self, metric: Metric) -> str | None:
        return _status(metric).regression

    @extend_schema_field(serializers.BooleanField())
    def get_stale(self, metric: Metric) -> bool:
        return _status(metric).stale


class MeasurementSerializer(serializers.ModelSerializer[Measurement]):
    class Meta:
        model = Measurement
        fields = [
            "id",
            "value",
            "measured_at",
            "source",
            "external_id",
            "model_version",
            "note",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class MeasurementInputSerializer(serializers.Serializer[Any]):
    """One measurement as the evaluation harness sends it."""

    value = serializers.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    measured_at = serializers.DateTimeField()
    external_id = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The run's id. Sending the same id again creates nothing and is no error.",
    )
    # The stubs type ``Serializer.source`` as Field's own attribute; here it is a field name.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=MeasurementSource.choices, required=False, allow_blank=True, default=""
    )
    model_version = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class IngestConflictSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField(help_text="The measurement's position in the list sent.")
    external_id = serializers.CharField()
    value = serializers.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, help_text="The value sent."
    )
    existing_value = serializers.DecimalField(
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        help_text="The value the metric already has for this external_id; it stays.",
    )


class IngestResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField(help_text="Measurements recorded by this request.")
    existing = serializers.IntegerField(
        help_text="Measurements whose external_id the metric already had with the same value: "
        "skipped, not doubled."
    )
    conflicts = IngestConflictSerializer(
        many=True,
        help_text="Measurements whose external_id the metric already had with another value: "
        "not recorded; the stored value stays.",
    )


class MeasurementRangeSerializer(serializers.Serializer[Any]):
    since = QueryDateTimeField(required=False, help_text="Measured at or after.")
    until = QueryDateTimeField(required=False, help_text="Measured at or before.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "since" in attrs and "until" in attrs and attrs["since"] > attrs["until"]:
            raise serializers.ValidationError({"until": ["`until` must not be before `since`."]})
        return attrs


class PromoteBaselineSerializer(serializers.Serializer[Any]):
    value = serializers.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    baseline_date = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    by = serializers.SlugRelatedField[Any](slug_field="username", read_only=True)
    rag_override = serializers.ChoiceField(
        choices=Rag.choices, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    class Meta:
        model = Assessment
        fields = ["id", "confidence", "rag_override", "reason", "computed_rag", "by", "at"]
        read_only_fields = ["id", "computed_rag", "by", "at"]


class UnitEconomicsSerializer(serializers.Serializer[Any]):
    cost_per_task = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    current_volume = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    projected_volume = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    current_monthly_cost = serializers.DecimalField(
        max_digits=20, decimal_places=2, allow_null=True
    )
    projected_monthly_cost = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        allow_null=True,
        help_text="Cost per task × projected monthly volume (the task-volume metric's target).",
    )
    envelope = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    headroom = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    breached = serializers.BooleanField()


class ScorecardSerializer(serializers.Serializer[Any]):
    headline = MetricSerializer(allow_null=True)
    metrics = MetricSerializer(many=True)
    unit_economics = UnitEconomicsSerializer()
