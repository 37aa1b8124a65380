"""Template context every page needs."""

from django.http import HttpRequest

from .selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    """The unread in-app notification count shown in the header."""
    return {"unread_notifications": unread_count(request.user)}
