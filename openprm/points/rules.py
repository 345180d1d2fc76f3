"""The points rules as pure functions over one immutable rule version (SPEC E10, E12).

Everything that turns money into points lives here, so the calculator and the ledger cannot
disagree. Rounding: points are computed exactly in Decimal and rounded once, to hundredths,
half up (0.005 -> 0.01); the ledger stores those hundredths as integers. A managed split
hands out whole hundredths so the shares always add up to the unsplit managed points.
"""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openprm.core.money import quantize

POINT = Decimal("0.01")
USD100 = Decimal("100")
SOURCED = "sourced"
ASSISTED = "assisted"


class UnknownCurrency(ValueError):
    """The rule version has no "equivalent of US$100" for this currency."""


@dataclass(frozen=True)
class TierRule:
    name: str
    threshold: Decimal
    sold_minimum: Decimal
    managed_minimum: Decimal

    @classmethod
    def from_config(cls, tier: Mapping[str, Any]) -> "TierRule":
        """A tier from the rule version's JSON list (numbers kept as strings there)."""
        return cls(
            name=str(tier["name"]),
            threshold=Decimal(str(tier["threshold"])),
            sold_minimum=Decimal(str(tier["sold_minimum"])),
            managed_minimum=Decimal(str(tier["managed_minimum"])),
        )

    def is_met_by(self, *, total: Decimal, sold: Decimal, managed: Decimal) -> bool:
        return (
            total >= self.threshold
            and sold >= self.sold_minimum
            and managed >= self.managed_minimum
        )


@dataclass(frozen=True)
class Rules:
    """One rule version: rates per US$100 of MRR, the tables it snapshotted, tiers, lives."""

    version: int
    sourced_rate: Decimal
    assisted_rate: Decimal
    managed_rate: Decimal
    usd100_equivalents: Mapping[str, Decimal]
    market_multipliers: Mapping[str, Decimal]
    sold_life_months: int
    tiers: tuple[TierRule, ...]  # lowest first
    demotion_grace_months: int
    evaluation_interval_months: int = 1

    def sold_rate(self, source: str) -> Decimal:
        return self.sourced_rate if source == SOURCED else self.assisted_rate

    def multiplier(self, country: str) -> Decimal:
        """Growth markets multiply points; every other country counts once."""
        return self.market_multipliers.get(country.upper(), Decimal(1))

    def tier_named(self, name: str) -> TierRule | None:
        return next((t for t in self.tiers if t.name == name), None)

    def tier_rank(self, name: str | None) -> int:
        """0 for no tier, 1 for the lowest; a name no longer configured ranks as no tier."""
        names = [t.name for t in self.tiers]
        return names.index(name) + 1 if name in names else 0

    def usd100_equivalent(self, currency: str) -> Decimal:
        try:
            return self.usd100_equivalents[currency.upper()]
        except KeyError:
            raise UnknownCurrency(currency) from None


def round_points(points: Decimal) -> Decimal:
    return points.quantize(POINT, rounding=ROUND_HALF_UP)


def to_hundredths(points: Decimal) -> int:
    return int(round_points(points).scaleb(2))


def from_hundredths(hundredths: int) -> Decimal:
    return Decimal(hundredths).scaleb(-2).quantize(POINT)


def _raw_points(
    *, mrr: Decimal, currency: str, country: str, rate: Decimal, rules: Rules
) -> Decimal:
    return Decimal(mrr) / rules.usd100_equivalent(currency) * rate * rules.multiplier(country)


def sold_points(*, mrr: Decimal, currency: str, source: str, country: str, rules: Rules) -> Decimal:
    """Points for selling `mrr` a month in `currency` to a customer in `country`."""
    rate = rules.sold_rate(source)
    return round_points(
        _raw_points(mrr=mrr, currency=currency, country=country, rate=rate, rules=rules)
    )


