"""Translates errors into API responses, once, for every API view; and answers in JSON for the
API the errors Django raises before any view runs (no URL matched, a request it refuses)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError, NotAllowed

API_PREFIX = "/api/"


def too_large_detail() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return f"The body is larger than {limit:,} bytes, the most Keel reads; send less at a time."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: ``NotAllowed`` → 403, ``DomainError`` → 400 with every field's
    errors, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` → 413, any other request Django calls
    suspicious (too many fields, a broken multipart body) → 400."""
    if isinstance(exc, NotAllowed):
        return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        errors = {field or "non_field_errors": messages for field, messages in exc.errors.items()}
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": too_large_detail()}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    if isinstance(exc, SuspiciousOperation):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 page; for the API, `{"detail": "Not found."}`."""
    if is_api_request(request):
        return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 page; for the API, JSON (413 for a body that is too large)."""
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse(
            {"detail": too_large_detail()}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    return JsonResponse({"detail": "Bad request."}, status=status.HTTP_400_BAD_REQUEST)


def api_server_error() -> HttpResponse:
    """The API's 500: `{"detail": "Server error."}` (pages get config.errors.server_error)."""
    return JsonResponse({"detail": "Server error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
