"""The products and currencies as the program admin configures them, inactive products
included."""

from django.db.models import QuerySet

from openprm.accounts.models import User
from openprm.core.errors import NotFound
from openprm.core.program_settings import require_program_admin
from openprm.crm.models import Currency, Product


def products_all(*, user: User) -> QuerySet[Product]:
    require_program_admin(user)
    return Product.objects.order_by("name", "pk")


def product_get(*, user: User, product_id: int) -> Product:
    product = products_all(user=user).filter(pk=product_id).first()
    if product is None:
        raise NotFound()
    return product


def currencies_all(*, user: User) -> QuerySet[Currency]:
    require_program_admin(user)
    return Currency.objects.order_by("code")


def currency_get(*, user: User, code: str) -> Currency:
    currency = currencies_all(user=user).filter(code=code.upper()).first()
    if currency is None:
        raise NotFound()
    return currency
