"""Money is integer minor units: exact conversions and exact totals on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from hypothesis import given
from hypothesis import strategies as st

from openprm.accounts.tests.factories import PartnerFactory
from openprm.core.money import (
    exponent,
    from_minor,
    has_more_precision_than,
    rounded_minor,
    to_minor,
)
from openprm.crm.models import Customer, Opportunity, OpportunityKind, Source

CURRENCIES = st.sampled_from(["USD", "EUR", "THB", "TWD", "JPY", "KRW", "KWD", "BHD"])
MINOR_UNITS = st.integers(min_value=-(10**15), max_value=10**15)


@given(minor=MINOR_UNITS, currency=CURRENCIES)
def test_minor_units_survive_the_round_trip(minor, currency):
    assert to_minor(from_minor(minor, currency), currency, field="amount") == minor


@given(minor=MINOR_UNITS, currency=CURRENCIES)
def test_amounts_have_no_more_than_the_currencys_decimals(minor, currency):
    assert not has_more_precision_than(from_minor(minor, currency), currency)


@given(
    amount=st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False),
    currency=CURRENCIES,
)
def test_a_computed_amount_is_rounded_within_half_a_minor_unit(amount, currency):
    unit = Decimal(1).scaleb(-exponent(currency))
    assert abs(from_minor(rounded_minor(amount, currency), currency) - amount) <= unit / 2


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("12.345", "USD", 1235),
        ("12.344", "USD", 1234),
        ("-12.345", "USD", -1235),
        ("0.005", "EUR", 1),
        ("1500", "JPY", 1500),
        ("1500.5", "JPY", 1501),
        ("1500.49", "JPY", 1500),
        ("1.2345", "KWD", 1235),
    ],
)
def test_rounding_a_computed_amount_is_half_up(amount, currency, minor):
    assert rounded_minor(Decimal(amount), currency) == minor


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("10.999", "USD", "USD amounts have at most 2 decimal places."),
        ("5.5", "JPY", "JPY amounts have no decimal places."),
        ("1.2345", "kwd", "KWD amounts have at most 3 decimal places."),
    ],
)
def test_an_entered_amount_with_more_decimals_than_its_currency_is_refused_not_rounded(
    amount, currency, message
):
    with pytest.raises(ValidationError) as refused:
        to_minor(Decimal(amount), currency, field="value")
    assert refused.value.message_dict == {"value": [message]}


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("10.990", "USD", 1099), ("1500.0", "JPY", 1500), ("1.234", "KWD", 1234)],
)
def test_trailing_zeros_are_no_extra_precision(amount, currency, minor):
    assert to_minor(Decimal(amount), currency, field="value") == minor


def test_yen_has_no_minor_unit():
    assert exponent("JPY") == exponent("jpy") == 0
    assert from_minor(1500, "JPY") == Decimal(1500)
    assert has_more_precision_than(Decimal("1500.5"), "JPY")


@pytest.mark.django_db
def test_database_totals_are_exact_to_the_cent():
    """SQLite sums decimals as floats; integer minor units agree with PostgreSQL to the cent."""
    partner = PartnerFactory.create()
    customer = Customer.objects.create(name="Fabrikam", country="US", currency_id="USD")
    amounts = [Decimal("0.10"), Decimal("4778227.95"), Decimal("0.07"), Decimal("19.99")] * 250
    opened_at = datetime(2026, 1, 1, tzinfo=UTC)
    Opportunity.objects.bulk_create(
        Opportunity(
            organization=partner,
            customer=customer,
            kind=OpportunityKind.SHARED_DEAL,
            source=Source.SOURCED,
            name=f"Deal {number}",
            amount_minor=to_minor(amount, "USD", field="amount"),
            currency_id="USD",
            opened_at=opened_at,
        )
        for number, amount in enumerate(amounts)
    )
    total = Opportunity.objects.aggregate(total=Sum("amount_minor"))["total"]
    assert from_minor(total, "USD") == sum(amounts) == Decimal("1194562027.50")
