"""The formatting filters every template has (a builtin library, settings.TEMPLATES): values in
the reader's language and timezone through openprm.core.formatting, so a figure looks the same
on every page.

    {% money deal.amount_minor currency %}   {{ amount|in_currency:currency }}
    {{ points|number:2 }}   {{ change|signed }}   {{ share|percent }}   {{ rate|ratio }}
    {{ deal.close_date|day }}     {{ note.created_at|moment }}   {{ month|month }}
    {{ customer.country|country }}   {{ plan.currency_id|currency_name }}

Money, numbers and percentages show a dash when there is no value; days and moments show
nothing, so `|default:"—"` still applies.
"""

import datetime
from decimal import Decimal
from typing import Any

from django import template

from openprm.core import formatting

register = template.Library()

NONE = "—"


@register.simple_tag
def money(minor: int | None, currency: str) -> str:
    """Money as it is stored, in minor units."""
    return formatting.format_minor(minor, currency)


@register.filter
def in_currency(amount: Decimal | int | None, currency: Any) -> str:
    """A computed amount (a sum, a conversion) in its currency, a code or a Currency."""
    if amount is None or amount == "":
        return NONE
    return formatting.format_money(amount, str(getattr(currency, "code", currency)))


@register.filter
def number(value: Decimal | int | None, decimals: int | None = None) -> str:
    if value is None or value == "":
        return NONE
    return formatting.format_number(value, decimals=decimals)


@register.filter
def signed(value: Decimal | int | None, decimals: int = 2) -> str:
    return (
        NONE if value is None or value == "" else formatting.format_signed(value, decimals=decimals)
    )


@register.filter
def percent(value: Decimal | int | None) -> str:
    """A percentage out of 100: 50 -> 50% (th, en), 50% (ja)."""
    return NONE if value is None or value == "" else formatting.format_percent(value)


@register.filter
def ratio(value: Decimal | None) -> str:
    """A share out of 1 as a percentage: 0.5 -> 50%."""
    if value is None or value == "":
        return NONE
    return formatting.format_percent(value, of_hundred=False)


@register.filter
def day(value: datetime.date | None) -> str:
    return "" if not value else formatting.format_date(value)


@register.filter
def moment(value: datetime.datetime | None) -> str:
    return "" if not value else formatting.format_datetime(value)


@register.filter
def month(value: datetime.date | None) -> str:
    return "" if not value else formatting.format_month(value)


@register.filter
def country(value: Any) -> str:
    """A country field's value (django-countries' Country) or a bare code."""
    return formatting.country_name(getattr(value, "code", value) or "")


@register.filter
def currency_name(value: Any) -> str:
    return formatting.currency_name(getattr(value, "code", value) or "")
