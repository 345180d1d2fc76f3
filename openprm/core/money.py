"""Exact money: amounts are kept as integer minor units beside their ISO 4217 currency.

SQLite sums decimal columns as floats, so sums over integer minor units are the only totals
that agree to the cent on both databases.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from openprm.core.errors import field_error

# ISO 4217 currencies whose minor unit is not the cent.
MINOR_UNIT_EXPONENTS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0, "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip


def exponent(currency: str) -> int:
    return MINOR_UNIT_EXPONENTS.get(currency.upper(), 2)


def quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-exponent(currency)), rounding=ROUND_HALF_UP)


def rounded_minor(amount: Decimal, currency: str) -> int:
    """A computed amount (a conversion) in minor units: 12.345 USD -> 1235 (half up)."""
    return int(quantize(Decimal(amount), currency).scaleb(exponent(currency)))


def to_minor(amount: Decimal, currency: str, *, field: str) -> int:
    """An amount someone entered, in minor units: 12.34 USD -> 1234; 1500 JPY -> 1500.

    More decimal places than the currency has are refused, naming the field, not rounded:
    10.999 USD may have meant 10.99 as well as 11.00."""
    if has_more_precision_than(Decimal(amount), currency):
        places = exponent(currency)
        if places:
            message = _("%(currency)s amounts have at most %(places)s decimal places.")
        else:
            message = _("%(currency)s amounts have no decimal places.")
        raise field_error(
            field, message % {"currency": currency.upper(), "places": places}, "decimal_places"
        )
    return rounded_minor(amount, currency)


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def has_more_precision_than(amount: Decimal, currency: str) -> bool:
    return quantize(amount, currency) != amount
