"""Django admin for scorecards. Metric and measurement writes here are audited like any other;
regressions and assessments are history, read only."""

from django.contrib import admin

from programmes.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Assessment, Measurement, Metric, Regression


@admin.register(Metric)
class MetricAdmin(AuditedAdmin):
    list_display = ["name", "programme", "is_headline", "kind", "baseline_value", "target_value"]
    list_filter = ["kind", "is_headline", "programme"]
    search_fields = ["name", "programme__name"]
    list_select_related = ["programme"]
    autocomplete_fields = ["owner", "agreed_by"]


@admin.register(Measurement)
class MeasurementAdmin(AuditedAdmin):
    list_display = ["metric", "value", "measured_at", "source", "external_id", "model_version"]
    list_filter = ["source"]
    search_fields = ["external_id", "model_version", "metric__name"]
    list_select_related = ["metric", "metric__programme"]
    raw_id_fields = ["metric"]
    date_hierarchy = "measured_at"


@admin.register(Regression)
class RegressionAdmin(ReadOnlyAdmin):
    list_display = ["metric", "opened_at", "closed_at", "reason"]
    list_select_related = ["metric"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["metric", "confidence", "computed_rag", "rag_override", "by", "at"]
    list_select_related = ["metric", "by"]
