"""Writes of the markets (which customer countries are growth markets, and their point
multiplier) and of the dated exchange rates (SPEC A3, E12), for Program settings and the API
alike; the program admin only; each change recorded with the values before and after.

A market's multiplier counts for points from the next rule version on: each version copies the
growth-market table when it is published (points.rulesets)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from openprm.accounts.models import User
from openprm.core.checks import FieldErrors
from openprm.core.program_settings import (
    require_program_admin,
    setting_create,
    setting_delete,
    setting_update,
)
from openprm.crm.exchange import BASE_CURRENCY
from openprm.crm.models import Currency, ExchangeRate, Market

MARKET_FIELDS = ("country", "region", "is_growth", "point_multiplier")
RATE_FIELDS = ("currency_id", "valid_from", "usd_per_unit")
MULTIPLIER_LIMIT = Decimal("1000")
RATE_LIMIT = Decimal("1e10")


def checked_market(market: Market) -> None:
    errors = FieldErrors()
    market.country = str(market.country or "").upper()
    if market.country not in countries:
        errors.add("country", _("Choose a country by its two-letter code."), "invalid_choice")
    elif Market.objects.exclude(pk=market.pk).filter(country=market.country).exists():
        errors.add("country", _("This country already has a market."), "unique")
    market.region = (market.region or "").strip()
    if len(market.region) > 80:
        errors.add("region", _("Use at most 80 characters."), "max_length")
    multiplier = market.point_multiplier
    if multiplier is None or not Decimal(0) <= Decimal(multiplier) < MULTIPLIER_LIMIT:
        errors.add("point_multiplier", _("Enter a multiplier from 0 to 999.99."), "invalid")
    errors.raise_any()


@transaction.atomic
def market_create(
    *,
    actor: User,
    country: str,
    region: str = "",
    is_growth: bool = False,
    point_multiplier: Decimal = Decimal(1),
) -> Market:
    require_program_admin(actor)
    market = Market(
        country=country, region=region, is_growth=is_growth, point_multiplier=point_multiplier
    )
    return setting_create(
        actor=actor, obj=market, fields=MARKET_FIELDS, check=checked_market, kind="market.created"
    )


@transaction.atomic
def market_update(*, actor: User, market: Market, **changes: Any) -> Market:
    """A growth market's points multiply from the next rule version on; customers get the
    market type when they are added or change country."""
    require_program_admin(actor)
    if "point_multiplier" in changes and changes["point_multiplier"] is not None:
        changes["point_multiplier"] = Decimal(changes["point_multiplier"]).quantize(Decimal("0.01"))
    return setting_update(
        actor=actor,
        obj=market,
        changes=changes,
        fields=MARKET_FIELDS,
        check=checked_market,
        kind="market.updated",
    )


def checked_rate(rate: ExchangeRate) -> None:
    """A currency of the program other than US dollars (the rates are US$ per unit), more than
    zero, and one rate per currency and day."""
    errors = FieldErrors()
    code = (rate.currency_id or "").upper()
    if code == BASE_CURRENCY:
        errors.add("currency", _("US dollars need no rate."), "invalid")
    elif not Currency.objects.filter(code=code).exists():
        errors.add("currency", _("Choose a currency of the program."), "invalid_choice")
    if rate.usd_per_unit is None or not Decimal(0) < Decimal(rate.usd_per_unit) < RATE_LIMIT:
        errors.add("usd_per_unit", _("Enter a rate of more than zero."), "not_positive")
    taken = ExchangeRate.objects.exclude(pk=rate.pk).filter(
        currency_id=code, valid_from=rate.valid_from
    )
    if taken.exists():
        errors.add("valid_from", _("This currency already has a rate from this day."), "overlap")
    errors.raise_any()
    rate.currency_id = code


@transaction.atomic
def exchange_rate_create(
    *, actor: User, currency: str, valid_from: date, usd_per_unit: Decimal
) -> ExchangeRate:
    """A rate applies from its day until the currency's next rate: a correction of a day's rate
    changes that rate, a new rate starts a new period."""
    require_program_admin(actor)
    rate = ExchangeRate(currency_id=currency, valid_from=valid_from, usd_per_unit=usd_per_unit)
    return setting_create(
        actor=actor, obj=rate, fields=RATE_FIELDS, check=checked_rate, kind="exchange_rate.created"
    )


@transaction.atomic
def exchange_rate_update(*, actor: User, rate: ExchangeRate, **changes: Any) -> ExchangeRate:
    require_program_admin(actor)
    return setting_update(
        actor=actor,
        obj=rate,
        changes=changes,
        fields=RATE_FIELDS,
        check=checked_rate,
        kind="exchange_rate.updated",
    )


@transaction.atomic
def market_delete(*, actor: User, market: Market) -> None:
    """Customers added or moved to the country from then on are of a standard market; rule
    versions keep their copy of the growth-market table."""
    require_program_admin(actor)
    locked = Market.objects.select_for_update().get(pk=market.pk)
    setting_delete(actor=actor, obj=locked, fields=MARKET_FIELDS, kind="market.deleted")
