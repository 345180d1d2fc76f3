"""/api/v1/settings/markets and /api/v1/settings/exchange-rates: which customer countries are
growth markets and their point multiplier, and the dated exchange rates that put money in one
currency (SPEC A3, E12), as Program settings adds, changes and removes them (rates are
corrected, never removed); the program admin only, anyone else gets a 403."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, IsoDate, PatchSchema, StrictSchema
from openprm.crm.markets import selectors, services
from openprm.crm.models import Market

router = Router(tags=["settings"])

Multiplier = Annotated[Decimal, Field(ge=0, max_digits=5, decimal_places=2)]


class MarketIn(StrictSchema):
    country: str = Field(min_length=2, max_length=2)
    region: str = Field("", max_length=80)
    is_growth: bool = Field(False, description="A growth market: its points multiply.")
    point_multiplier: Multiplier = Decimal(1)


class MarketPatchIn(PatchSchema):
    region: str | None = Field(None, max_length=80)
    is_growth: bool | None = None
    point_multiplier: Multiplier | None = None


class MarketOut(Schema):
    id: int
    country: str
    region: str
    is_growth: bool
    point_multiplier: Decimal

    @staticmethod
    def resolve_country(market: Market) -> str:
        return str(market.country)


class ExchangeRateIn(StrictSchema):
    currency: str = Field(min_length=3, max_length=3, description="Against US dollars.")
    valid_from: IsoDate = Field(description="It applies until the currency's next rate.")
    usd_per_unit: Decimal = Field(max_digits=20, decimal_places=10, description="More than 0.")


class ExchangeRatePatchIn(PatchSchema):
    currency: str | None = Field(None, min_length=3, max_length=3)
    valid_from: IsoDate | None = None
    usd_per_unit: Decimal | None = Field(None, max_digits=20, decimal_places=10)


class ExchangeRateOut(Schema):
    id: int
    currency: str = Field(alias="currency_id")
    valid_from: date
    usd_per_unit: Decimal


@router.get(
    "/settings/markets",
    response={200: list[MarketOut], **ERRORS},
    summary="The markets by country; growth=true keeps the growth markets",
)
def list_markets(request: MemberRequest, growth: bool | None = None):
    return list(selectors.markets_all(user=request.user, growth=growth))


@router.post("/settings/markets", response={201: MarketOut, **ERRORS}, summary="Add a market")
def create_market(request: MemberRequest, payload: MarketIn):
    return Status(201, services.market_create(actor=request.user, **payload.model_dump()))


@router.patch(
    "/settings/markets/{int:market_id}",
    response={200: MarketOut, **ERRORS},
    summary="Make a market a growth market or not, or change its multiplier",
)
def update_market(request: MemberRequest, market_id: int, payload: MarketPatchIn):
    market = selectors.market_get(user=request.user, market_id=market_id)
    changes = payload.model_dump(include=payload.model_fields_set)
    return services.market_update(actor=request.user, market=market, **changes)


@router.delete(
    "/settings/markets/{int:market_id}",
    response={204: None, **ERRORS},
    summary="Remove a market: its customers count as a standard market from then on",
)
def delete_market(request: MemberRequest, market_id: int):
    market = selectors.market_get(user=request.user, market_id=market_id)
    services.market_delete(actor=request.user, market=market)
    return Status(204, None)


@router.get(
    "/settings/exchange-rates",
    response={200: list[ExchangeRateOut], **ERRORS},
    summary="The exchange rates by currency, newest day first",
)
def list_exchange_rates(request: MemberRequest, currency: str = ""):
    return list(selectors.exchange_rates(user=request.user, currency=currency))


@router.post(
    "/settings/exchange-rates",
    response={201: ExchangeRateOut, **ERRORS},
    summary="Add a currency's rate from a day on",
)
def create_exchange_rate(request: MemberRequest, payload: ExchangeRateIn):
    return Status(201, services.exchange_rate_create(actor=request.user, **payload.model_dump()))


@router.patch(
    "/settings/exchange-rates/{int:rate_id}",
    response={200: ExchangeRateOut, **ERRORS},
    summary="Correct a rate: its value, its day or its currency",
)
def update_exchange_rate(request: MemberRequest, rate_id: int, payload: ExchangeRatePatchIn):
    """Rates are kept for the reports that used them: corrected, never removed."""
    rate = selectors.exchange_rate_get(user=request.user, rate_id=rate_id)
    changes = payload.model_dump(include=payload.model_fields_set)
    if "currency" in changes:
        changes["currency_id"] = changes.pop("currency")
    return services.exchange_rate_update(actor=request.user, rate=rate, **changes)
