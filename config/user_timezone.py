"""Pages show times in the signed-in person's own time zone (their directory entry's)."""

import zoneinfo
from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class UserTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone_name = ""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                zone_name = user.person.timezone
            except ObjectDoesNotExist:
                zone_name = ""
        if zone_name:
            timezone.activate(zoneinfo.ZoneInfo(zone_name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
