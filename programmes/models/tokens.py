"""API tokens: a person's, and a machine's for one programme. Only their hashes are stored."""

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models

from .programmes import Programme


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    PREFIX = "keel_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"API token of {self.user} created {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: Any) -> tuple["ApiToken", str]:
        """Create a token for ``user``; returns the row and the only copy of the secret."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key_hash=cls.hash_key(key)), key


class ProgrammeToken(models.Model):
    """A machine's token for one programme (the evaluation harness posting measurements).

    Only its SHA-256 is stored; the token is shown once. Revoking keeps the row for the record.
    """

    PREFIX = "keel_prog_"

    class Scope(models.TextChoices):
        MEASUREMENTS = "measurements", "Post measurements (evaluation harness)"
        ALERTMANAGER = "alertmanager", "Alertmanager webhook"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “nightly eval harness”.")
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.MEASUREMENTS)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} (…{self.hint})"

    @classmethod
    def issue(
        cls, *, programme: Programme, name: str, created_by: Any, scope: str = "measurements"
    ) -> tuple["ProgrammeToken", str]:
        """Create a token for ``programme``; returns the row and the only copy of the secret."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            programme=programme,
            name=name,
            key_hash=ApiToken.hash_key(key),
            hint=key[-4:],
            created_by=created_by,
            scope=scope,
        )
        return token, key
