"""On-call's panels on other apps' pages (``programmes.registry.panels``)."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from programmes.models import Programme

from . import selectors


def overview_on_call(*, request: HttpRequest, programme: Programme, **page: Any) -> dict[str, Any]:
    """Who is on call now for each of the programme's rotations."""
    rotations = list(selectors.programme_rotations(programme))
    return {"on_call": selectors.on_call_now(rotations, timezone.now())}
