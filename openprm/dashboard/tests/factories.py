"""Builders for the records the dashboard reads: subscriptions with an MRR history, sales the
vendor marked eligible for compensation, and the exchange rate the fixtures convert with."""

import datetime
from collections.abc import Sequence

from django.utils import timezone

from openprm.accounts.models import Organization
from openprm.crm.models import (
    Customer,
    ExchangeRate,
    Opportunity,
    OpportunityState,
    Product,
    Source,
    Subscription,
    SubscriptionMrrChange,
)
from openprm.crm.tests.factories import (
    CustomerFactory,
    OpportunityFactory,
    ProductFactory,
    SubscriptionFactory,
    currency,
)
from openprm.deals.models import Deal


def subscription(
    customer: Customer,
    changes: Sequence[tuple[datetime.date, int]],
    *,
    partners: Sequence[Organization] = (),
    product: Product | None = None,
    ended_on: datetime.date | None = None,
    renewal_on: datetime.date | None = None,
    renewal_manager: str = "",
) -> Subscription:
    """A subscription whose MRR history is `changes` (date, minor units), oldest first."""
    first_on, first_mrr = changes[0]
    created = SubscriptionFactory.create(
        customer=customer,
        product=product or ProductFactory.create(),
        currency=customer.currency,
        mrr_minor=first_mrr,
        started_on=first_on,
        renewal_on=renewal_on,
        ended_on=ended_on,
        renewal_manager=renewal_manager,
        managing_partners=list(partners),
    )
    for on, mrr in changes[1:]:
        SubscriptionMrrChange.objects.create(subscription=created, effective_on=on, mrr_minor=mrr)
    Subscription.objects.filter(pk=created.pk).update(mrr_minor=0 if ended_on else changes[-1][1])
    created.refresh_from_db()
    return created


def won(
    partner: Organization,
    closed_on: datetime.date,
    *,
    amount_minor: int = 0,
    mrr_minor: int = 0,
    customer: Customer | None = None,
    source: str = Source.SOURCED,
    code: str = "USD",
    products: Sequence[Product] = (),
) -> Opportunity:
    customer = customer or CustomerFactory.create(currency=currency(code))
    opened = timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(9)))
    opportunity = OpportunityFactory.create(
        organization=partner,
        customer=customer,
        source=source,
        amount_minor=amount_minor,
        mrr_minor=mrr_minor,
        currency=currency(code),
        state=OpportunityState.WON,
        opened_at=opened - datetime.timedelta(days=30),
        closed_on=closed_on,
    )
    opportunity.products.set(products)
    return opportunity


def eligible_sale(opportunity: Opportunity, eligible: bool = True) -> Deal:
    """The shared deal beside the opportunity, with the vendor's compensation decision."""
    return Deal.objects.create(
        opportunity=opportunity,
        organization=opportunity.organization,
        close_date=opportunity.closed_on or timezone.localdate(),
        compensation_eligible=eligible,
    )


def usd_rate(code: str, usd_per_unit: str, valid_from: datetime.date) -> None:
    ExchangeRate.objects.create(currency=currency(code), valid_from=valid_from,
                                usd_per_unit=usd_per_unit)  # fmt: skip
