from decimal import Decimal

from django import template

from scorecards.rules import plain_number

register = template.Library()


@register.filter
def plain(value: Decimal | None) -> str:
    """A measured value as people write it: 0.8, 60000, not 0.800000 or 6E+4."""
    if value is None:
        return ""
    return plain_number(Decimal(value))
