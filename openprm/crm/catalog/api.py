"""/api/v1/settings/products and /api/v1/settings/currencies: the products the vendor sells and
the currencies the program accepts with their equivalent of US$100 for points (SPEC E12), as
Program settings adds and changes them (a product is deactivated, never removed); the program
admin only, anyone else gets a 403. Everyone reads the active products at /api/v1/products."""

from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, PatchSchema, StrictSchema
from openprm.crm.catalog import selectors, services

router = Router(tags=["settings"])

Equivalent = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]


class ProductIn(StrictSchema):
    name: str = Field(max_length=120)
    code: str = Field("", max_length=60, description="A slug; from the name when empty.")
    description: str = Field("", max_length=2000)
    is_active: bool = True


class ProductPatchIn(PatchSchema):
    name: str | None = Field(None, max_length=120)
    code: str | None = Field(None, max_length=60)
    description: str | None = Field(None, max_length=2000)
    is_active: bool | None = Field(None, description="false deactivates it.")


class ProductSettingOut(Schema):
    id: int
    code: str
    name: str
    description: str
    is_active: bool


class CurrencyIn(StrictSchema):
    code: str = Field(min_length=3, max_length=3, description="ISO 4217.")
    name: str = Field(max_length=80)
    usd100_equivalent: Equivalent = Field(description="How much of it counts as US$100.")


class CurrencyPatchIn(PatchSchema):
    name: str | None = Field(None, max_length=80)
    usd100_equivalent: Equivalent | None = None


class CurrencyOut(Schema):
    code: str
    name: str
    usd100_equivalent: Decimal


@router.get(
    "/settings/products",
    response={200: list[ProductSettingOut], **ERRORS},
    summary="Every product, inactive ones included",
)
def list_product_settings(request: MemberRequest):
    return list(selectors.products_all(user=request.user))


@router.post(
    "/settings/products", response={201: ProductSettingOut, **ERRORS}, summary="Add a product"
)
def create_product(request: MemberRequest, payload: ProductIn):
    return Status(201, services.product_create(actor=request.user, **payload.model_dump()))


@router.patch(
    "/settings/products/{int:product_id}",
    response={200: ProductSettingOut, **ERRORS},
    summary="Rename, re-code, deactivate or reactivate a product",
)
def update_product(request: MemberRequest, product_id: int, payload: ProductPatchIn):
    product = selectors.product_get(user=request.user, product_id=product_id)
    changes = payload.model_dump(include=payload.model_fields_set)
    return services.product_update(actor=request.user, product=product, **changes)


@router.get(
    "/settings/currencies",
    response={200: list[CurrencyOut], **ERRORS},
    summary="The program's currencies with their equivalent of US$100",
)
def list_currencies(request: MemberRequest):
    return list(selectors.currencies_all(user=request.user))


@router.post(
    "/settings/currencies", response={201: CurrencyOut, **ERRORS}, summary="Add a currency"
)
def create_currency(request: MemberRequest, payload: CurrencyIn):
    return Status(201, services.currency_create(actor=request.user, **payload.model_dump()))


@router.patch(
    "/settings/currencies/{code}",
    response={200: CurrencyOut, **ERRORS},
    summary="Rename a currency or change its equivalent of US$100",
)
def update_currency(request: MemberRequest, code: str, payload: CurrencyPatchIn):
    """The equivalent counts for points from the next rule version on."""
    currency = selectors.currency_get(user=request.user, code=code)
    changes = payload.model_dump(include=payload.model_fields_set)
    return services.currency_update(actor=request.user, currency=currency, **changes)
