"""Builders for the crm records commissions and the dashboard read: subscriptions with an MRR
history, won sales, and the sales the vendor marked eligible for compensation; and the
commission book the statement tests are computed against by hand."""

import datetime
from collections.abc import Sequence

from django.utils import timezone

from openprm.accounts.models import Organization
from openprm.crm.models import (
    Customer,
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
from openprm.points.models import CommissionProgram

D = datetime.date


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


def commission_book(partner: Organization) -> Organization:
    """An eligible sale of product P to Acme on 10 February 2026; Acme's P subscription runs at
    1,000.00 from 1 February and 1,500.00 from 15 May. Payments 90 days after the quarter.
    - Q1: Feb and Mar (January ends before the sale): 2,000.00 -> 400.00, paid 29 June;
    - Q2: 1,000 + 1,500 + 1,500 = 4,000.00 -> 800.00, paid 28 September;
    - Q3: 3 x 1,500 = 4,500.00 -> 900.00, payable 29 December (upcoming on 1 December 2026);
    - Q4 so far (October and November): 3,000.00 -> 600.00.
    Left out: Acme's subscription of another product, and a sale the vendor did not mark
    eligible (Globex)."""
    program = CommissionProgram.current()
    program.payment_delay_days = 90
    program.save()
    acme, globex = CustomerFactory.create(name="Acme"), CustomerFactory.create(name="Globex")
    product = ProductFactory.create(name="P")
    sale = won(partner, D(2026, 2, 10), mrr_minor=1_000_00, customer=acme, products=[product])
    eligible_sale(sale)
    eligible_sale(won(partner, D(2026, 3, 1), customer=globex), eligible=False)
    subscription(acme, [(D(2026, 2, 1), 1_000_00), (D(2026, 5, 15), 1_500_00)], product=product)
    subscription(acme, [(D(2026, 2, 1), 9_000_00)])
    subscription(globex, [(D(2026, 3, 1), 7_000_00)])
    return partner
