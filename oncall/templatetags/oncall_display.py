from django import template
from django.utils.safestring import SafeString

from programmes.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Sanitised HTML for Markdown text."""
    return render_markdown(text)


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
