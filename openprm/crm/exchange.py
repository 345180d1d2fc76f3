"""Money in one currency from opportunities in many: the dated exchange rates of SPEC A3.

A rate applies from its `valid_from` date on, so an amount is converted with the latest rate on
or before the day it belongs to. US dollars need no rate (the rates are US$ per unit).
"""

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from openprm.core.money import from_minor, rounded_minor
from openprm.crm.models import ExchangeRate

BASE_CURRENCY = "USD"


class RateBook:
    """Every rate of the currencies involved, loaded in one query, looked up by date."""

    def __init__(self, currencies: Iterable[str]) -> None:
        wanted = set(currencies) - {BASE_CURRENCY}
        self._days: dict[str, list[date]] = {code: [] for code in wanted}
        self._rates: dict[str, list[Decimal]] = {code: [] for code in wanted}
        rows = (
            ExchangeRate.objects.filter(currency_id__in=wanted)
            .order_by("currency_id", "valid_from")
            .values_list("currency_id", "valid_from", "usd_per_unit")
        )
        for code, valid_from, usd_per_unit in rows:
            self._days[code].append(valid_from)
            self._rates[code].append(usd_per_unit)

    def usd_per_unit(self, currency: str, on: date) -> Decimal | None:
        if currency == BASE_CURRENCY:
            return Decimal(1)
        days = self._days.get(currency, [])
        index = bisect_right(days, on)
        return self._rates[currency][index - 1] if index else None

    def convert_minor(self, amount_minor: int, source: str, target: str, on: date) -> int | None:
        """`amount_minor` of `source` in minor units of `target`, half up; None without a rate."""
        if source == target:
            return amount_minor
        source_rate = self.usd_per_unit(source, on)
        target_rate = self.usd_per_unit(target, on)
        if source_rate is None or target_rate is None:
            return None
        amount = from_minor(amount_minor, source) * source_rate / target_rate
        return rounded_minor(amount, target)
