"""The program's starting configuration is SPEC E12's, and dated exchange rates convert money."""

import datetime
from decimal import Decimal

import pytest

from openprm.crm.exchange import RateBook
from openprm.crm.models import Currency, ExchangeRate, Market

pytestmark = pytest.mark.django_db

# SPEC E12, word for word: India, Latin America, China, Mongolia, South Korea and Southeast Asia.
SPEC_SOUTHEAST_ASIA = {
    "BD", "BN", "KH", "HK", "ID", "LA", "MY", "MV", "MM", "NP", "PK", "PH", "LK", "SG", "TW",
    "TH", "TL", "VN",
}  # fmt: skip
# The twenty countries of Latin America.
LATIN_AMERICA = {
    "AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "SV", "GT", "HT", "HN", "MX", "NI",
    "PA", "PY", "PE", "UY", "VE",
}  # fmt: skip


def growth_countries() -> set[str]:
    return set(Market.objects.filter(is_growth=True).values_list("country", flat=True))


def test_the_growth_markets_are_those_of_the_spec():
    named = {"IN", "CN", "MN", "KR"} | SPEC_SOUTHEAST_ASIA | LATIN_AMERICA
    assert named <= growth_countries()


def test_well_known_standard_markets_are_not_growth_markets():
    assert not {"US", "JP", "DE", "GB", "AU", "CA", "FR"} & growth_countries()


def test_growth_markets_double_the_points():
    multipliers = set(
        Market.objects.filter(is_growth=True).values_list("point_multiplier", flat=True)
    )
    assert multipliers == {Decimal(2)}


def test_the_us100_table_has_the_spec_defaults():
    table = dict(Currency.objects.values_list("code", "usd100_equivalent"))
    assert {code: table[code] for code in ("USD", "EUR", "GBP", "AUD", "CAD")} == {
        "USD": Decimal(100), "EUR": Decimal(88), "GBP": Decimal(74),
        "AUD": Decimal(154), "CAD": Decimal(130),
    }  # fmt: skip


def rate(code: str, valid_from: datetime.date, usd_per_unit: str) -> None:
    ExchangeRate.objects.create(
        currency_id=code, valid_from=valid_from, usd_per_unit=Decimal(usd_per_unit)
    )


JAN, FEB = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)


def test_the_rate_of_a_day_is_the_latest_on_or_before_it():
    rate("EUR", JAN, "1.10")
    rate("EUR", FEB, "1.20")
    book = RateBook(["EUR"])
    assert book.usd_per_unit("EUR", datetime.date(2026, 1, 31)) == Decimal("1.10")
    assert book.usd_per_unit("EUR", FEB) == Decimal("1.20")
    assert book.usd_per_unit("EUR", datetime.date(2025, 12, 31)) is None


def test_conversion_between_two_currencies_goes_through_the_dollar_and_rounds_half_up():
    rate("EUR", JAN, "1.10")
    rate("JPY", JAN, "0.0065")
    book = RateBook(["EUR", "JPY"])
    # 100.00 EUR = 110 USD = 16923.08 JPY, which has no minor unit: 16923.
    assert book.convert_minor(10_000, "EUR", "JPY", JAN) == 16_923
    assert book.convert_minor(16_923, "JPY", "USD", JAN) == 11_000


def test_a_day_before_any_rate_converts_to_nothing_rather_than_a_guess():
    rate("EUR", FEB, "1.10")
    assert RateBook(["EUR"]).convert_minor(100, "EUR", "USD", JAN) is None


def test_the_rates_are_read_in_one_query(django_assert_num_queries):
    rate("EUR", JAN, "1.10")
    rate("GBP", JAN, "1.30")
    with django_assert_num_queries(1):
        book = RateBook(["EUR", "GBP", "USD"])
    assert book.convert_minor(100, "GBP", "EUR", FEB) == 118
