"""Feature apps add cards to the customer and contact pages through openprm.crm.cards, so crm
needs to know none of them."""

import pytest
from django.urls import reverse
from django.utils.html import format_html

from openprm.crm import cards
from openprm.crm.tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """An empty registry of cards for one test, so the deals app's card stays out of it."""
    monkeypatch.setattr(cards, "_cards", {"customer": [], "contact": []})


def as_user(client, user):
    client.force_login(user)
    return client


def test_a_registered_card_shows_on_the_customer_page(client, alice, registry):
    cards.record_card("customer")(
        lambda request, customer: format_html("<p>Card of {}</p>", customer.name)
    )
    customer = CustomerFactory.create(name="Contoso Pharma")
    html = as_user(client, alice).get(reverse("crm:customer-detail", args=[customer.pk]))
    assert "<p>Card of Contoso Pharma</p>" in html.content.decode()


def test_a_registered_card_shows_on_the_contact_page(client, alice, northwind, registry):
    cards.record_card("contact")(
        lambda request, contact: format_html("<p>Card of {}</p>", contact.first_name)
    )
    contact = ContactFactory.create(organization=northwind, first_name="Yuki")
    html = as_user(client, alice).get(reverse("crm:contact-detail", args=[contact.pk]))
    assert "<p>Card of Yuki</p>" in html.content.decode()


def test_a_card_that_renders_nothing_leaves_no_trace(rf, alice, registry):
    cards.record_card("customer")(lambda request, customer: "")
    request = rf.get("/")
    request.user = alice
    assert cards.record_cards(request=request, record="customer", obj=None) == []


def test_cards_show_in_the_order_they_were_registered_and_once_each(rf, alice, registry):
    def first(request, record):
        return "first"

    def second(request, record):
        return "second"

    for renderer in (first, second, first):
        cards.record_card("customer")(renderer)
    request = rf.get("/")
    request.user = alice
    assert cards.record_cards(request=request, record="customer", obj=None) == ["first", "second"]
