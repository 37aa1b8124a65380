"""API authentication: ``Authorization: Token <token>`` with a personal token, or with a
programme token that a machine (the evaluation harness) holds for one programme."""

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from .models import ApiToken, ProgrammeToken
from .selectors import LEADERSHIP_GROUP

# Writing last-used on every request would turn each read into a write; once a minute is enough.
_LAST_USED_RESOLUTION_SECONDS = 60


class ProgrammeTokenPrincipal:
    """Who a request with a programme token acts as: no person, one programme, no groups.

    ``visible_programmes`` narrows what it sees to ``programme_token.programme``.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, token: ProgrammeToken) -> None:
        self.programme_token = token

    def get_username(self) -> str:
        return f"token:{self.programme_token.name}"

    def __str__(self) -> str:
        return self.get_username()


def _touch(model: type[ApiToken] | type[ProgrammeToken], pk: int, last_used: Any) -> None:
    now = timezone.now()
    if last_used is None or (now - last_used).total_seconds() > _LAST_USED_RESOLUTION_SECONDS:
        model.objects.filter(pk=pk).update(last_used_at=now)


class ApiTokenAuthentication(TokenAuthentication):
    """Looks a token up by its hash, so a leaked database does not leak working tokens."""

    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if key.startswith(ProgrammeToken.PREFIX):
            programme_token = (
                ProgrammeToken.objects.select_related("programme")
                .filter(
                    key_hash=ApiToken.hash_key(key),
                    revoked_at__isnull=True,
                    scope=ProgrammeToken.Scope.MEASUREMENTS,
                )
                .first()
            )
            if programme_token is None:
                raise exceptions.AuthenticationFailed("Invalid or revoked token.")
            _touch(ProgrammeToken, programme_token.pk, programme_token.last_used_at)
            return ProgrammeTokenPrincipal(programme_token), programme_token
        token = (
            ApiToken.objects.select_related("user")
            .annotate(
                # What selectors.is_leadership asks next, read in the same query.
                user_is_leadership=Exists(
                    Group.objects.filter(user=OuterRef("user_id"), name=LEADERSHIP_GROUP)
                )
            )
            .filter(key_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        token.user._keel_is_leadership = token.user_is_leadership  # type: ignore[attr-defined]
        _touch(ApiToken, token.pk, token.last_used_at)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"
