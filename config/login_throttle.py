"""How django-axes sees a client and what it answers once a username or an address is locked out
(after too many wrong passwords on /login/, /admin/login/ or the API token endpoint)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    """The address failures are counted under: the one the API throttle also uses (behind one
    proxy the last ``X-Forwarded-For`` entry, which the proxy wrote), so a client cannot pick it."""
    if settings.KEEL_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """429 with a message fit for the person (a page) or the machine (JSON) that was refused."""
    minutes = settings.KEEL_LOGIN_LOCKOUT_MINUTES
    message = (
        f"Too many failed logins: this account or address is locked for up to {minutes} minutes. "
        "Try again later, or ask an administrator to unlock it."
    )
    headers = {"Retry-After": str(minutes * 60)}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429, headers=headers)
    response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = headers["Retry-After"]
    return response
