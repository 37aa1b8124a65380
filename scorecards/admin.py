"""Django admin for scorecards. Metric and measurement writes here are audited like any other;
regressions and assessments are history, read only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from programmes import audit
from programmes.admin import AuditedAdmin, ReadOnlyAdmin
from programmes.errors import DomainError

from . import services
from .models import Assessment, Measurement, Metric, Regression


@admin.register(Metric)
class MetricAdmin(AuditedAdmin):
    list_display = ["name", "programme", "is_headline", "kind", "baseline_value", "target_value"]
    list_filter = ["kind", "is_headline", "programme"]
    search_fields = ["name", "programme__name"]
    list_select_related = ["programme"]
    autocomplete_fields = ["owner", "agreed_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A metric stays with its programme, as on its pages and in the API.
        return ["programme"] if obj is not None else []

    def check_rules(self, obj: Metric) -> None:
        stored = Metric.objects.filter(pk=obj.pk).first()
        services.check_metric(obj, stored=stored)
        if stored is None:
            return
        refusal = services.agreed_change_refusal(
            was_agreed=stored.is_agreed,
            before=audit.snapshot(stored),
            after=audit.snapshot(obj),
            reason="",
        )
        if refusal:
            raise DomainError(f"{refusal} Change them on the metric's page, which asks why.")


@admin.register(Measurement)
class MeasurementAdmin(AuditedAdmin):
    list_display = ["metric", "value", "measured_at", "source", "external_id", "model_version"]
    list_filter = ["source"]
    search_fields = ["external_id", "model_version", "metric__name"]
    list_select_related = ["metric", "metric__programme"]
    raw_id_fields = ["metric"]
    date_hierarchy = "measured_at"

    def check_rules(self, obj: Measurement) -> None:
        refusal = services.measurement_refusal(
            services.NewMeasurement(value=obj.value, measured_at=obj.measured_at), timezone.now()
        )
        if refusal:
            field, message = refusal
            raise DomainError(message, field=field)


@admin.register(Regression)
class RegressionAdmin(ReadOnlyAdmin):
    list_display = ["metric", "opened_at", "closed_at", "reason"]
    list_select_related = ["metric"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["metric", "confidence", "computed_rag", "rag_override", "by", "at"]
    list_select_related = ["metric", "by"]
