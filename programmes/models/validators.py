"""Checks of values the models store: time zones, webhook URLs; and how a secret is shown."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from ..times import timezone_refusal


def validate_timezone(value: str) -> None:
    refusal = timezone_refusal(value)
    if refusal:
        raise ValidationError(refusal)


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
