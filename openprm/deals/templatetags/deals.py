"""The "Shared deal" card that crm's customer and contact pages include (C1).

crm's templates load this library; crm's Python code never imports the deals app.
"""

from typing import Any

from django import template
from django.utils.formats import number_format

from openprm.core.money import exponent, from_minor
from openprm.deals import selectors

register = template.Library()


@register.inclusion_tag("deals/_shared_deal_card.html", takes_context=True)
def shared_deal_card(context: dict[str, Any], customer: Any = None, contact: Any = None) -> dict:
    user = context["request"].user
    deals = selectors.deals_for_record(user=user, customer=customer, contact=contact)
    return {
        "deals": deals,
        "customer": customer,
        "contact": contact,
        "active_registrations": selectors.active_registrations_count(
            user=user, customer=customer, contact=contact
        ),
        "can_add": bool(user.is_partner and (customer is not None or contact.customer_id)),
    }


@register.simple_tag
def money(minor: int | None, currency: str) -> str:
    if minor is None:
        return "—"
    amount = number_format(from_minor(minor, currency), exponent(currency), force_grouping=True)
    return f"{amount} {currency}"
