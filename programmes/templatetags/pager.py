"""``{% page_link number keep_query %}``: the link of one page of a list, for the shared pager
(``components.html#pager``). The page's own parameters (its filters) stay when asked, and the
``page`` parameter is replaced, never repeated, nor left behind an empty ``&``."""

from typing import Any

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def page_link(context: dict[str, Any], number: int, keep_query: bool = False) -> str:
    request = context.get("request")
    query = request.GET.copy() if keep_query and request is not None else QueryDict(mutable=True)
    query["page"] = str(number)
    return f"?{query.urlencode()}"
