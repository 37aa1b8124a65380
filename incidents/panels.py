"""Incidents' panels on other apps' pages (``programmes.registry.panels``)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest

from programmes.models import Programme

from . import selectors


def shift_incidents_panel(
    *,
    request: HttpRequest,
    programme: Programme,
    since: dt.datetime,
    until: dt.datetime,
    **page: Any,
) -> dict[str, Any]:
    """The outgoing shift's incidents, for the handoff page, and the programme's runbooks."""
    return {
        "shift_incidents": selectors.shift_incidents(programme, since, until),
        "runbooks": programme.runbooks.all(),
    }
