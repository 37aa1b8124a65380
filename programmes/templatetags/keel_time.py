"""Times on pages, through ``programmes.times``: ``{% when moment %}`` shows a moment in the
viewer's zone, ``{% when moment zone %}`` in the zone a label names (a rotation's), both with the
zone's abbreviation; ``{{ moment|from_now }}`` says how long until or since."""

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from programmes import times

register = template.Library()


@register.simple_tag
def when(
    moment: dt.datetime | None, zone: str = "", format: str = times.SHORT, empty: str = ""
) -> SafeString | str:
    """A ``<time>`` element: the machine-readable instant, and the moment as read in ``zone``
    (the viewer's when none is given), whose full name is the element's title. ``format`` is one
    of ``times.STYLES``; ``empty`` stands in for no moment."""
    if moment is None:
        return empty
    zone = times.shown_zone(moment, zone or times.current_zone())
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        zone,
        times.format_moment(moment, zone, style=format),
    )


@register.filter
def from_now(moment: dt.datetime | None) -> str:
    """``in 3 h 20 min``, ``in 14 days``, ``5 min ago``."""
    return "" if moment is None else times.from_now(moment)


@register.simple_tag
def zone_abbreviation(moment: dt.datetime, zone: str = "") -> str:
    """The abbreviation of ``zone`` (the viewer's when none is given) at ``moment``."""
    return times.abbreviation(moment, zone or times.current_zone())
