"""A trip's facts keep their times as ISO text; ``{{ text|moment }}`` makes them moments again,
for ``{% when %}`` to show in the viewer's zone."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def moment(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
