"""Finding one's way to deals (issue 15): "New deal" on the list, the customer chosen from
the directory, and a search over the list."""

import pytest
from django.urls import reverse

from openprm.crm.tests.factories import CustomerFactory
from openprm.deals.tests.factories import create_deal

pytestmark = pytest.mark.django_db


def test_shared_deals_has_a_new_deal_button_for_the_partner(client, alice):
    client.force_login(alice)
    html = client.get(reverse("deals:list")).content.decode()
    assert f'href="{reverse("deals:create")}">New deal</a>' in html


def test_the_vendor_list_has_no_new_deal_button(client, sam):
    client.force_login(sam)
    html = client.get(reverse("deals:vendor-list")).content.decode()
    assert f'href="{reverse("deals:create")}"' not in html


def test_new_deal_asks_for_the_customer_first(client, alice):
    client.force_login(alice)
    response = client.get(reverse("deals:create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="h3 mb-3">New deal</h1>' in html
    assert 'id="customer-search"' in html
    assert "Customers found" not in html


def test_new_deal_finds_the_customer_in_the_directory_and_links_to_the_deal_step(
    client, alice, customer
):
    CustomerFactory.create(name="Umeda Logistics")
    client.force_login(alice)
    html = client.get(reverse("deals:create"), {"q": "sakura"}).content.decode()
    assert "Sakura Foods" in html
    assert "Umeda Logistics" not in html
    assert f'href="{reverse("deals:create")}?customer={customer.pk}"' in html


def test_new_deal_says_when_no_customer_matches(client, alice, customer):
    client.force_login(alice)
    html = client.get(reverse("deals:create"), {"q": "nobody-like-this"}).content.decode()
    assert "No customer in the directory matches." in html


def test_the_chosen_customer_opens_the_deal_step(client, alice, customer):
    client.force_login(alice)
    html = client.get(reverse("deals:create"), {"customer": customer.pk}).content.decode()
    assert "Sakura Foods" in html
    assert "Deal name" in html
    assert "Next" in html


def test_the_deal_list_finds_deals_by_deal_or_customer_name(client, alice, customer):
    other = CustomerFactory.create(name="Umeda Logistics")
    create_deal(actor=alice, customer=customer, name="Cloud rollout")
    create_deal(actor=alice, customer=other, name="Warehouse pilot")
    client.force_login(alice)
    by_customer = client.get(reverse("deals:list"), {"q": "SAKURA"}).content.decode()
    assert "Cloud rollout" in by_customer
    assert "Warehouse pilot" not in by_customer
    by_deal = client.get(reverse("deals:list"), {"q": "pilot"}).content.decode()
    assert "Warehouse pilot" in by_deal
    assert "Cloud rollout" not in by_deal
    assert 'value="pilot"' in by_deal


def test_a_search_without_match_says_so(client, alice, customer):
    create_deal(actor=alice, customer=customer, name="Cloud rollout")
    client.force_login(alice)
    html = client.get(reverse("deals:list"), {"q": "zzz"}).content.decode()
    assert "No shared deal matches the search." in html


def test_the_search_finds_no_other_partners_deal(client, alice, charlie, customer):
    create_deal(actor=charlie, customer=customer, name="Tailspin secret deal")
    client.force_login(alice)
    html = client.get(reverse("deals:list"), {"q": "secret"}).content.decode()
    assert "Tailspin secret deal" not in html
