"""The API's default permission: a signed-in person, or a programme token where a view allows it."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .models import ProgrammeToken


class IsPersonOrAllowedProgrammeToken(BasePermission):
    """People who are signed in may call any endpoint (each then checks their access).

    A programme token may call only the actions a view lists in ``programme_token_actions``
    (view actions such as ``"list"``, or HTTP methods in lower case for plain views).
    """

    message = "A programme token can only read its programme's metrics and post measurements."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not isinstance(request.auth, ProgrammeToken):
            return True
        allowed: frozenset[str] = getattr(view, "programme_token_actions", frozenset())
        action = getattr(view, "action", None) or (request.method or "").lower()
        return action in allowed
