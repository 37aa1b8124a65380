"""Django admin for every programmes model. Admin writes leave audit events like any other write."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from . import audit, services
from .errors import DomainError
from .models import (
    ApiToken,
    AuditEvent,
    DeliveryAttempt,
    JobLease,
    JobRun,
    Membership,
    Notification,
    NotificationPreference,
    Person,
    Programme,
    ProgrammeToken,
    StageTransition,
)


def _programme_of(instance: Model) -> Programme | None:
    """The programme an object belongs to: itself, its ``programme``, or its parent's."""
    if isinstance(instance, Programme):
        return instance
    programme = getattr(instance, "programme", None)
    if isinstance(programme, Programme):
        return programme
    parent = getattr(instance, "metric", None)
    return _programme_of(parent) if isinstance(parent, Model) else None


def rule_checked_form(form_class: type[ModelForm[Any]], check: Callable[[Any], None]) -> Any:
    """``form_class`` that, once its fields are valid, also runs ``check`` (a service's check of
    the object about to be saved) and shows each of its refusals beside its field."""

    class RuleCheckedForm(form_class):  # type: ignore[valid-type,misc]
        def _post_clean(self) -> None:
            super()._post_clean()
            if self.errors:
                return
            try:
                check(self.instance)
            except DomainError as error:
                for field, refusals in error.errors.items():
                    self.add_error(field if field in self.fields else None, refusals)

    return RuleCheckedForm


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Records an audit event for every create, change and delete made in the admin, and refuses
    what the pages and the API refuse (``check_rules``)."""

    # A link typed without a scheme is an https one (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def check_rules(self, obj: Any) -> None:
        """Refuse ``obj``, about to be saved, with the service's own check (a DomainError)."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        return rule_checked_form(super().get_form(request, obj, change, **kwargs), self.check_rules)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            after = audit.snapshot(obj)
            if before is not None:
                before, after = audit.changed_fields(before, after)
                if not after:
                    return
            audit.record(
                actor=request.user,
                action="update" if change else "create",
                instance=obj,
                programme=_programme_of(obj),
                before=before,
                after=after,
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self._record_delete(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._record_delete(request, obj)
            super().delete_queryset(request, queryset)

    def _record_delete(self, request: HttpRequest, obj: Any) -> None:
        audit.record(
            actor=request.user,
            action="delete",
            instance=obj,
            programme=_programme_of(obj),
            before=audit.snapshot(obj),
        )


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["name", "email", "timezone", "user"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["user"]


class MembershipInline(admin.TabularInline[Membership, Programme]):
    """Members at a glance, and new ones added; roles change and members go on the membership's
    own admin page, which keeps a programme's last owner."""

    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["name", "stage", "business_unit", "programme_owner", "updated_at"]
    list_filter = ["stage", "business_unit"]
    search_fields = ["name", "slug", "business_unit"]
    # The stage moves only through recorded transitions, never by an edit here.
    readonly_fields = ["stage"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["programme_owner"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A programme keeps its address (its slug) once it has one, as on its pages.
        return ["stage", "slug"] if obj is not None else ["stage"]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return {} if obj is not None else self.prepopulated_fields

    def check_rules(self, obj: Programme) -> None:
        services.check_programme(obj)


def _last_owner_refusal(membership: Membership, new_role: str | None) -> str | None:
    """The service's refusal of ``membership`` (as stored) moving to ``new_role``."""
    stored = Membership.objects.filter(pk=membership.pk).first()
    return None if stored is None else services.last_owner_refusal(stored, new_role=new_role)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["programme", "user", "role"]
    list_filter = ["role"]
    list_select_related = ["programme", "user"]
    autocomplete_fields = ["user", "programme"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A membership is one user's access to one programme; another is added, not moved.
        return ["programme", "user"] if obj is not None else []

    def check_rules(self, obj: Membership) -> None:
        refusal = _last_owner_refusal(obj, obj.role)
        if refusal:
            raise DomainError(refusal, field="role")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _last_owner_refusal(obj, None):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        refused = [m for m in queryset if _last_owner_refusal(m, None)]
        if refused:
            self.message_user(
                request,
                f"Nothing was deleted: {', '.join(str(m.programme) for m in refused)} would be "
                "left without an owner. A programme needs at least one owner.",
                messages.ERROR,
            )
            return
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """History is looked at, never written, in the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StageTransition)
class StageTransitionAdmin(ReadOnlyAdmin):
    list_display = ["programme", "from_stage", "to_stage", "actor", "at"]
    list_select_related = ["programme", "actor"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr", "request_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_label", "request_id"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens can be revoked here; they are created only through the API, shown once."""

    list_display = ["user", "created_at", "last_used_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ProgrammeToken)
class ProgrammeTokenAdmin(ReadOnlyAdmin):
    """Programme tokens are created and revoked by the programme's owners, on its scorecard page
    or through the API, so each act is audited there."""

    list_display = ["name", "programme", "hint", "created_by", "created_at", "revoked_at"]
    list_filter = ["programme"]
    list_select_related = ["programme", "created_by"]


class DeliveryAttemptInline(admin.TabularInline[DeliveryAttempt, Notification]):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "at", "succeeded", "status_code", "detail"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox, to look at; delivery and retries are Celery's (see the runbook)."""

    list_display = ["created_at", "kind", "recipient", "channel", "status", "attempts"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["subject", "recipient__name", "dedupe_key"]
    list_select_related = ["recipient"]
    inlines = [DeliveryAttemptInline]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(AuditedAdmin):
    list_display = ["person", "kind", "channel", "enabled"]
    list_filter = ["kind", "channel", "enabled"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    """When each scheduled job last ran, as ``/metrics`` reports it."""

    list_display = ["job", "started_at", "duration_seconds", "succeeded"]
    list_filter = ["succeeded"]


@admin.register(JobLease)
class JobLeaseAdmin(ReadOnlyAdmin):
    """Which scheduled job a worker is running, until when at most."""

    list_display = ["job", "held_until"]
