"""Signing in with a username and password: Django's ``ModelBackend``, whose user for each
request of a session is read with what every request asks of it next."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .selectors import signed_in_users
from .signed_in_user import signed_in_user


class PersonModelBackend(ModelBackend):
    """Django's ``ModelBackend``; the user of a session comes with their directory entry and
    their leadership membership, one query where there were three on every request (the user,
    their time zone, their group): ``signed_in_user`` (its statement written once per process),
    or ``selectors.signed_in_users`` for an async request.

    Django's own ``ModelBackend`` stays listed after it only so that sessions signed in before it
    still resolve; a refused password stops here, so it is never checked twice.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            # Django then reports the failure (user_login_failed, which django-axes counts).
            raise PermissionDenied
        return user

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = await super().aauthenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            raise PermissionDenied
        return user

    def get_user(self, user_id: Any) -> Any:
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id: Any) -> Any:
        user = await signed_in_users().filter(pk=user_id).afirst()
        return user if user is not None and self.user_can_authenticate(user) else None
