"""Audit events: the append-only record of every change."""

from typing import Any

from django.conf import settings
from django.db import models

from .programmes import Programme


class AuditEvent(models.Model):
    """An append-only record of one change: nobody edits or deletes these.

    The actor and programme links carry no database constraint and are never cascaded, so an event
    outlives what it describes; ``actor_label`` and ``object_repr`` keep it readable after that.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
    )
    before: "models.JSONField[Any]" = models.JSONField(null=True, blank=True)
    after: "models.JSONField[Any]" = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["programme", "-at"], name="audit_programme_at")]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type} {self.object_repr}"
