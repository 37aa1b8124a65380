"""People: the named humans who own things, are on call and are reminded."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from .validators import validate_timezone


class Person(models.Model):
    """A named human who can own things, be on call and receive reminders."""

    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    slack_member_id = models.CharField(
        max_length=32,
        blank=True,
        validators=[
            RegexValidator(r"^[UW][A-Z0-9]{2,30}$", "A Slack member id looks like U01ABCDEF.")
        ],
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name
