"""Customer, contact and partner pages, and the admin as the program admin's configuration."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from openprm.core.testing import assert_not_found
from openprm.crm.models import Contact, CustomerNote
from openprm.crm.tests.factories import (
    CertificationFactory,
    ContactFactory,
    CustomerFactory,
    CustomerNoteFactory,
    OpportunityFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def test_customers_page_searches_by_name_country_and_duns(client, alice):
    CustomerFactory.create(name="株式会社さくら", country="JP", duns="123123123")
    CustomerFactory.create(name="Sakura Foods", country="US")
    as_user(client, alice)
    by_name = client.get(reverse("crm:customers"), {"q": "さくら"}).content.decode()
    assert "株式会社さくら" in by_name
    assert "Sakura Foods" not in by_name
    by_country = client.get(reverse("crm:customers"), {"country": "US"}).content.decode()
    assert "Sakura Foods" in by_country
    assert "株式会社さくら" not in by_country
    by_duns = client.get(reverse("crm:customers"), {"duns": "123123123"}).content.decode()
    assert "株式会社さくら" in by_duns
    assert "Sakura Foods" not in by_duns


def test_another_partner_finds_a_thai_customer_by_name_and_country(client, charlie):
    CustomerFactory.create(name="บริษัท ไทยซอฟต์ จำกัด", country="TH")
    CustomerFactory.create(name="ไทยซอฟต์ Japan", country="JP")
    html = (
        as_user(client, charlie)
        .get(reverse("crm:customers"), {"q": "ไทยซอฟต์", "country": "TH"})
        .content.decode()
    )
    assert "บริษัท ไทยซอฟต์ จำกัด" in html
    assert "ไทยซอฟต์ Japan" not in html


def test_a_search_that_cannot_be_read_finds_nothing_and_says_why(client, alice):
    CustomerFactory.create(name="Sakura Foods", country="US")
    response = as_user(client, alice).get(
        reverse("crm:customers"), {"q": "sakura", "country": "QQ"}
    )
    html = response.content.decode()
    assert "Sakura Foods" not in html
    assert "No customers match this search." in html
    assert "invalid-feedback" in html


def test_the_customer_page_reveals_no_other_partners_relationships(client, charlie, northwind):
    customer = CustomerFactory.create(name="Contoso Pharma")
    OpportunityFactory.create(organization=northwind, customer=customer, name="Pharma rollout")
    SubscriptionFactory.create(customer=customer, managing_partners=[northwind])
    ContactFactory.create(organization=northwind, customer=customer, first_name="Ours")
    html = as_user(client, charlie).get(reverse("crm:customer-detail", args=[customer.pk]))
    text = html.content.decode()
    assert "Contoso Pharma" in text
    for secret in ("Northwind", "Pharma rollout", "Ours"):
        assert secret not in text


def test_a_missing_customer_page_is_404(client, alice):
    assert_not_found(as_user(client, alice).get(reverse("crm:customer-detail", args=[99_999])))


def test_customer_page_shows_this_partners_contacts_and_notes_only(
    client, alice, northwind, tailspin
):
    customer = CustomerFactory.create(name="Contoso Pharma")
    ContactFactory.create(organization=northwind, customer=customer, first_name="Ours")
    ContactFactory.create(organization=tailspin, customer=customer, first_name="Theirs")
    CustomerNoteFactory.create(organization=northwind, customer=customer, body="Our renewal plan")
    CustomerNoteFactory.create(organization=tailspin, customer=customer, body="Their secret plan")
    page = as_user(client, alice).get(reverse("crm:customer-detail", args=[customer.pk]))
    html = page.content.decode()
    assert "Ours" in html
    assert "Our renewal plan" in html
    assert "Theirs" not in html
    assert "Their secret plan" not in html


def test_a_partner_adds_a_note_to_a_customer(client, alice, northwind):
    customer = CustomerFactory.create()
    url = reverse("crm:customer-note-add", args=[customer.pk])
    response = as_user(client, alice).post(url, {"body": "Met the CIO"}, follow=True)
    assert "Met the CIO" in response.content.decode()
    assert CustomerNote.objects.get().organization == northwind


def test_contacts_page_lists_and_searches_own_contacts(client, alice, northwind, tailspin):
    ContactFactory.create(organization=northwind, first_name="Hanako", last_name="Suzuki")
    ContactFactory.create(organization=northwind, first_name="Pat", last_name="Lee")
    ContactFactory.create(organization=tailspin, first_name="Niran", last_name="Chai")
    html = as_user(client, alice).get(reverse("crm:contacts"), {"q": "suzuki"}).content.decode()
    assert "Hanako Suzuki" in html
    assert "Pat Lee" not in html
    assert "Niran" not in html


def test_other_partners_contact_page_is_404(client, charlie, northwind):
    contact = ContactFactory.create(organization=northwind)
    as_user(client, charlie)
    for name in ("crm:contact-detail", "crm:contact-edit"):
        response = client.get(reverse(name, args=[contact.pk]))
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()
    assert client.post(reverse("crm:contact-delete", args=[contact.pk])).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_partner_creates_a_contact_through_the_form(client, alice, northwind):
    customer = CustomerFactory.create()
    response = as_user(client, alice).post(
        reverse("crm:contact-create"),
        {"first_name": "Mei", "last_name": "Lin", "email": "mei@example.tw",
         "customer": customer.pk},
        follow=True,
    )  # fmt: skip
    contact = Contact.objects.get()
    assert (contact.organization, contact.customer, contact.owner) == (northwind, customer, alice)
    assert "Mei Lin" in response.content.decode()


def test_editing_a_stale_contact_shows_an_error_and_keeps_the_newer_data(client, alice, northwind):
    contact = ContactFactory.create(organization=northwind, first_name="Ken")
    Contact.objects.filter(pk=contact.pk).update(version=2, first_name="Kenji")
    response = as_user(client, alice).post(
        reverse("crm:contact-edit", args=[contact.pk]), {"first_name": "Kenta", "version": 1}
    )
    assert response.status_code == 200
    assert "changed this contact" in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).first_name == "Kenji"


def test_partners_pages_are_for_vendor_staff_only(client, alice, northwind, tailspin):
    as_user(client, alice)
    assert_not_found(client.get(reverse("crm:partners")), tailspin.name)
    detail = client.get(reverse("crm:partner-detail", args=[northwind.pk]))
    assert_not_found(detail, northwind.pdm.full_name)


def test_partner_detail_shows_locations_pdm_and_certifications(client, pam, northwind):
    CertificationFactory.create(organization=northwind, name="Sales Professional")
    CertificationFactory.create(
        organization=northwind,
        certified_on=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 1, 1),
    )
    html = as_user(client, pam).get(reverse("crm:partner-detail", args=[northwind.pk]))
    text = html.content.decode()
    assert "Tokyo" in text
    assert "Seattle" in text
    assert "pam@contoso.example" in text
    assert "Sales Professional" in text
    assert "Valid</span>" in text
    assert "Expired</span>" in text


def test_pdm_does_not_see_unassigned_partners(client, pam, tailspin):
    as_user(client, pam)
    assert "Tailspin" not in client.get(reverse("crm:partners")).content.decode()
    assert client.get(reverse("crm:partner-detail", args=[tailspin.pk])).status_code == 404


def test_navigation_offers_customers_and_contacts_to_partners(client, alice):
    html = as_user(client, alice).get(reverse("crm:customers")).content.decode()
    assert reverse("crm:contacts") in html


def test_customer_list_page_makes_a_fixed_number_of_queries(
    client, alice, django_assert_max_num_queries
):
    CustomerFactory.create_batch(30)
    as_user(client, alice)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("crm:customers")).status_code == 200


def test_customer_page_makes_a_fixed_number_of_queries(
    client, alice, northwind, django_assert_max_num_queries
):
    customer = CustomerFactory.create()
    ContactFactory.create_batch(10, organization=northwind, customer=customer)
    CustomerNoteFactory.create_batch(10, organization=northwind, customer=customer)
    as_user(client, alice)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("crm:customer-detail", args=[customer.pk])).status_code == 200


def test_contact_list_page_makes_a_fixed_number_of_queries(
    client, alice, northwind, django_assert_max_num_queries
):
    ContactFactory.create_batch(30, organization=northwind)
    as_user(client, alice)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("crm:contacts")).status_code == 200


def test_contact_page_makes_a_fixed_number_of_queries(
    client, alice, northwind, django_assert_max_num_queries
):
    contact = ContactFactory.create(organization=northwind)
    as_user(client, alice)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("crm:contact-detail", args=[contact.pk])).status_code == 200


def test_only_the_program_admin_reaches_the_admin(client, victor, pam, alice):
    assert as_user(client, victor).get("/admin/crm/market/").status_code == 200
    assert client.get("/admin/crm/customer/add/").status_code == 200
    for user in (pam, alice):
        response = as_user(client, user).get("/admin/crm/market/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_program_admin_edits_a_customer_in_the_admin_and_the_market_follows(client, victor):
    customer = CustomerFactory.create(country="US", currency_id="USD", duns="")
    as_user(client, victor).post(
        f"/admin/crm/customer/{customer.pk}/change/",
        {"name": customer.name, "country": "IN", "currency": "INR", "duns": "",
         "domain": "", "address": "", "city": "", "postal_code": ""},
    )  # fmt: skip
    customer.refresh_from_db()
    assert (str(customer.country), customer.market_type, customer.version) == ("IN", "growth", 2)
