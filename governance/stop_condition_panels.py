"""Stop conditions on other apps' pages (``programmes.registry.panels``)."""

from typing import Any

from django.http import HttpRequest

from programmes.models import Programme

from .selectors.stop_conditions import condition_standings


def overview_stop_conditions(
    *, request: HttpRequest, programme: Programme, **page: Any
) -> dict[str, Any]:
    """The programme's conditions, each with its state and distance to trip."""
    return {"standings": condition_standings([programme.pk])[programme.pk]}
