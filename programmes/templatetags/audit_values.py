"""Shows audit snapshot values the way a reader expects them."""

import datetime as dt
import re
from typing import Any

from django import template

from programmes import times

register = template.Library()

# Snapshots hold instants as ISO 8601 text with their offset (``audit._json_value``).
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)$")


@register.filter
def audit_value(value: Any) -> str:
    """A link shows as its name, nothing as a dash, an instant in the viewer's zone (with its
    abbreviation), anything else as text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if isinstance(value, str) and _INSTANT.match(value):
        moment = dt.datetime.fromisoformat(value)
        return times.format_moment(moment, times.current_zone(), style=times.SECONDS)
    return str(value)
