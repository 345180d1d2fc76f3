"""The points calculator (SPEC E10): estimates from the same rule functions the ledger uses."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from openprm.core.errors import field_error
from openprm.points.rules import (
    SOURCED,
    Rules,
    managed_share,
    money_for_points,
    sold_points,
)

POINTS_TO_MONEY = "points_to_money"
MONEY_TO_POINTS = "money_to_points"


@dataclass(frozen=True)
class Estimate:
    total: Decimal
    sold: Decimal
    managed: Decimal


@dataclass(frozen=True)
class Conversion:
    direction: str
    currency: str
    sold_points: Decimal
    managed_points: Decimal
    sold_value: Decimal
    managed_value: Decimal

    @property
    def total_points(self) -> Decimal:
        return self.sold_points + self.managed_points

    @property
    def total_value(self) -> Decimal:
        return self.sold_value + self.managed_value


def check_market(*, rules: Rules, country: str, currency: str) -> tuple[str, str]:
    """The country and currency in canonical form, or a field error naming the unknown one."""
    country, currency = country.strip().upper(), currency.strip().upper()
    errors: dict[str, list[ValidationError]] = {}
    if country not in dict(countries):
        errors["country"] = [ValidationError(_("Unknown country."), code="unknown")]
    if currency not in rules.usd100_equivalents:
        errors["currency"] = [ValidationError(_("Unknown currency."), code="unknown")]
    if errors:
        raise ValidationError(errors)
    return country, currency


def check_not_negative(**amounts: Decimal) -> None:
    for name, amount in amounts.items():
        if amount < 0:
            raise field_error(name, _("Enter zero or more."))


def estimate(
    *,
    rules: Rules,
    mrr: Decimal,
    source: str,
    country: str,
    currency: str,
    will_manage: bool,
    other_managing_partners: int,
) -> Estimate:
    """What a sale of `mrr` would add: its sold points, and the managed share if managed."""
    check_not_negative(mrr=mrr)
    if other_managing_partners < 0:
        raise field_error("other_managing_partners", _("Enter zero or more."))
    country, currency = check_market(rules=rules, country=country, currency=currency)
    sold = sold_points(mrr=mrr, currency=currency, source=source, country=country, rules=rules)
    managed = (
        managed_share(
            mrr=mrr,
            currency=currency,
            country=country,
            other_partners=other_managing_partners,
            rules=rules,
        )
        if will_manage
        else Decimal("0.00")
    )
    return Estimate(total=sold + managed, sold=sold, managed=managed)


def convert(
    *,
    rules: Rules,
    direction: str,
    country: str,
    currency: str,
    sold: Decimal,
    managed: Decimal,
    source: str = SOURCED,
) -> Conversion:
    """Points to money (the MRR that earns them) or money to points, per track."""
    check_not_negative(sold=sold, managed=managed)
    country, currency = check_market(rules=rules, country=country, currency=currency)
    if direction == MONEY_TO_POINTS:
        return Conversion(
            direction=direction,
            currency=currency,
            sold_value=sold,
            managed_value=managed,
            sold_points=sold_points(
                mrr=sold, currency=currency, source=source, country=country, rules=rules
            ),
            managed_points=managed_share(
                mrr=managed, currency=currency, country=country, other_partners=0, rules=rules
            ),
        )
    if direction != POINTS_TO_MONEY:
        raise field_error("direction", _("Choose points to money or money to points."))
    return Conversion(
        direction=direction,
        currency=currency,
        sold_points=sold,
        managed_points=managed,
        sold_value=money_for_points(
            points=sold,
            currency=currency,
            country=country,
            rate=rules.sold_rate(source),
            rules=rules,
        ),
        managed_value=money_for_points(
            points=managed,
            currency=currency,
            country=country,
            rate=rules.managed_rate,
            rules=rules,
        ),
    )
