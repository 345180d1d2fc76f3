"""Showing plan numbers: counts as they are, money from minor units in the user's locale."""

from django import template
from django.utils.dates import MONTHS_3
from django.utils.formats import number_format

from openprm.core.money import exponent, from_minor

register = template.Library()


@register.simple_tag
def amount(value: int | None, is_money: bool, currency: str) -> str:
    """Tables name the currency once, in their caption, so cells carry only the number."""
    if value is None:
        return "—"
    if not is_money:
        return number_format(value, force_grouping=True)
    return number_format(from_minor(value, currency), exponent(currency), force_grouping=True)


@register.filter
def percent(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


@register.simple_tag
def period_label(period: int, kind: str = "month") -> str:
    """Jan..Dec in the user's language, or Q1..Q4."""
    if kind == "quarter":
        return f"Q{period}"
    return str(MONTHS_3[period]).title()
