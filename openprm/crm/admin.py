"""Program configuration: products, markets, currencies with rates, and the customer directory;
all but the directory saved through the services the API uses."""

from typing import Any

from django.contrib import admin
from django.forms.models import construct_instance
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from openprm.core.admin_site import ProgramAdminOnly, ServiceAdmin, ServiceCheckedForm
from openprm.core.events import record_event
from openprm.crm.catalog import services as catalog
from openprm.crm.markets import services as markets
from openprm.crm.models import Currency, Customer, ExchangeRate, Market, Product
from openprm.crm.services import market_type_for


class CurrencyForm(ServiceCheckedForm):
    def check_values(self) -> None:
        adding = self.instance._state.adding
        catalog.checked_currency(construct_instance(self, self.instance), adding=adding)


@admin.register(Currency)
class CurrencyAdmin(ServiceAdmin):
    """The rates are added in Exchange rates; currencies and their equivalent of US$100 are
    saved through the same service as /api/v1/settings/currencies. A currency's code never
    changes, and currencies are not removed: amounts keep them."""

    form = CurrencyForm
    service_fields = catalog.CURRENCY_FIELDS
    list_display = ["code", "name", "usd100_equivalent"]
    list_editable = ["usd100_equivalent"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def service_create(self, actor: Any, values: dict[str, Any]) -> Currency:
        return catalog.currency_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> None:
        values.pop("code", None)
        catalog.currency_update(actor=actor, currency=obj, **values)


class ExchangeRateForm(ServiceCheckedForm):
    service_names = {"currency_id": "currency"}

    def check_values(self) -> None:
        markets.checked_rate(construct_instance(self, self.instance))


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ServiceAdmin):
    """A rate applies from its day until the currency's next; rates are kept for the reports
    that used them, so they are corrected, never removed."""

    form = ExchangeRateForm
    list_display = ["currency", "valid_from", "usd_per_unit"]
    list_filter = ["currency"]
    date_hierarchy = "valid_from"
    service_fields = ("currency", "valid_from", "usd_per_unit")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def service_create(self, actor: Any, values: dict[str, Any]) -> ExchangeRate:
        currency = values.pop("currency")
        return markets.exchange_rate_create(actor=actor, currency=currency.code, **values)

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> None:
        values["currency_id"] = values.pop("currency").code
        markets.exchange_rate_update(actor=actor, rate=obj, **values)


class MarketForm(ServiceCheckedForm):
    def check_values(self) -> None:
        markets.checked_market(construct_instance(self, self.instance))


@admin.register(Market)
class MarketAdmin(ServiceAdmin):
    """Growth markets: their points multiply, from the next rule version on."""

    form = MarketForm
    service_fields = markets.MARKET_FIELDS
    list_display = ["country", "region", "is_growth", "point_multiplier"]
    list_editable = ["is_growth", "point_multiplier"]
    list_filter = ["is_growth", "region"]
    search_fields = ["country", "region"]

    def service_create(self, actor: Any, values: dict[str, Any]) -> Market:
        return markets.market_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> None:
        markets.market_update(actor=actor, market=obj, **values)

    def service_delete(self, actor: Any, obj: Any) -> None:
        markets.market_delete(actor=actor, market=obj)


class ProductForm(ServiceCheckedForm):
    def check_values(self) -> None:
        catalog.checked_product(construct_instance(self, self.instance))


@admin.register(Product)
class ProductAdmin(ServiceAdmin):
    """Saved through the same service as /api/v1/settings/products; a product is deactivated,
    never removed, since opportunities keep the products they were for."""

    form = ProductForm
    service_fields = catalog.PRODUCT_FIELDS
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def service_create(self, actor: Any, values: dict[str, Any]) -> Product:
        return catalog.product_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> None:
        catalog.product_update(actor=actor, product=obj, **values)


@admin.register(Customer)
class CustomerAdmin(ProgramAdminOnly, SimpleHistoryAdmin):
    list_display = ["name", "country", "duns", "market_type", "currency", "domain"]
    list_filter = ["market_type", "currency"]
    search_fields = ["name", "duns", "domain"]
    readonly_fields = ["market_type", "version"]
    fields = [
        "name",
        "domain",
        "address",
        "city",
        "postal_code",
        "country",
        "duns",
        "currency",
        "market_type",
        "version",
    ]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """The market type follows the country, as in `customer_create`; edits bump the version."""
        obj.market_type = market_type_for(obj.country)
        if change:
            obj.bump_version()
        super().save_model(request, obj, form, change)
        kind = "customer.updated" if change else "customer.created"
        record_event(kind=kind, obj=obj, actor=request.user)
