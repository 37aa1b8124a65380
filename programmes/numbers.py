"""Numbers as people write them, for every page, email and digest: 35 and 0.12, not 35.000000.
The API keeps its exact decimal strings."""

from decimal import Decimal
from typing import Any

from django import forms


def plain_number(value: Decimal) -> str:
    """``value`` without trailing zeros or an exponent: 0.8 rather than 0.800000, 60000 rather
    than 6E+4."""
    text = f"{value.normalize():f}"
    return text if text != "-0" else "0"


class PlainNumberInput(forms.NumberInput):
    """A number field that shows a stored decimal the way it was typed."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal) and value.is_finite():
            return plain_number(value)
        return super().format_value(value)
