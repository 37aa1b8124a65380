"""Django admin for stop conditions: read only, since policies, versions, trips and decisions
are written through the pages and the API, which approve, evaluate, notify and audit."""

from django.contrib import admin

from programmes.admin import ReadOnlyAdmin

from .models import (
    StopCondition,
    StopConditionDecision,
    StopConditionTrip,
    StopConditionVersion,
    StopPolicy,
)


@admin.register(StopPolicy)
class StopPolicyAdmin(ReadOnlyAdmin):
    list_display = ["programme", "author", "approved_on", "revisit_on"]
    list_select_related = ["programme", "author"]


@admin.register(StopCondition)
class StopConditionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "programme", "state", "reading", "distance", "evaluated_at"]
    list_filter = ["state", "reading"]
    list_select_related = ["programme"]


@admin.register(StopConditionVersion)
class StopConditionVersionAdmin(ReadOnlyAdmin):
    list_display = ["condition", "number", "consequence", "rule_kind", "approved_at"]
    list_select_related = ["condition__programme"]


@admin.register(StopConditionTrip)
class StopConditionTripAdmin(ReadOnlyAdmin):
    list_display = ["condition", "tripped_at", "summary", "decided_at"]
    list_select_related = ["condition__programme"]


@admin.register(StopConditionDecision)
class StopConditionDecisionAdmin(ReadOnlyAdmin):
    list_display = ["condition", "kind", "decided_by", "decided_at", "revisit_on"]
    list_select_related = ["condition__programme", "decided_by"]
