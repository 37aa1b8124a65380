"""Domain errors: raised by services with a message fit for a user, translated once at the edge."""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A request the domain refuses. ``field`` names the input it is about, when there is one;
    ``errors`` holds every refusal by field (None for the request as a whole)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors: dict[str | None, list[str]] = {field: [message]}


class FieldErrors(DomainError):
    """Several inputs refused at once, so a form or a client hears of all of them together."""

    def __init__(self, errors: dict[str | None, list[str]]) -> None:
        field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field=field)
        self.errors = errors


class NotAllowed(DomainError, PermissionDenied):
    """The user may see the object but not do this to it: a 403, on a page as in the API."""
