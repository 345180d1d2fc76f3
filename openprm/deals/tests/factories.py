"""Shared deals built through the service, as a partner would create them."""

import datetime
from typing import Any

from openprm.crm.models import Customer, Product
from openprm.crm.tests.factories import CustomerFactory, ProductFactory, currency
from openprm.deals import services
from openprm.deals.models import Deal


def create_deal(
    *,
    actor: Any,
    customer: Customer | None = None,
    products: list[Product] | None = None,
    name: str = "Sakura rollout",
    **overrides: Any,
) -> Deal:
    data: dict[str, Any] = {
        "name": name,
        "amount_minor": 1_200_000,
        "mrr_minor": 100_000,
        "currency": currency("USD"),
        "close_date": datetime.date.today() + datetime.timedelta(days=60),
        "introduction_note": "Met their CIO at the expo.",
        "pain": "Spreadsheets everywhere.",
        "next_steps": "Demo next week.",
    }
    data.update(overrides)
    products = products or [ProductFactory.create(code="crm-suite", name="CRM Suite")]
    return services.deal_create(
        actor=actor,
        customer=customer or CustomerFactory.create(),
        product_ids=[p.pk for p in products],
        **data,
    )
