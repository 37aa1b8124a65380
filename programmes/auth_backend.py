"""Signing in with a username and password: Django's ``ModelBackend``, whose user for each
request of a session is read with what every request asks of it next."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .selectors import signed_in_users


class PersonModelBackend(ModelBackend):
    """Django's ``ModelBackend``; the user of a session comes with their directory entry and
    their leadership membership (``selectors.signed_in_users``), one query where there were three
    on every request (the user, their time zone, their group)."""

    def get_user(self, user_id: Any) -> Any:
        user = signed_in_users().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id: Any) -> Any:
        user = await signed_in_users().filter(pk=user_id).afirst()
        return user if user is not None and self.user_can_authenticate(user) else None
