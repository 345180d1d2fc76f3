"""The markets and exchange rates as the program admin configures them."""

from django.db.models import QuerySet

from openprm.accounts.models import User
from openprm.core.errors import NotFound
from openprm.core.program_settings import require_program_admin
from openprm.crm.models import ExchangeRate, Market


def markets_all(*, user: User, growth: bool | None = None) -> QuerySet[Market]:
    require_program_admin(user)
    markets = Market.objects.order_by("country")
    return markets if growth is None else markets.filter(is_growth=growth)


def market_get(*, user: User, market_id: int) -> Market:
    market = markets_all(user=user).filter(pk=market_id).first()
    if market is None:
        raise NotFound()
    return market


def exchange_rates(*, user: User, currency: str = "") -> QuerySet[ExchangeRate]:
    """Newest day first, per currency."""
    require_program_admin(user)
    rates = ExchangeRate.objects.order_by("currency_id", "-valid_from")
    return rates.filter(currency_id=currency.upper()) if currency else rates


def exchange_rate_get(*, user: User, rate_id: int) -> ExchangeRate:
    rate = exchange_rates(user=user).filter(pk=rate_id).first()
    if rate is None:
        raise NotFound()
    return rate
