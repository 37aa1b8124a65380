import datetime as dt
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString

from programmes.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Sanitised HTML for Markdown text."""
    return render_markdown(text)


@register.filter
def in_zone(moment: dt.datetime | None, zone: str) -> dt.datetime | None:
    """``moment`` in the time zone named ``zone`` (a rotation's), for showing beside the
    viewer's own time."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone))


@register.filter(expects_localtime=False)
def when(moment: dt.datetime, format_string: str) -> str:
    """``moment`` formatted in the viewer's time zone, like ``date``; in UTC when that zone
    cannot show it (a period stored as ending 9999-12-31 23:59 UTC is already year 10000 in
    Tokyo)."""
    try:
        moment = timezone.localtime(moment)
    except OverflowError:
        moment = moment.astimezone(dt.UTC)
    return dateformat.format(moment, format_string)


@register.filter
def hours_until(moment: dt.datetime | None) -> str:
    """“in 3 h 20 min” / “2 h 5 min ago”, from now."""
    if moment is None:
        return ""
    seconds = int((moment - timezone.now()).total_seconds())
    minutes = abs(seconds) // 60
    text = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
    return f"in {text}" if seconds >= 0 else f"{text} ago"


@register.filter
def get_person(people: dict[int, object], person_id: int | None) -> object | None:
    """``people[person_id]``, or None."""
    if person_id is None:
        return None
    return people.get(person_id)


@register.filter
def get_label(labels: dict[str, str], value: str) -> str:
    """The human label for a choice ``value`` (the value itself when there is none)."""
    return labels.get(value, value)
