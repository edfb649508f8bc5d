"""Figures on ARRS pages, formatted as `floatformat:"2g"` and `floatformat:4` format them
(half up, grouped thousands for pounds) without Django's locale lookups on every cell: a
month's claim shows five sums on each of its hundred lines."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

PENNY = Decimal("0.01")
TEN_THOUSANDTH = Decimal("0.0001")


def _rounded(value, places):
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        rounded = number.quantize(places, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return rounded if rounded else abs(rounded)  # no "-0.00"


@register.filter
def pence(value):
    """Pounds to the penny with thousands grouped: 12345.6 → "12,345.60"."""
    rounded = _rounded(value, PENNY)
    return "" if rounded is None else f"{rounded:,.2f}"


@register.filter
def signed_pounds(value):
    """Pounds to the penny with a sign before the pound sign for less than nothing (an
    adjustment paying back): -120.5 → "−£120.50", 120.5 → "£120.50"."""
    rounded = _rounded(value, PENNY)
    if rounded is None:
        return ""
    return f"−£{-rounded:,.2f}" if rounded < 0 else f"£{rounded:,.2f}"


@register.filter
def wte4(value):
    """A WTE to four places: 2/3 → "0.6667"."""
    rounded = _rounded(value, TEN_THOUSANDTH)
    return "" if rounded is None else f"{rounded:.4f}"
