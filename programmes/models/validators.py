"""Checks of values the models store: time zones, webhook URLs; and how a secret is shown."""

import zoneinfo
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (for example Europe/London).")


def validate_webhook_url(value: str) -> None:
    """Only https URLs on an allow-listed host: Keel never posts to an arbitrary address."""
    from ..webhooks import webhook_url_refusal

    refusal = webhook_url_refusal(value)
    if refusal:
        raise ValidationError(refusal)


def mask_secret(value: str) -> str:
    """ "" for nothing; otherwise the host and the last four characters."""
    if not value:
        return ""
    host = urlsplit(value).hostname or ""
    return f"{host}/…{value[-4:]}"
