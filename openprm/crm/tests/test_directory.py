"""The customer directory: found by any partner in any script, showing no one's relationships."""

import pytest
from django.test import Client

from openprm.crm import selectors
from openprm.crm.tests.factories import (
    ContactFactory,
    CustomerFactory,
    OpportunityFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

DIRECTORY_KEYS = {
    "id", "name", "domain", "address", "city", "postal_code", "country", "duns",
    "market_type", "currency", "vendor_crm_id", "version",
}  # fmt: skip


def names(queryset) -> set[str]:
    return {customer.name for customer in queryset}


def test_japanese_name_is_found_by_a_part_of_it(alice):
    CustomerFactory.create(name="株式会社さくら", country="JP")
    CustomerFactory.create(name="株式会社もみじ", country="JP")
    assert names(selectors.customer_search(user=alice, q="さくら")) == {"株式会社さくら"}


def test_thai_name_is_found_by_a_part_of_it(charlie):
    CustomerFactory.create(name="บริษัท ไทยซอฟต์", country="TH")
    CustomerFactory.create(name="บริษัท สยามคลาวด์", country="TH")
    assert names(selectors.customer_search(user=charlie, q="ไทยซอฟต์")) == {"บริษัท ไทยซอฟต์"}


def test_latin_with_diacritics_is_found_in_any_case(alice):
    CustomerFactory.create(name="Ärzte Zentrum Berlin", country="DE")
    assert names(selectors.customer_search(user=alice, q="ärzte")) == {"Ärzte Zentrum Berlin"}
    assert names(selectors.customer_search(user=alice, q="ÄRZTE")) == {"Ärzte Zentrum Berlin"}


def test_full_width_letters_meet_their_ascii_form(alice):
    CustomerFactory.create(name="ＡＢＣ商事", country="JP")
    assert names(selectors.customer_search(user=alice, q="abc")) == {"ＡＢＣ商事"}


def test_search_narrows_by_country(alice):
    CustomerFactory.create(name="Globex Japan", country="JP")
    CustomerFactory.create(name="Globex Thailand", country="TH")
    found = selectors.customer_search(user=alice, q="globex", country="th")
    assert names(found) == {"Globex Thailand"}


def test_search_by_duns_finds_exactly_that_entity(alice):
    CustomerFactory.create(name="Initech", duns="123456789")
    CustomerFactory.create(name="Initrode", duns="987654321")
    assert names(selectors.customer_search(user=alice, duns="123456789")) == {"Initech"}


def test_duns_typed_in_full_width_digits_is_found(alice):
    CustomerFactory.create(name="Initech", duns="123456789")
    full_width = "".join(chr(ord(digit) + 0xFEE0) for digit in "123456789")
    assert names(selectors.customer_search(user=alice, duns=full_width)) == {"Initech"}


def test_anonymous_users_find_nothing():
    from django.contrib.auth.models import AnonymousUser

    CustomerFactory.create()
    assert not selectors.customer_search(user=AnonymousUser()).exists()


def test_api_search_in_japanese_through_the_query_string(client: Client, alice):
    CustomerFactory.create(name="株式会社さくら", country="JP")
    client.force_login(alice)
    body = client.get("/api/v1/customers", {"q": "さくら", "country": "JP"}).json()
    assert [item["name"] for item in body["items"]] == ["株式会社さくら"]


def test_directory_entries_show_no_relationships(client: Client, charlie, northwind):
    customer = CustomerFactory.create(name="Contoso Pharma")
    OpportunityFactory.create(organization=northwind, customer=customer)
    ContactFactory.create(organization=northwind, customer=customer)
    SubscriptionFactory.create(customer=customer, managing_partners=[northwind])
    client.force_login(charlie)
    listed = client.get("/api/v1/customers", {"q": "contoso"}).json()["items"][0]
    detail = client.get(f"/api/v1/customers/{customer.pk}").json()
    assert set(listed) == set(detail) == DIRECTORY_KEYS
    assert "Northwind" not in str(detail)


def test_customer_list_makes_a_fixed_number_of_queries(
    client: Client, alice, django_assert_max_num_queries
):
    CustomerFactory.create_batch(30)
    client.force_login(alice)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/customers?limit=30")
    assert response.json()["count"] == 30


def test_customer_detail_makes_a_fixed_number_of_queries(
    client: Client, alice, django_assert_max_num_queries
):
    customer = CustomerFactory.create()
    client.force_login(alice)
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/customers/{customer.pk}")
    assert response.status_code == 200
    assert response["ETag"] == f'"{customer.pk}.1"'


def test_every_partner_finds_a_customer_by_duns_through_the_api(
    client: Client, alice, bob, charlie
):
    CustomerFactory.create(name="บริษัท สยามคลาวด์", country="TH", duns="246813579")
    CustomerFactory.create(name="Other", country="TH", duns="135792468")
    for user in (alice, bob, charlie):
        client.force_login(user)
        body = client.get("/api/v1/customers", {"duns": "246813579"}).json()
        assert [item["name"] for item in body["items"]] == ["บริษัท สยามคลาวด์"], user.email


def test_api_search_by_thai_name_and_country(client: Client, bob):
    CustomerFactory.create(name="บริษัท สยามคลาวด์", country="TH")
    CustomerFactory.create(name="สยามคลาวด์ USA", country="US")
    client.force_login(bob)
    body = client.get("/api/v1/customers", {"q": "สยามคลาวด์", "country": "TH"}).json()
    assert [item["name"] for item in body["items"]] == ["บริษัท สยามคลาวด์"]


def test_the_customer_list_names_the_countries_in_thai(client, alice):
    alice.language = "th"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    page = client.get("/customers/").content.decode()
    assert '<option value="JP">ญี่ปุ่น</option>' in page
