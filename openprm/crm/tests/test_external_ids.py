"""D9: customers and contacts carry the vendor's and the partner's CRM ids, each naming one
record per organization, filterable in the API and shown on the record."""

import pytest

from openprm.crm.models import Contact
from openprm.crm.tests.factories import ContactFactory, CustomerFactory
from openprm.crm.tests.test_api import JSON, as_user

pytestmark = pytest.mark.django_db


def error_fields(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def test_a_customer_is_found_by_its_vendor_crm_id(client, alice):
    CustomerFactory.create(name="Sakura Foods", vendor_crm_id="HS-100")
    CustomerFactory.create(name="Fuji Bank", vendor_crm_id="HS-200")
    body = as_user(client, alice).get("/api/v1/customers?vendor_crm_id=HS-200").json()
    assert [(c["name"], c["vendor_crm_id"]) for c in body["items"]] == [("Fuji Bank", "HS-200")]


def test_a_duplicate_customer_vendor_crm_id_is_a_422_naming_the_field(client, victor):
    CustomerFactory.create(vendor_crm_id="HS-100")
    response = as_user(client, victor).post(
        "/api/v1/customers",
        {"name": "Wingtip", "country": "SG", "currency": "SGD", "vendor_crm_id": " HS-100 "},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert error_fields(response) == ["vendor_crm_id"]


def test_the_program_admin_sets_a_customers_vendor_crm_id(client, victor):
    customer = CustomerFactory.create()
    response = as_user(client, victor).patch(
        f"/api/v1/customers/{customer.pk}", {"vendor_crm_id": "HS-7"}, content_type=JSON
    )
    assert (response.status_code, response.json()["vendor_crm_id"]) == (200, "HS-7")


def test_a_contact_carries_both_crm_ids_and_is_found_by_each(client, alice, northwind):
    ContactFactory.create(organization=northwind, first_name="Other")
    as_user(client, alice)
    created = client.post(
        "/api/v1/contacts",
        {"first_name": "Yuki", "vendor_crm_id": "V-1", "partner_crm_id": "P-1"},
        content_type=JSON,
    )
    assert created.status_code == 201
    for query in ("vendor_crm_id=V-1", "partner_crm_id=P-1"):
        items = client.get(f"/api/v1/contacts?{query}").json()["items"]
        assert [(c["first_name"], c["vendor_crm_id"], c["partner_crm_id"]) for c in items] == [
            ("Yuki", "V-1", "P-1")
        ]


@pytest.mark.parametrize("field", ["vendor_crm_id", "partner_crm_id"])
def test_a_crm_id_another_contact_of_the_partner_has_is_a_422_naming_it(
    client, alice, northwind, field
):
    ContactFactory.create(organization=northwind, **{field: "X-9"})
    contact = ContactFactory.create(organization=northwind, job_title="CTO")
    response = as_user(client, alice).patch(
        f"/api/v1/contacts/{contact.pk}", {field: "X-9", "job_title": "CIO"}, content_type=JSON
    )
    assert response.status_code == 422
    assert error_fields(response) == [field]
    assert Contact.objects.get(pk=contact.pk).job_title == "CTO"


def test_another_partner_may_use_the_same_crm_id(client, charlie, northwind):
    ContactFactory.create(organization=northwind, partner_crm_id="P-1")
    response = as_user(client, charlie).post(
        "/api/v1/contacts", {"first_name": "Ken", "partner_crm_id": "P-1"}, content_type=JSON
    )
    assert response.status_code == 201
    created = Contact.objects.get(pk=response.json()["id"])
    assert (created.organization, created.partner_crm_id) == (charlie.organization, "P-1")


def test_the_contact_page_shows_and_edits_the_crm_ids(client, alice, northwind):
    contact = ContactFactory.create(organization=northwind, first_name="Yuki")
    as_user(client, alice)
    response = client.post(
        f"/contacts/{contact.pk}/edit/",
        {"first_name": "Yuki", "vendor_crm_id": "V-5", "partner_crm_id": "P-5"},
    )
    assert response.status_code == 302
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert 'Vendor CRM ID</dt><dd class="col-sm-9">V-5</dd>' in page
    assert 'Partner CRM ID</dt><dd class="col-sm-9">P-5</dd>' in page
