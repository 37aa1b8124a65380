"""API authentication by personal token: ``Authorization: Token <token>``."""

from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from .models import ApiToken

# Writing last-used on every request would turn each read into a write; once a minute is enough.
_LAST_USED_RESOLUTION_SECONDS = 60


class ApiTokenAuthentication(TokenAuthentication):
    """Looks a token up by its hash, so a leaked database does not leak working tokens."""

    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        now = timezone.now()
        last_used = token.last_used_at
        if last_used is None or (now - last_used).total_seconds() > _LAST_USED_RESOLUTION_SECONDS:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"
