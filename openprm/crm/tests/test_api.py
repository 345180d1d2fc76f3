"""/api/v1/partners, /customers, /contacts and /products, with the other partner in every case."""

import pytest
from django.test import Client

from openprm.accounts.tests.test_api import bearer
from openprm.core.testing import assert_api_error, assert_not_found
from openprm.crm.models import Contact, Customer
from openprm.crm.tests.factories import (
    CertificationFactory,
    ContactFactory,
    CustomerFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


# --- partners ----------------------------------------------------------------------------------


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


def test_a_partner_sees_only_itself(client, alice, tailspin):
    assert names(as_user(client, alice).get("/api/v1/partners")) == ["Northwind Traders"]


def test_a_pdm_sees_only_the_partners_assigned_to_them(client, pam, northwind, tailspin):
    assert names(as_user(client, pam).get("/api/v1/partners")) == ["Northwind Traders"]


def test_the_program_admin_sees_every_partner(client, victor, northwind, tailspin):
    names_seen = names(as_user(client, victor).get("/api/v1/partners"))
    assert names_seen == ["Northwind Traders", "Tailspin Toys"]


def test_another_partner_is_404(client, charlie, northwind):
    response = as_user(client, charlie).get(f"/api/v1/partners/{northwind.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_partner_detail_shows_locations_pdm_and_certifications(client, alice, northwind):
    CertificationFactory.create(organization=northwind, name="Sales Professional")
    body = as_user(client, alice).get(f"/api/v1/partners/{northwind.pk}").json()
    assert {location["country"] for location in body["locations"]} == {"US", "JP"}
    assert body["pdm"]["email"] == "pam@contoso.example"
    assert [c["name"] for c in body["certifications"]] == ["Sales Professional"]


def test_partner_list_makes_a_fixed_number_of_queries(
    client, victor, django_assert_max_num_queries
):
    from openprm.accounts.tests.factories import LocationFactory, PartnerFactory

    for _ in range(15):
        LocationFactory.create_batch(2, organization=PartnerFactory.create())
    as_user(client, victor)
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/partners?limit=50")
    assert response.json()["count"] == 15


def test_partner_detail_makes_a_fixed_number_of_queries(
    client, victor, northwind, django_assert_max_num_queries
):
    CertificationFactory.create_batch(3, organization=northwind)
    as_user(client, victor)
    with django_assert_max_num_queries(7):
        assert client.get(f"/api/v1/partners/{northwind.pk}").status_code == 200


# --- customers ---------------------------------------------------------------------------------

NEW_CUSTOMER = {"name": "Wingtip Toys", "country": "SG", "currency": "SGD", "duns": "555666777"}


def test_program_admin_creates_a_customer_with_its_market(client, victor):
    response = as_user(client, victor).post("/api/v1/customers", NEW_CUSTOMER, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert (body["market_type"], body["currency"]) == ("growth", "SGD")
    assert response["ETag"] == f'"{body["id"]}.1"'


def test_a_partner_cannot_create_customers(client, alice):
    response = as_user(client, alice).post("/api/v1/customers", NEW_CUSTOMER, content_type=JSON)
    assert response.status_code == 403
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duns": "12345"}, "duns"),
        ({"country": "QQ"}, "country"),
        ({"currency": "QQQ"}, "currency"),
    ],
)
def test_bad_customer_fields_are_named(client, victor, change, field):
    response = as_user(client, victor).post(
        "/api/v1/customers", {**NEW_CUSTOMER, **change}, content_type=JSON
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_duplicate_duns_is_a_422_on_duns(client, victor):
    CustomerFactory.create(duns="555666777")
    response = as_user(client, victor).post("/api/v1/customers", NEW_CUSTOMER, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "duns"


def test_customer_update_honours_if_match(client, victor):
    customer = CustomerFactory.create(name="Old name")
    as_user(client, victor)
    url = f"/api/v1/customers/{customer.pk}"
    etag = client.get(url)["ETag"]
    ok = client.patch(url, {"name": "New name"}, content_type=JSON, HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert ok.json()["name"] == "New name"
    assert ok["ETag"] != etag
    stale = client.patch(url, {"name": "Lost update"}, content_type=JSON, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Customer.objects.get(pk=customer.pk).name == "New name"


# --- contacts ----------------------------------------------------------------------------------


def test_partner_creates_reads_updates_and_deletes_a_contact(client, alice):
    customer = CustomerFactory.create()
    as_user(client, alice)
    created = client.post(
        "/api/v1/contacts",
        {"first_name": "Yuki", "last_name": "Tanaka", "email": "yuki@example.jp",
         "customer": customer.pk},
        content_type=JSON,
    )  # fmt: skip
    assert created.status_code == 201
    url = f"/api/v1/contacts/{created.json()['id']}"
    assert client.get(url).json()["customer"]["id"] == customer.pk
    updated = client.patch(
        url, {"job_title": "CIO"}, content_type=JSON, HTTP_IF_MATCH=created["ETag"]
    )
    assert (updated.status_code, updated.json()["version"]) == (200, 2)
    assert client.delete(url, HTTP_IF_MATCH=updated["ETag"]).status_code == 204
    assert client.get(url).status_code == 404


def test_stale_contact_update_is_412_and_changes_nothing(client, alice, northwind):
    contact = ContactFactory.create(organization=northwind, job_title="CTO")
    as_user(client, alice)
    url = f"/api/v1/contacts/{contact.pk}"
    etag = client.get(url)["ETag"]
    client.patch(url, {"job_title": "CIO"}, content_type=JSON, HTTP_IF_MATCH=etag)
    stale = client.patch(url, {"job_title": "CEO"}, content_type=JSON, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert Contact.objects.get(pk=contact.pk).job_title == "CIO"


def test_stale_contact_delete_is_412(client, alice, northwind):
    contact = ContactFactory.create(organization=northwind)
    response = as_user(client, alice).delete(
        f"/api/v1/contacts/{contact.pk}", HTTP_IF_MATCH=f'"{contact.pk}.9"'
    )
    assert response.status_code == 412
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_other_partners_contact_is_404_for_read_update_and_delete(client, charlie, northwind):
    contact = ContactFactory.create(organization=northwind)
    as_user(client, charlie)
    url = f"/api/v1/contacts/{contact.pk}"
    assert client.get(url).status_code == 404
    assert client.patch(url, {"job_title": "x"}, content_type=JSON).status_code == 404
    assert client.delete(url).status_code == 404
    assert Contact.objects.get(pk=contact.pk).job_title == contact.job_title


def test_contact_list_shows_only_the_partners_own_contacts(client, bob, northwind, tailspin):
    ContactFactory.create(organization=northwind, first_name="Mine")
    ContactFactory.create(organization=tailspin, first_name="Theirs")
    body = as_user(client, bob).get("/api/v1/contacts").json()
    assert [item["first_name"] for item in body["items"]] == ["Mine"]


def test_contact_search_by_name_in_japanese(client, alice, northwind):
    ContactFactory.create(organization=northwind, first_name="さくら", last_name="山田")
    ContactFactory.create(organization=northwind, first_name="John", last_name="Smith")
    body = as_user(client, alice).get("/api/v1/contacts", {"q": "山田"}).json()
    assert [item["last_name"] for item in body["items"]] == ["山田"]


def test_pdm_reads_assigned_partners_contacts_but_cannot_change_them(client, pam, northwind):
    contact = ContactFactory.create(organization=northwind)
    as_user(client, pam)
    read = client.get(f"/api/v1/contacts/{contact.pk}")
    assert (read.status_code, read.json()["email"]) == (200, contact.email)
    response = client.patch(f"/api/v1/contacts/{contact.pk}", {"job_title": "x"}, content_type=JSON)
    assert_api_error(response, 403, "forbidden")
    assert Contact.objects.get(pk=contact.pk).job_title == contact.job_title
    created = client.post("/api/v1/contacts", {"first_name": "A"}, content_type=JSON)
    assert_api_error(created, 403, "forbidden")
    assert list(Contact.objects.all()) == [contact]


def test_pdm_does_not_see_other_partners_contacts(client, pam, tailspin):
    contact = ContactFactory.create(organization=tailspin)
    assert_not_found(as_user(client, pam).get(f"/api/v1/contacts/{contact.pk}"), contact.email)


def test_program_admin_sees_every_partners_contacts(client, victor, northwind, tailspin):
    ContactFactory.create(organization=northwind)
    ContactFactory.create(organization=tailspin)
    assert as_user(client, victor).get("/api/v1/contacts").json()["count"] == 2


def test_contact_with_unknown_customer_is_a_field_error(client, alice):
    response = as_user(client, alice).post(
        "/api/v1/contacts", {"first_name": "A", "customer": 999_999}, content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customer"


def test_a_retried_contact_create_returns_the_first_response_and_creates_one_row(client, alice):
    headers = {**bearer(client, alice), "HTTP_IDEMPOTENCY_KEY": "create-contact-1"}
    payload = {"first_name": "Somchai", "last_name": "ใจดี"}
    first = client.post("/api/v1/contacts", payload, content_type=JSON, **headers)
    retry = client.post("/api/v1/contacts", payload, content_type=JSON, **headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Contact.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_a_422(client, alice):
    headers = {**bearer(client, alice), "HTTP_IDEMPOTENCY_KEY": "create-contact-2"}
    client.post("/api/v1/contacts", {"first_name": "One"}, content_type=JSON, **headers)
    other = client.post("/api/v1/contacts", {"first_name": "Two"}, content_type=JSON, **headers)
    assert other.status_code == 422
    assert other.json()["code"] == "key_reused"
    assert Contact.objects.count() == 1


def test_contact_list_makes_a_fixed_number_of_queries(
    client, alice, northwind, django_assert_max_num_queries
):
    ContactFactory.create_batch(25, organization=northwind)
    as_user(client, alice)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/contacts?limit=50").json()["count"] == 25


def test_contact_detail_makes_a_fixed_number_of_queries(
    client, alice, northwind, django_assert_max_num_queries
):
    contact = ContactFactory.create(organization=northwind)
    as_user(client, alice)
    with django_assert_max_num_queries(5):
        assert client.get(f"/api/v1/contacts/{contact.pk}").status_code == 200


def test_unknown_fields_in_a_contact_are_refused(client, alice):
    response = as_user(client, alice).post(
        "/api/v1/contacts", {"first_name": "A", "organization": 1}, content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "organization"


# --- products ----------------------------------------------------------------------------------


def test_products_lists_active_products(client, charlie):
    ProductFactory.create(name="CRM Suite")
    ProductFactory.create(name="Legacy", is_active=False)
    assert names(as_user(client, charlie).get("/api/v1/products")) == ["CRM Suite"]


def test_the_api_requires_authentication(client):
    assert_api_error(client.get("/api/v1/customers"), 401, "unauthenticated")
