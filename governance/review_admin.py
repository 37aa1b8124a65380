"""Django admin for weekly reviews: read only, since reviews, their records and action items
are written through the pages and the API, which check the meeting's rules and audit."""

from django.contrib import admin

from programmes.admin import ReadOnlyAdmin

from .models import ActionItem, Attendance, Decision, Review, UpcomingChange


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["programme", "scheduled_for", "timezone", "status", "held_at"]
    list_filter = ["status"]
    list_select_related = ["programme"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["review", "person", "guest_name", "present"]
    list_select_related = ["review__programme", "person"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["review", "kind", "agenda_item", "decided_at"]
    list_filter = ["kind"]
    list_select_related = ["review__programme"]


@admin.register(ActionItem)
class ReviewActionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "owner", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["programme", "owner"]


@admin.register(UpcomingChange)
class UpcomingChangeAdmin(ReadOnlyAdmin):
    list_display = ["title", "review", "added_at"]
    list_select_related = ["review__programme"]
