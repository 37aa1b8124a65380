"""Writing the audit trail: one append-only event per create, change or delete."""

import datetime
import decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from .models import AuditEvent, Programme, mask_secret
from .request_id import current_request_id

# Bookkeeping fields that change on every save and say nothing about the change itself.
_UNAUDITED_FIELDS = frozenset({"created_at", "updated_at", "password", "last_login", "key_hash"})
# Secrets are recorded only as a recognisable hint, never in full.
_SECRET_FIELDS = frozenset({"slack_webhook_url"})


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The audited fields of ``instance`` as JSON values; a link shows as ``{"id", "name"}``."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in _UNAUDITED_FIELDS or field.primary_key:
            continue
        if field.name in _SECRET_FIELDS:
            values[field.name] = mask_secret(field.value_from_object(instance)) or None
        elif field.is_relation:
            related_id = getattr(instance, field.attname)
            related = getattr(instance, field.name) if related_id is not None else None
            values[field.name] = (
                None if related is None else {"id": related_id, "name": str(related)}
            )
        else:
            value = field.value_from_object(instance)
            if isinstance(field, models.DecimalField) and value is not None:
                # As the database will hold it, so 2500 and 2500.00 are the same value.
                value = decimal.Decimal(value).quantize(
                    decimal.Decimal(1).scaleb(-field.decimal_places)
                )
            values[field.name] = _json_value(value)
    return values


def changed_fields(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, as a (before, after) pair."""
    names = [name for name in after if before.get(name) != after[name]]
    return {name: before.get(name) for name in names}, {name: after[name] for name in names}


def acting_user(actor: Any) -> Any:
    """The user account behind ``actor``, for a "by whom" link; None for the system or a
    programme token, which have none."""
    return actor if isinstance(actor, AbstractBaseUser) else None


def actor_label(actor: Any) -> str:
    """How ``actor`` is named in records: a username, ``token:<name>``, or ``system``."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return "system"


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    programme: Programme | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction that makes the change."""
    return AuditEvent.objects.create(
        actor=acting_user(actor),
        actor_label=actor_label(actor),
        action=action,
        object_type=instance._meta.model_name or "",
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        programme=programme,
        before=before,
        after=after,
        request_id=current_request_id(),
    )


def record_update(
    *, actor: Any, instance: models.Model, programme: Programme | None, before: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Append an "update" event holding only the fields that differ from ``before`` (a
    ``snapshot`` taken before the change); none when nothing changed. Returns that
    (before, after) pair."""
    changed_before, changed_after = changed_fields(before, snapshot(instance))
    if changed_after:
        record(
            actor=actor,
            action="update",
            instance=instance,
            programme=programme,
            before=changed_before,
            after=changed_after,
        )
    return changed_before, changed_after
