"""Shows audit snapshot values the way a reader expects them."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django import template
from django.apps import apps
from django.db import models

from programmes import times
from programmes.models import AuditEvent
from programmes.numbers import plain_number

register = template.Library()

# Snapshots hold instants as ISO 8601 text with their offset (``audit._json_value``).
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)$")


@cache
def _decimal_fields(object_type: str) -> frozenset[str]:
    """The decimal fields of the model an audit event's ``object_type`` names."""
    for model in apps.get_models():
        if model._meta.model_name == object_type:
            return frozenset(
                field.name
                for field in model._meta.concrete_fields
                if isinstance(field, models.DecimalField)
            )
    return frozenset()


@register.simple_tag
def audit_value(event: AuditEvent, name: str, value: Any) -> str:
    """A link shows as its name, nothing as a dash, a number as it was typed (a snapshot keeps
    a decimal's stored form, 35.000000), an instant in the viewer's zone (with its
    abbreviation), anything else as text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if isinstance(value, str) and name in _decimal_fields(event.object_type):
        try:
            return plain_number(Decimal(value))
        except InvalidOperation:
            return value
    if isinstance(value, str) and _INSTANT.match(value):
        moment = dt.datetime.fromisoformat(value)
        return times.format_moment(moment, times.current_zone(), style=times.SECONDS)
    return str(value)
