"""Products and currencies through the API and Program settings: the program admin adds and
changes them; bad input names the field and writes nothing; anyone else gets a 403; each
change is in the audit log."""

from decimal import Decimal

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.crm.models import Currency, Product
from openprm.crm.tests.factories import ProductFactory, currency

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/settings/products"
CURRENCIES = "/api/v1/settings/currencies"
JSON = "application/json"


def send(client, user, method, url, **body):
    return getattr(client, method)(url, body, content_type=JSON, **bearer(client, user))


def test_the_program_admin_adds_a_product_coded_from_its_name(client, victor):
    response = send(client, victor, "post", PRODUCTS, name="Analytics Cloud")

    assert response.status_code == 201, response.content
    assert (response.json()["code"], response.json()["is_active"]) == ("analytics-cloud", True)
    event = Event.objects.get(kind="product.created")
    assert (event.actor, event.data["changes"]["name"]) == (victor, [None, "Analytics Cloud"])


def test_a_deactivated_product_is_listed_in_settings_but_offered_to_nobody(client, victor):
    product = ProductFactory.create(code="legacy", name="Legacy")

    response = send(client, victor, "patch", f"{PRODUCTS}/{product.pk}", is_active=False)

    assert response.status_code == 200
    assert "legacy" in [
        row["code"] for row in client.get(PRODUCTS, **bearer(client, victor)).json()
    ]
    offered = client.get("/api/v1/products", **bearer(client, victor)).json()["items"]
    assert "legacy" not in [row["code"] for row in offered]
    assert Event.objects.get(kind="product.updated").data["changes"] == {"is_active": [True, False]}


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": ""}, "name"), ({"name": "X", "code": "Not a slug"}, "code"),
     ({"name": "X", "code": "taken"}, "code")],
)  # fmt: skip
def test_bad_product_input_is_a_422_naming_the_field(client, victor, body, field):
    ProductFactory.create(code="taken")
    before = Product.objects.count()

    response = send(client, victor, "post", PRODUCTS, **body)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert Product.objects.count() == before
    assert not Event.objects.filter(kind__startswith="product.").exists()


def test_the_program_admin_adds_a_currency_and_changes_its_equivalent(client, victor):
    Currency.objects.filter(code="CHF").delete()

    added = send(client, victor, "post", CURRENCIES, code="chf", name="Swiss franc",
                 usd100_equivalent="90")  # fmt: skip
    changed = send(client, victor, "patch", f"{CURRENCIES}/CHF", usd100_equivalent="88.50")

    assert (added.status_code, added.json()["code"]) == (201, "CHF")
    assert (changed.status_code, changed.json()["usd100_equivalent"]) == (200, "88.50")
    event = Event.objects.get(kind="currency.updated")
    assert event.data["changes"] == {"usd100_equivalent": ["90.00", "88.50"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [({"code": "EUR", "name": "Euro again", "usd100_equivalent": "90"}, "code"),
     ({"code": "E1R", "name": "Odd", "usd100_equivalent": "90"}, "code"),
     ({"code": "CHF", "name": "", "usd100_equivalent": "90"}, "name")],
)  # fmt: skip
def test_bad_currency_input_is_a_422_naming_the_field(client, victor, body, field):
    currency("EUR")
    Currency.objects.filter(code="CHF").delete()
    before = Currency.objects.count()

    response = send(client, victor, "post", CURRENCIES, **body)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert Currency.objects.count() == before


def test_anyone_but_the_program_admin_gets_a_403_for_the_catalog(client, pam, alice):
    product = ProductFactory.create(code="kept")
    for user in (pam, alice):
        assert client.get(PRODUCTS, **bearer(client, user)).status_code == 403
        assert client.get(CURRENCIES, **bearer(client, user)).status_code == 403
        response = send(client, user, "patch", f"{PRODUCTS}/{product.pk}", name="Taken over")
        assert response.status_code == 403
    assert Product.objects.get(pk=product.pk).name == product.name


def test_program_settings_saves_a_currency_through_the_same_service(client, victor):
    eur = currency("EUR")
    client.force_login(victor)

    response = client.post(f"/admin/crm/currency/{eur.pk}/change/",
                           {"name": "Euro", "usd100_equivalent": "0"})  # fmt: skip

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "usd100_equivalent": ["Enter an amount of more than zero."]
    }
    assert Currency.objects.get(code="EUR").usd100_equivalent == eur.usd100_equivalent
    assert Decimal(eur.usd100_equivalent) > 0
