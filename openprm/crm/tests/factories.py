"""Factories for the directory, partner records and commercial records; other apps reuse them.

Currencies and growth markets come from migration 0002, so factories look them up rather than
create them: `currency_id="EUR"` works out of the box.
"""

import datetime

import factory
from django.utils import timezone

from openprm.accounts.tests.factories import PartnerFactory
from openprm.crm.models import (
    Certification,
    Contact,
    Currency,
    Customer,
    CustomerNote,
    Market,
    Opportunity,
    OpportunityKind,
    OpportunityState,
    Product,
    Source,
    Subscription,
    SubscriptionMrrChange,
    UsageSnapshot,
)
from openprm.crm.services import market_type_for


def currency(code: str = "USD") -> Currency:
    return Currency.objects.get(code=code)


class ProductFactory(factory.django.DjangoModelFactory[Product]):
    class Meta:
        model = Product
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"product-{n}")
    name = factory.Sequence(lambda n: f"Product {n}")


class MarketFactory(factory.django.DjangoModelFactory[Market]):
    class Meta:
        model = Market
        django_get_or_create = ("country",)

    country = "FR"
    is_growth = False


class CustomerFactory(factory.django.DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n} Ltd")
    country = "US"
    duns = factory.Sequence(lambda n: f"{100000000 + n:09d}")
    domain = factory.LazyAttribute(lambda o: f"{o.duns}.example")
    market_type = factory.LazyAttribute(lambda o: market_type_for(o.country))
    currency = factory.LazyFunction(currency)


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    organization = factory.SubFactory(PartnerFactory)
    customer = factory.SubFactory(CustomerFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@customer.example")


class CustomerNoteFactory(factory.django.DjangoModelFactory[CustomerNote]):
    class Meta:
        model = CustomerNote

    organization = factory.SubFactory(PartnerFactory)
    customer = factory.SubFactory(CustomerFactory)
    body = factory.Faker("sentence")


class OpportunityFactory(factory.django.DjangoModelFactory[Opportunity]):
    """A row of the opportunities table; use `crm.services.opportunity_create` to test rules."""

    class Meta:
        model = Opportunity

    organization = factory.SubFactory(PartnerFactory)
    customer = factory.SubFactory(CustomerFactory)
    kind = OpportunityKind.SHARED_DEAL
    source = Source.SOURCED
    brought_by = factory.LazyAttribute(
        lambda o: o.organization if o.source == Source.SOURCED else None
    )
    name = factory.Sequence(lambda n: f"Opportunity {n}")
    amount_minor = 120_000
    mrr_minor = 10_000
    currency = factory.LazyFunction(currency)
    state = OpportunityState.OPEN
    opened_at = factory.LazyFunction(timezone.now)
    closed_on = factory.LazyAttribute(
        lambda o: None if o.state == OpportunityState.OPEN else datetime.date.today()
    )


class SubscriptionFactory(factory.django.DjangoModelFactory[Subscription]):
    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"sub-{n}")
    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    currency = factory.LazyFunction(currency)
    mrr_minor = 10_000
    started_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=90))
    renewal_on = factory.LazyAttribute(lambda o: o.started_on + datetime.timedelta(days=365))

    managing_partners = factory.PostGeneration(
        lambda obj, create, extracted, **kwargs: set_managing_partners(obj, create, extracted)
    )
    history = factory.PostGeneration(
        lambda obj, create, extracted, **kwargs: start_mrr_history(obj, create)
    )


def set_managing_partners(subscription: Subscription, create: bool, partners) -> None:
    if create and partners:
        subscription.managing_partners.set(partners)


def start_mrr_history(subscription: Subscription, create: bool) -> None:
    """Every subscription's MRR history starts at its start date, as an import would."""
    if create:
        SubscriptionMrrChange.objects.create(
            subscription=subscription,
            effective_on=subscription.started_on,
            mrr_minor=subscription.mrr_minor,
        )


class UsageSnapshotFactory(factory.django.DjangoModelFactory[UsageSnapshot]):
    class Meta:
        model = UsageSnapshot

    customer = factory.SubFactory(CustomerFactory)
    taken_on = factory.LazyFunction(datetime.date.today)
    active_users = 12
    last_active_user = factory.Faker("name")


class CertificationFactory(factory.django.DjangoModelFactory[Certification]):
    class Meta:
        model = Certification

    organization = factory.SubFactory(PartnerFactory)
    external_id = factory.Sequence(lambda n: f"cert-{n}")
    name = "Solution Partner Certification"
    holder = factory.Faker("name")
    certified_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    valid_until = factory.LazyAttribute(lambda o: o.certified_on + datetime.timedelta(days=365))
