"""Domain errors: raised by services with a message fit for a user, translated once at the edge."""


class DomainError(Exception):
    """A request the domain refuses. ``field`` names the input it is about, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The user may see the object but not do this to it (HTTP 403)."""
