"""Writes of the program's catalog: the products the vendor sells (by code, deactivated rather
than removed, since opportunities keep the products they were for) and the currencies it
accepts with their "equivalent of US$100" for points (SPEC E12), for Program settings and the
API alike; the program admin only; each change recorded with the values before and after.

A currency's equivalent counts for points from the next rule version on: each version copies
the currency table when it is published (points.rulesets)."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.checks import FieldErrors, required_text
from openprm.core.program_settings import require_program_admin, setting_create, setting_update
from openprm.crm.models import Currency, Product

PRODUCT_FIELDS = ("code", "name", "description", "is_active")
CURRENCY_FIELDS = ("code", "name", "usd100_equivalent")
PRODUCT_NAME_LENGTH = 120
PRODUCT_CODE_LENGTH = 60
CURRENCY_NAME_LENGTH = 80
# The column's 14 digits with 2 decimal places.
EQUIVALENT_LIMIT = Decimal("1e12")


def checked_product(product: Product) -> None:
    """A name; a code, a slug unique among the products, from the name when none is given."""
    errors = FieldErrors()
    name = errors.check(required_text, "name", product.name)
    if name and len(name) > PRODUCT_NAME_LENGTH:
        errors.add("name", _("Use at most 120 characters."), "max_length")
    code = (product.code or "").strip() or slugify(name or "")[:PRODUCT_CODE_LENGTH].strip("-")
    if not code and not name:
        pass  # the name's error says it: the code comes from the name
    elif not code or code != slugify(code) or len(code) > PRODUCT_CODE_LENGTH:
        errors.add("code", _("Use at most 60 lowercase letters, digits and hyphens."), "invalid")
    elif Product.objects.exclude(pk=product.pk).filter(code=code).exists():
        errors.add("code", _("A product with this code already exists."), "unique")
    errors.raise_any()
    product.name, product.code = name, code
    product.description = (product.description or "").strip()


@transaction.atomic
def product_create(
    *, actor: User, name: str, code: str = "", description: str = "", is_active: bool = True
) -> Product:
    require_program_admin(actor)
    product = Product(name=name, code=code, description=description, is_active=is_active)
    return setting_create(
        actor=actor, obj=product, fields=PRODUCT_FIELDS, check=checked_product,
        kind="product.created",
    )  # fmt: skip


@transaction.atomic
def product_update(*, actor: User, product: Product, **changes: Any) -> Product:
    """`is_active` false deactivates it: nobody registers or sells it from then on, and the
    opportunities that name it keep it."""
    require_program_admin(actor)
    return setting_update(
        actor=actor, obj=product, changes=changes, fields=PRODUCT_FIELDS, check=checked_product,
        kind="product.updated",
    )  # fmt: skip


def checked_currency(currency: Currency, *, adding: bool) -> None:
    """A new currency's code is three capital letters not taken yet; a name; an equivalent of
    US$100 of more than zero."""
    errors = FieldErrors()
    if adding:
        code = (currency.code or "").strip().upper()
        if len(code) != 3 or not code.isascii() or not code.isalpha():
            errors.add("code", _("Use a three-letter ISO 4217 code."), "invalid")
        elif Currency.objects.filter(code=code).exists():
            errors.add("code", _("This currency is in the program already."), "unique")
        currency.code = code
    name = errors.check(required_text, "name", currency.name)
    if name and len(name) > CURRENCY_NAME_LENGTH:
        errors.add("name", _("Use at most 80 characters."), "max_length")
    equivalent = currency.usd100_equivalent
    if equivalent is None or not Decimal(0) < Decimal(equivalent) < EQUIVALENT_LIMIT:
        errors.add("usd100_equivalent", _("Enter an amount of more than zero."), "not_positive")
    errors.raise_any()
    currency.name = name


@transaction.atomic
def currency_create(*, actor: User, code: str, name: str, usd100_equivalent: Decimal) -> Currency:
    """A currency partners then register deals in; its exchange rates are added apart."""
    require_program_admin(actor)
    currency = Currency(code=code, name=name, usd100_equivalent=usd100_equivalent)
    return setting_create(
        actor=actor, obj=currency, fields=CURRENCY_FIELDS,
        check=lambda row: checked_currency(row, adding=True), kind="currency.created",
    )  # fmt: skip


@transaction.atomic
def currency_update(*, actor: User, currency: Currency, **changes: Any) -> Currency:
    """The name or the equivalent of US$100; the code never changes, since amounts keep it."""
    require_program_admin(actor)
    return setting_update(
        actor=actor, obj=currency, changes=changes, fields=("name", "usd100_equivalent"),
        check=lambda row: checked_currency(row, adding=False), kind="currency.updated",
    )  # fmt: skip