def managed_points_whole(*, mrr: Decimal, currency: str, country: str, rules: Rules) -> Decimal:
    """Managed points for the customer before they are divided among its managing partners."""
    return round_points(
        _raw_points(
            mrr=mrr, currency=currency, country=country, rate=rules.managed_rate, rules=rules
        )
    )


def split_evenly(whole: Decimal, parts: int) -> list[Decimal]:
    """`whole` in `parts` shares of whole hundredths that add up to `whole` exactly.

    The hundredths left over by an uneven division go one each to the first shares, so the
    order of the partners (the ledger uses their ids) decides who gets the extra 0.01.
    """
    if parts < 1:
        raise ValueError("A split needs at least one part.")
    hundredths = to_hundredths(whole)
    base, remainder = divmod(hundredths, parts)
    return [from_hundredths(base + (1 if i < remainder else 0)) for i in range(parts)]


def managed_share(
    *, mrr: Decimal, currency: str, country: str, other_partners: int, rules: Rules
) -> Decimal:
    """The share every one of 1 + `other_partners` managing partners receives at least."""
    whole = managed_points_whole(mrr=mrr, currency=currency, country=country, rules=rules)
    return split_evenly(whole, 1 + other_partners)[-1]


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the target month lacks becomes its last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def sold_expiry(sale_day: date, rules: Rules) -> date:
    """The first day a sale's points no longer count: the sale day, `sold_life_months` later.

    A sale on 29 February 2024 expires on 28 February 2025; one on 31 May, on 31 May.
    """
    return add_months(sale_day, rules.sold_life_months)


def money_for_points(
    *, points: Decimal, currency: str, country: str, rate: Decimal, rules: Rules
) -> Decimal:
    """The MRR, in `currency`, that earns `points` at `rate`: the sold/managed inverse."""
    per_unit = rate * rules.multiplier(country)
    if per_unit == 0:
        return quantize(Decimal(0), currency)
    value = Decimal(points) / per_unit * rules.usd100_equivalent(currency)
    return quantize(value, currency)


@dataclass(frozen=True)
class TierStanding:
    """What current points earn (tier performance) and what the next tier still needs."""

    tier: TierRule | None
    next_tier: TierRule | None
    total_needed: Decimal
    sold_needed: Decimal
    managed_needed: Decimal


def tier_performance(
    *, total: Decimal, sold: Decimal, managed: Decimal, certified: bool, rules: Rules
) -> TierRule | None:
    """The highest tier these points meet; none without a valid certification."""
    if not certified:
        return None
    met = [t for t in rules.tiers if t.is_met_by(total=total, sold=sold, managed=managed)]
    return met[-1] if met else None


def performance_rank(*, sold: Decimal, managed: Decimal, certified: bool, rules: Rules) -> int:
    """The rank of the tier these points earn (0: none), to compare with `Rules.tier_rank`."""
    tier = tier_performance(
        total=sold + managed, sold=sold, managed=managed, certified=certified, rules=rules
    )
    return rules.tier_rank(tier.name if tier else "")


def tier_standing(
    *, total: Decimal, sold: Decimal, managed: Decimal, certified: bool, rules: Rules
) -> TierStanding:
    tier = tier_performance(
        total=total, sold=sold, managed=managed, certified=certified, rules=rules
    )
    higher = rules.tiers[rules.tiers.index(tier) + 1 :] if tier else rules.tiers
    next_tier = higher[0] if higher else None
    if next_tier is None:
        zero = Decimal("0.00")
        return TierStanding(tier, None, zero, zero, zero)
    return TierStanding(
        tier=tier,
        next_tier=next_tier,
        total_needed=max(next_tier.threshold - total, Decimal(0)).quantize(POINT),
        sold_needed=max(next_tier.sold_minimum - sold, Decimal(0)).quantize(POINT),
        managed_needed=max(next_tier.managed_minimum - managed, Decimal(0)).quantize(POINT),
    )
