"""Django admin for on-call. Rotations' schedules change through their pages or the API (an edit
adds a version there); here versions, handoffs and feed tokens are read only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from programmes.admin import AuditedAdmin, ReadOnlyAdmin

from .models import (
    CalendarFeedToken,
    CoverRequest,
    Handoff,
    Override,
    Rotation,
    RotationCheck,
    RotationVersion,
    TimeOff,
)


class RotationVersionInline(admin.TabularInline[RotationVersion, Rotation]):
    model = RotationVersion
    extra = 0
    can_delete = False
    fields = ("effective_from", "timezone", "shift_kind", "handoff_time", "member_ids")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rotation)
class RotationAdmin(AuditedAdmin):
    """A rotation's name, level and runbook link change here. It is created on its programme's
    page or through the API, which set its schedule and members: a rotation made here would
    have neither."""

    list_display = ["name", "programme", "level", "updated_at"]
    list_filter = ["level", "programme"]
    search_fields = ["name", "programme__name"]
    list_select_related = ["programme"]
    readonly_fields = ["programme"]
    inlines = [RotationVersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Override)
class OverrideAdmin(ReadOnlyAdmin):
    """Overrides change on the rotation page or through the API, where overlaps are refused."""

    list_display = ["rotation", "person", "start", "end", "reason"]
    list_select_related = ["rotation", "person"]


@admin.register(TimeOff)
class TimeOffAdmin(ReadOnlyAdmin):
    """Time off is recorded on its page or through the API, which asks for cover."""

    list_display = ["person", "start", "end", "note"]
    list_select_related = ["person"]


@admin.register(RotationCheck)
class RotationCheckAdmin(ReadOnlyAdmin):
    """When the scheduler next works out a rotation's handoffs or gaps."""

    list_display = ["rotation", "job", "due_at", "fingerprint"]
    list_filter = ["job"]
    list_select_related = ["rotation"]


@admin.register(CoverRequest)
class CoverRequestAdmin(ReadOnlyAdmin):
    list_display = ["rotation", "requester", "start", "end", "status", "accepted_by"]
    list_filter = ["status"]
    list_select_related = ["rotation", "requester", "accepted_by"]


@admin.register(Handoff)
class HandoffAdmin(ReadOnlyAdmin):
    list_display = ["rotation", "starts_at", "outgoing", "incoming", "acknowledged_at"]
    list_select_related = ["rotation", "outgoing", "incoming"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(ReadOnlyAdmin):
    """Calendar links are made on the rotation page or through the API, and revoked through the
    API (`DELETE /api/v1/calendar-feeds/<id>/`)."""

    list_display = ["kind", "rotation", "person", "hint", "created_at", "revoked_at"]
    list_select_related = ["rotation", "person"]
