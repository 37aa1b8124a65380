"""Shows audit snapshot values the way a reader expects them."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def audit_value(value: Any) -> str:
    """A link shows as its name, nothing as a dash, anything else as text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    return str(value)
