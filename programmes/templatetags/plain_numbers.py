from decimal import Decimal

from django import template

from programmes.numbers import plain_number

register = template.Library()


@register.filter
def plain(value: Decimal | None) -> str:
    """A number as people write it: 0.8, 60000, not 0.800000 or 6E+4; nothing for None."""
    if value is None:
        return ""
    return plain_number(Decimal(value))
