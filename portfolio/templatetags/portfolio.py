"""The dashboard's template helpers: links that change one parameter of the view and keep the
rest, and lookups of a row's precomputed values."""

from typing import Any

from django import template
from django.http import QueryDict

from ..sparkline import Sparkline

register = template.Library()


@register.simple_tag
def with_query(query: QueryDict, **changes: Any) -> str:
    """``query`` urlencoded with ``changes`` set (an empty value removes the key) and any page
    dropped, since a new filter or sort starts at its first page."""
    updated = query.copy()
    updated.pop("page", None)
    for key, value in changes.items():
        if value in ("", None):
            updated.pop(key, None)
        else:
            updated[key] = str(value)
    return updated.urlencode()


@register.simple_tag
def sort_query(query: QueryDict, key: str) -> str:
    """The query sorting by ``key``; by the same key again, the other way round."""
    desc = "" if query.get("sort", "risk") == key and query.get("desc") else "1"
    if query.get("sort", "risk") != key:
        desc = ""
    return with_query(query, sort=key, desc=desc)


@register.filter
def get_chart(charts: dict[int, Sparkline], programme_id: int) -> Sparkline | None:
    return charts.get(programme_id)


@register.filter
def get_changes(changes: dict[int, list[Any]], programme_id: int) -> list[Any]:
    return changes.get(programme_id, [])


@register.filter
def get_count(counts: dict[str, int], key: str) -> int:
    return counts.get(key, 0)
