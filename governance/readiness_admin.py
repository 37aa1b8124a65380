"""Django admin for readiness: read only, since the definition, criteria, waivers and sign-offs
change through the Readiness tab or the API, which check who may and keep the audit trail."""

from django.contrib import admin

from programmes.admin import ReadOnlyAdmin

from .models import Criterion, DefinitionVersion, ReadinessReview, SignOff, Waiver


@admin.register(DefinitionVersion)
class DefinitionVersionAdmin(ReadOnlyAdmin):
    list_display = ["programme", "number", "agreed_on", "created_at"]
    list_filter = ["programme"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "pillar", "status", "evidence_check", "owner"]
    list_filter = ["pillar", "status", "programme"]


@admin.register(Waiver)
class WaiverAdmin(ReadOnlyAdmin):
    list_display = ["criterion", "approver", "expires_on", "granted_at"]


@admin.register(ReadinessReview)
class ReadinessReviewAdmin(ReadOnlyAdmin):
    list_display = ["programme", "round", "outcome", "opened_at", "closed_at"]
    list_filter = ["outcome", "programme"]


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ["review", "role", "signer", "decision", "decided_at", "expires_at"]
    list_filter = ["role", "decision"]
