"""The calculator's estimate is what the ledger records for the same sale."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openprm.accounts.tests.factories import PartnerFactory
from openprm.crm.models import Source
from openprm.points import calculator
from openprm.points.ledger import selectors, services
from openprm.points.models import CauseKind
from openprm.points.rulesets.selectors import rules_in_force
from openprm.points.tests.factories import (
    CustomerFactory,
    SubscriptionFactory,
    WonOpportunityFactory,
    currency,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "code", "mrr_minor", "source", "others"),
    [
        ("US", "USD", 123_45, Source.SOURCED, 0),
        ("TH", "THB", 12_345_67, Source.ASSISTED, 2),
        ("DE", "EUR", 88_00, Source.SOURCED, 1),
        ("JP", "JPY", 29_000, Source.ASSISTED, 3),
    ],
)
def test_the_estimate_equals_what_the_ledger_records(
    country, code, mrr_minor, source, others, northwind
):
    today = timezone.localdate()
    customer = CustomerFactory.create(country=country, currency=currency(code))
    opportunity = WonOpportunityFactory.create(
        organization=northwind, customer=customer, source=source, mrr_minor=mrr_minor
    )
    # Northwind is created first, so it has the lowest id and the calculator's share is the
    # smallest one: give it the largest id by creating the other managers first.
    partners = [PartnerFactory.create() for _ in range(others)]
    subscription = SubscriptionFactory.create(
        customer=customer, mrr_minor=mrr_minor, managing_partners=[*partners, northwind]
    )
    services.sale_post(opportunity=opportunity)
    services.subscription_managed_sync(
        subscription=subscription, on=today, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    estimate = calculator.estimate(
        rules=rules_in_force().to_rules(),
        mrr=opportunity.mrr,
        source=source,
        country=country,
        currency=code,
        will_manage=True,
        other_managing_partners=others,
    )
    totals = selectors.points_totals(organization=northwind)
    assert (estimate.sold, estimate.managed, estimate.total) == (
        totals.sold, totals.managed, totals.total,
    )  # fmt: skip


def test_not_managing_adds_no_managed_points():
    estimate = calculator.estimate(
        rules=rules_in_force().to_rules(),
        mrr=Decimal(100),
        source=Source.SOURCED,
        country="us",
        currency="usd",
        will_manage=False,
        other_managing_partners=0,
    )
    assert (estimate.total, estimate.sold, estimate.managed) == (
        Decimal("5.00"), Decimal("5.00"), Decimal("0.00"),
    )  # fmt: skip


def test_unknown_country_and_currency_are_both_named():
    with pytest.raises(ValidationError) as error:
        calculator.estimate(
            rules=rules_in_force().to_rules(),
            mrr=Decimal(1),
            source=Source.SOURCED,
            country="ZZ",
            currency="XXX",
            will_manage=False,
            other_managing_partners=0,
        )
    assert set(error.value.message_dict) == {"country", "currency"}


def test_points_to_money_gives_the_mrr_that_earns_them():
    conversion = calculator.convert(
        rules=rules_in_force().to_rules(),
        direction=calculator.POINTS_TO_MONEY,
        country="DE",
        currency="EUR",
        sold=Decimal(5),
        managed=Decimal(1),
    )
    assert (conversion.sold_value, conversion.managed_value) == (Decimal("88.00"), Decimal("88.00"))


def test_money_to_points_uses_the_growth_multiplier():
    conversion = calculator.convert(
        rules=rules_in_force().to_rules(),
        direction=calculator.MONEY_TO_POINTS,
        country="TH",
        currency="THB",
        sold=Decimal(3400),
        managed=Decimal(3400),
    )
    assert (conversion.sold_points, conversion.managed_points) == (
        Decimal("10.00"),
        Decimal("2.00"),
    )
    assert conversion.total_points == Decimal("12.00")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mrr_minor=st.integers(min_value=0, max_value=10_000_000_00),
    source=st.sampled_from([Source.SOURCED, Source.ASSISTED]),
    market=st.sampled_from([("US", "USD"), ("TH", "THB"), ("GB", "GBP"), ("BR", "BRL")]),
)
def test_any_sales_estimate_equals_its_ledger_entry(mrr_minor, source, market, northwind):
    country, code = market
    customer = CustomerFactory.create(country=country, currency=currency(code))
    opportunity = WonOpportunityFactory.create(
        organization=northwind, customer=customer, source=source, mrr_minor=mrr_minor
    )
    entry = services.sale_post(opportunity=opportunity)
    estimate = calculator.estimate(
        rules=rules_in_force().to_rules(),
        mrr=opportunity.mrr,
        source=source,
        country=country,
        currency=code,
        will_manage=False,
        other_managing_partners=0,
    )
    assert estimate.sold == (entry.points if entry else Decimal("0.00"))
