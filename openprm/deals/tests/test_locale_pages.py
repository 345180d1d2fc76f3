"""A deal and its customer as a partner in Tokyo reads them: yen without decimals, the Japanese
date style, the country and the currency named in Japanese, and in Thai (issue 15)."""

import datetime

import pytest
from django.urls import reverse

from openprm.crm.tests.factories import CustomerFactory, currency
from openprm.deals.tests.factories import create_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_japanese(alice):
    alice.language = "ja"
    alice.save(update_fields=["language"])
    return alice


@pytest.fixture
def yen_deal(alice):
    customer = CustomerFactory.create(country="JP", currency=currency("JPY"))
    return create_deal(
        actor=alice,
        customer=customer,
        currency=currency("JPY"),
        amount_minor=3_385_000,
        mrr_minor=282_000,
        close_date=datetime.date(2026, 12, 15),
    )


def test_a_yen_deal_shows_its_amount_without_decimals_in_japanese(client, in_japanese, yen_deal):
    client.force_login(in_japanese)
    page = client.get(reverse("deals:detail", args=[yen_deal.pk])).content.decode()
    assert "￥3,385,000" in page
    assert "￥282,000" in page
    assert "2026/12/15" in page


def test_the_deals_list_shows_the_same_money_as_the_deal(client, in_japanese, yen_deal):
    client.force_login(in_japanese)
    page = client.get(reverse("deals:list")).content.decode()
    assert "￥3,385,000" in page


def test_the_customer_shows_its_country_and_currency_in_japanese(client, in_japanese, yen_deal):
    client.force_login(in_japanese)
    customer = yen_deal.opportunity.customer
    page = client.get(reverse("crm:customer-detail", args=[customer.pk])).content.decode()
    assert '<dd class="col-sm-9">日本</dd>' in page
    assert '<dd class="col-sm-9">日本円 (JPY)</dd>' in page


def test_the_customer_shows_its_country_in_thai_too(client, alice, yen_deal):
    """django-countries has no Thai names; Babel's are used on every page."""
    alice.language = "th"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    customer = yen_deal.opportunity.customer
    page = client.get(reverse("crm:customer-detail", args=[customer.pk])).content.decode()
    assert '<dd class="col-sm-9">ญี่ปุ่น</dd>' in page
