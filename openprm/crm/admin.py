"""Program configuration: products, markets, currencies with rates, and the customer directory."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from openprm.core.admin_site import ProgramAdminOnly
from openprm.core.events import record_event
from openprm.crm.models import Currency, Customer, ExchangeRate, Market, Product
from openprm.crm.services import market_type_for


class ExchangeRateInline(ProgramAdminOnly, admin.TabularInline):
    model = ExchangeRate
    extra = 1
    ordering = ["-valid_from"]


@admin.register(Currency)
class CurrencyAdmin(ProgramAdminOnly, admin.ModelAdmin):
    list_display = ["code", "name", "usd100_equivalent"]
    list_editable = ["usd100_equivalent"]
    search_fields = ["code", "name"]
    inlines = [ExchangeRateInline]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ProgramAdminOnly, admin.ModelAdmin):
    list_display = ["currency", "valid_from", "usd_per_unit"]
    list_filter = ["currency"]
    date_hierarchy = "valid_from"


@admin.register(Market)
class MarketAdmin(ProgramAdminOnly, admin.ModelAdmin):
    list_display = ["country", "region", "is_growth", "point_multiplier"]
    list_editable = ["is_growth", "point_multiplier"]
    list_filter = ["is_growth", "region"]
    search_fields = ["country", "region"]


@admin.register(Product)
class ProductAdmin(ProgramAdminOnly, admin.ModelAdmin):
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


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
