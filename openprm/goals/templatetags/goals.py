"""Showing plan numbers: counts as they are, money from minor units in the user's locale."""

from django import template
from django.utils.dates import MONTHS_3

from openprm.core.formatting import format_minor, format_number
from openprm.core.money import exponent, from_minor

register = template.Library()


@register.simple_tag
def amount(value: int | None, is_money: bool, currency: str) -> str:
    """Tables name the currency once, in their caption, so cells carry only the number."""
    if value is None:
        return "—"
    if not is_money:
        return format_number(value, decimals=0)
    return format_number(from_minor(value, currency), decimals=exponent(currency))


@register.simple_tag
def period_label(period: int, kind: str = "month") -> str:
    """Jan..Dec in the user's language, or Q1..Q4."""
    if kind == "quarter":
        return f"Q{period}"
    return str(MONTHS_3[period]).title()


@register.simple_tag
def figure(value: int | None, is_money: bool, currency: str) -> str:
    """A value standing alone: money with its currency, a count as a number."""
    return format_minor(value, currency) if is_money else amount(value, False, currency)
