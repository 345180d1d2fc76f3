"""The program admin's partner onboarding through /api/v1/partners."""

import pytest

from openprm.accounts.models import Location, Organization
from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.core.testing import assert_not_found
from openprm.crm.tests.factories import MarketFactory

pytestmark = pytest.mark.django_db


def send(client, method, path, data=None, **headers):
    return getattr(client, method)(path, data or {}, content_type="application/json", **headers)


def field_errors(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def fabrikam(**changes) -> dict:
    return {
        "name": "Fabrikam Consulting",
        "country": "JP",
        "market_country": "JP",
        "currency": "JPY",
        "tier": "Gold",
        "locations": [
            {"name": "Osaka", "country": "JP", "city": "Osaka", "code": "FAB-OSA"},
            {"name": "Taipei", "country": "TW", "code": "FAB-TPE"},
        ],
        **changes,
    }


def test_program_admin_creates_a_partner_with_its_locations(client, victor, pam):
    MarketFactory.create(country="JP")
    response = send(
        client, "post", "/api/v1/partners", fabrikam(pdm_id=pam.pk), **bearer(client, victor)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["currency"], body["market_country"]) == (
        "Fabrikam Consulting", "JPY", "JP"
    )  # fmt: skip
    assert body["tier"] == "Gold"
    assert body["pdm"]["email"] == pam.email
    assert {(item["name"], item["code"]) for item in body["locations"]} == {
        ("Osaka", "FAB-OSA"), ("Taipei", "FAB-TPE")
    }  # fmt: skip
    assert Event.objects.filter(kind="partner.created", object_id=str(body["id"])).exists()


def test_a_duplicate_partner_name_is_refused_naming_the_field(client, victor, northwind):
    response = send(
        client, "post", "/api/v1/partners", fabrikam(name="northwind traders", market_country=""),
        **bearer(client, victor),
    )  # fmt: skip
    assert response.status_code == 422
    assert field_errors(response) == {"name": "An organization with this name already exists."}
    assert not Organization.objects.filter(name="northwind traders").exists()


def test_a_location_id_used_elsewhere_is_refused_and_nothing_is_written(client, victor, northwind):
    Location.objects.filter(organization=northwind, name="Seattle").update(code="FAB-OSA")
    response = send(
        client, "post", "/api/v1/partners", fabrikam(market_country=""), **bearer(client, victor)
    )
    assert response.status_code == 422
    assert "FAB-OSA" in field_errors(response)["locations"]
    assert not Organization.objects.filter(name="Fabrikam Consulting").exists()


def test_a_location_id_repeated_in_one_request_is_refused(client, victor):
    data = fabrikam(market_country="")
    data["locations"][1]["code"] = "FAB-OSA"
    response = send(client, "post", "/api/v1/partners", data, **bearer(client, victor))
    assert response.status_code == 422
    assert "FAB-OSA" in field_errors(response)["locations"]


def test_unknown_currency_and_market_are_named_together(client, victor):
    response = send(
        client, "post", "/api/v1/partners", fabrikam(currency="XYZ", market_country="FR"),
        **bearer(client, victor),
    )  # fmt: skip
    assert response.status_code == 422
    assert set(field_errors(response)) == {"currency", "market_country"}


def test_a_partner_admin_cannot_create_partners(client, alice):
    response = send(
        client, "post", "/api/v1/partners", fabrikam(market_country=""), **bearer(client, alice)
    )
    assert response.status_code == 403
    assert not Organization.objects.filter(name="Fabrikam Consulting").exists()


def test_program_admin_edits_a_partner(client, victor, northwind):
    data = {"name": "Northwind Partners", "country": "US", "currency": "USD"}
    response = send(
        client, "put", f"/api/v1/partners/{northwind.pk}", data, **bearer(client, victor)
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Northwind Partners"
    northwind.refresh_from_db()
    assert northwind.name == "Northwind Partners"
    assert Event.objects.filter(kind="partner.updated").exists()


def test_program_admin_adds_a_location_with_its_id(client, victor, northwind):
    response = send(
        client, "post", f"/api/v1/partners/{northwind.pk}/locations",
        {"name": "London", "country": "GB", "code": "NW-LON"}, **bearer(client, victor),
    )  # fmt: skip
    assert response.status_code == 201
    listed = client.get(f"/api/v1/partners/{northwind.pk}/locations", **bearer(client, victor))
    assert [item["code"] for item in listed.json() if item["name"] == "London"] == ["NW-LON"]


def test_a_duplicate_location_name_is_refused(client, victor, northwind):
    response = send(
        client, "post", f"/api/v1/partners/{northwind.pk}/locations",
        {"name": "Seattle", "country": "US"}, **bearer(client, victor),
    )  # fmt: skip
    assert response.status_code == 422
    assert "location_name" in field_errors(response)


def test_another_partners_locations_are_not_found(client, alice, tailspin):
    response = client.get(f"/api/v1/partners/{tailspin.pk}/locations", **bearer(client, alice))
    assert_not_found(response, tailspin.name)
