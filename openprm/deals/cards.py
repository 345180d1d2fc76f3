"""The "Shared deal" card of C1 on crm's customer and contact pages (openprm.crm.cards)."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from openprm.crm.cards import record_card
from openprm.deals import selectors
from openprm.deals.registrations import selectors as registration_selectors


def shared_deal_card(request: HttpRequest, *, customer: Any = None, contact: Any = None) -> str:
    user: Any = request.user
    context = {
        "deals": selectors.deals_for_record(user=user, customer=customer, contact=contact),
        "customer": customer,
        "contact": contact,
        "active_registrations": registration_selectors.active_registrations_count(
            user=user, customer=customer, contact=contact
        ),
        "can_add": bool(user.is_partner and (customer is not None or contact.customer_id)),
    }
    return render_to_string("deals/_shared_deal_card.html", context, request=request)


@record_card("customer")
def customer_shared_deal_card(request: HttpRequest, customer: Any) -> str:
    return shared_deal_card(request, customer=customer)


@record_card("contact")
def contact_shared_deal_card(request: HttpRequest, contact: Any) -> str:
    """On a contact's page only the partner's own side sees the card."""
    if not getattr(request.user, "is_partner", False):
        return ""
    return shared_deal_card(request, contact=contact)
