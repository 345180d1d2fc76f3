"""Small factories for the crm records the points engine reads (crm keeps its own elsewhere)."""

import datetime

import factory
from django.utils import timezone

from openprm.accounts.tests.factories import PartnerFactory
from openprm.crm.models import (
    Certification,
    Currency,
    Customer,
    Opportunity,
    OpportunityKind,
    OpportunityState,
    Product,
    Source,
    Subscription,
)
from openprm.points.ledger import services
from openprm.points.models import CauseKind


def currency(code: str) -> Currency:
    """The currencies come from crm's data migration."""
    return Currency.objects.get(code=code)


class CustomerFactory(factory.django.DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    country = "US"
    currency = factory.LazyFunction(lambda: currency("USD"))


class ProductFactory(factory.django.DjangoModelFactory[Product]):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"product-{n}")
    name = factory.Sequence(lambda n: f"Product {n}")


class WonOpportunityFactory(factory.django.DjangoModelFactory[Opportunity]):
    class Meta:
        model = Opportunity

    organization = factory.SubFactory(PartnerFactory)
    customer = factory.SubFactory(CustomerFactory)
    kind = OpportunityKind.SHARED_DEAL
    source = Source.SOURCED
    name = factory.Sequence(lambda n: f"Deal {n}")
    mrr_minor = 100_00
    amount_minor = factory.LazyAttribute(lambda o: o.mrr_minor * 12)
    currency = factory.LazyAttribute(lambda o: o.customer.currency)
    state = OpportunityState.WON
    opened_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    closed_on = factory.LazyFunction(timezone.localdate)


class SubscriptionFactory(factory.django.DjangoModelFactory[Subscription]):
    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"sub-{n}")
    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    currency = factory.LazyAttribute(lambda o: o.customer.currency)
    mrr_minor = 300_00
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))

    @factory.post_generation
    def managing_partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.managing_partners.set(extracted)


class CertificationFactory(factory.django.DjangoModelFactory[Certification]):
    class Meta:
        model = Certification

    organization = factory.SubFactory(PartnerFactory)
    external_id = factory.Sequence(lambda n: f"cert-{n}")
    name = "Solutions Partner certification"
    certified_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=265))


def sell(
    partner, *, mrr_minor: int, closed_on: datetime.date, source: str = "sourced", **fields
) -> Opportunity:
    """A won sale with its sold points posted."""
    opportunity = WonOpportunityFactory.create(
        organization=partner, mrr_minor=mrr_minor, closed_on=closed_on, source=source, **fields
    )
    services.sale_post(opportunity=opportunity)
    return opportunity


def manage(partner, *, mrr_minor: int, since: datetime.date, **fields) -> Subscription:
    """A subscription the partner manages from `since`, with its managed points posted."""
    subscription = SubscriptionFactory.create(
        mrr_minor=mrr_minor, started_on=since, managing_partners=[partner], **fields
    )
    services.subscription_managed_sync(
        subscription=subscription, on=since, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    return subscription


def certify(partner, *, until: datetime.date, since: datetime.date | None = None) -> Certification:
    return CertificationFactory.create(
        organization=partner,
        certified_on=since or min(until, datetime.date(2024, 1, 1)),
        valid_until=until,
    )
