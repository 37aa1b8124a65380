"""Django admin for incidents: read only but for runbooks, since incidents move through their page
or the API, which keep the timeline and page people."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from programmes.admin import AuditedAdmin, ReadOnlyAdmin

from .models import ActionItem, Incident, Postmortem, Runbook, TimelineEntry


class TimelineEntryInline(admin.TabularInline[TimelineEntry, Incident]):
    model = TimelineEntry
    extra = 0
    can_delete = False
    fields = ("at", "kind", "author_label", "text")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    """Incidents move through their page or the API, which keep the timeline and page people."""

    list_display = ["title", "programme", "severity", "status", "opened_at", "responder"]
    list_filter = ["severity", "status", "source", "programme"]
    search_fields = ["title", "fingerprint"]
    list_select_related = ["programme", "responder"]
    inlines = [TimelineEntryInline]


@admin.register(Postmortem)
class PostmortemAdmin(ReadOnlyAdmin):
    list_display = ["incident", "due_on", "completed_at"]
    list_select_related = ["incident"]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["owner"]


@admin.register(Runbook)
class RunbookAdmin(AuditedAdmin):
    list_display = ["title", "programme", "updated_at"]
    list_select_related = ["programme"]
    search_fields = ["title", "body"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Incidents link runbooks of their own programme; a runbook does not move to another.
        return ["programme"] if obj is not None else []
