"""Sums of money agree to the cent on SQLite and PostgreSQL (this suite runs on both)."""

import random
from decimal import Decimal

import pytest
from django.utils import timezone

from openprm.crm import selectors
from openprm.crm.models import Opportunity, OpportunityState
from openprm.crm.tests.factories import CustomerFactory, currency

pytestmark = pytest.mark.django_db


def test_opportunity_totals_are_exact_decimals_for_many_odd_cent_amounts(victor, northwind):
    customer = CustomerFactory.create()
    usd = currency("USD")
    generator = random.Random(20261125)
    amounts = [generator.randrange(1, 10_000_000) * 100 + generator.choice([1, 3, 7, 33, 99])
               for _ in range(2_000)]  # fmt: skip
    Opportunity.objects.bulk_create(
        Opportunity(
            organization=northwind,
            customer=customer,
            kind="shared_deal",
            source="sourced",
            name=f"Deal {index}",
            amount_minor=amount,
            currency=usd,
            state=OpportunityState.OPEN,
            opened_at=timezone.now(),
        )
        for index, amount in enumerate(amounts)
    )
    expected = sum((Decimal(amount) / 100 for amount in amounts), Decimal(0))

    totals = selectors.opportunity_amount_totals(user=victor)

    assert totals == {"USD": expected}
    assert isinstance(totals["USD"], Decimal)


def test_totals_in_currencies_without_cents_stay_whole(alice, northwind):
    customer = CustomerFactory.create()
    for amount in (1_999, 2_001, 15):
        Opportunity.objects.create(
            organization=northwind,
            customer=customer,
            kind="shared_deal",
            source="sourced",
            name="JPY deal",
            amount_minor=amount,
            currency=currency("JPY"),
            opened_at=timezone.now(),
        )
    assert selectors.opportunity_amount_totals(user=alice) == {"JPY": Decimal(4_015)}


def test_totals_count_only_the_requesters_opportunities(charlie, northwind):
    customer = CustomerFactory.create()
    Opportunity.objects.create(
        organization=northwind,
        customer=customer,
        kind="shared_deal",
        source="sourced",
        name="Northwind's",
        amount_minor=100,
        currency=currency("USD"),
        opened_at=timezone.now(),
    )
    assert selectors.opportunity_amount_totals(user=charlie) == {}
