"""Programme pages: ``{% programme_tabs programme %}`` draws the tabs the apps registered
(``programmes.registry.tabs``), marking the one the current page belongs to;
``{% programme_header_panels programme %}`` draws the panels of the ``programme-header`` slot."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from programmes.models import Programme
from programmes.pages import render_panels
from programmes.registry.tabs import programme_tabs as registered_tabs

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_tabs(context: dict[str, Any], programme: Programme) -> SafeString:
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.url_name if match else ""
    links = format_html_join(
        "\n  ",
        '<a href="{}"{}>{}</a>',
        (
            (
                reverse(tab.url_name, kwargs={"slug": programme.slug}),
                mark_safe(' aria-current="page"') if current in tab.active_for else "",
                tab.label,
            )
            for tab in registered_tabs()
        ),
    )
    return format_html('<nav class="tabs" aria-label="Programme">\n  {}\n</nav>', links)


@register.simple_tag(takes_context=True)
def programme_header_panels(context: dict[str, Any], programme: Programme) -> SafeString:
    request = context.get("request")
    if request is None:
        return SafeString("")
    return SafeString("".join(render_panels(request, "programme-header", programme=programme)))
