"""Template context every page needs."""

from django.http import HttpRequest

from .selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    """The unread in-app notification count shown in the header. A request refused before the
    authentication middleware ran (a bad Host header) has no user, and no count."""
    user = getattr(request, "user", None)
    return {"unread_notifications": unread_count(user) if user is not None else 0}
