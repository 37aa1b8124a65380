"""The Readiness tab's small per-row forms: the one a refused post bound, for its own row, so
the row shows the values submitted and each error beside its field."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def posted_row(context: dict[str, Any], kind: str, row_id: int) -> Any:
    """The bound form of the ``kind`` form of row ``row_id`` when this request refused it, else
    None (the row shows what is stored)."""
    if context.get("row_kind") == kind and context.get("row_id") == row_id:
        return context.get("row_form")
    return None
