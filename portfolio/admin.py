from django.contrib import admin

from programmes.admin import AuditedAdmin

from .models import DigestPreference


@admin.register(DigestPreference)
class DigestPreferenceAdmin(AuditedAdmin):
    list_display = ("person", "only_when_attention", "updated_at")
    list_select_related = ("person",)
    autocomplete_fields = ("person",)
