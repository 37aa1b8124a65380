"""A request id for every request: taken from ``X-Request-ID`` or made up, logged and audited."""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

request_log = logging.getLogger("keel.request")
_request_id: ContextVar[str] = ContextVar("request_id", default="")
_ACCEPTED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


# Paths whose last part is a secret (a webhook's token): logged with the secret masked.
_SECRET_IN_PATH = re.compile(r"^(/api/v1/integrations/[^/]+/)[^/]+(/?)$")


def loggable_path(path: str) -> str:
    """``path`` as it may be written to a log: webhook tokens in it masked."""
    return _SECRET_IN_PATH.sub(r"\1…\2", path)


def current_request_id() -> str:
    """The id of the request being served, or "" outside a request."""
    return _request_id.get()


class RequestIdMiddleware:
    """Binds a request id for the request's lifetime, echoes it in the response and logs the
    request as one line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        # A caller's id is kept only when it is harmless to log; otherwise we make our own.
        request_id = offered if _ACCEPTED_REQUEST_ID.match(offered) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            request_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": loggable_path(request.path),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds the current request id to every log record, and masks secrets in request paths
    (Django's own "Not Found: <path>" lines included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            record.request = f"<{request.method} {loggable_path(request.path)}>"
        if isinstance(record.args, tuple):
            record.args = tuple(
                loggable_path(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True
