"""Partner > Tier: the partner's own points from the ledger, tier performance, the calculator."""

import pytest
from django.urls import reverse
from django.utils import timezone

from openprm.core.testing import assert_not_found
from openprm.points.ledger import services
from openprm.points.models import CauseKind
from openprm.points.tests.factories import (
    CertificationFactory,
    SubscriptionFactory,
    WonOpportunityFactory,
)

pytestmark = pytest.mark.django_db

TIER_URL = "/tier/"


@pytest.fixture
def northwind_points(northwind, tailspin):
    """Northwind: 100 sold + 80 managed points, certified: Gold. Tailspin has far more."""
    services.sale_post(
        opportunity=WonOpportunityFactory.create(organization=northwind, mrr_minor=2000_00)
    )
    subscription = SubscriptionFactory.create(mrr_minor=8000_00, managing_partners=[northwind])
    services.subscription_managed_sync(
        subscription=subscription,
        on=timezone.localdate(),
        cause_kind=CauseKind.MANAGEMENT_CHANGE,
    )
    services.sale_post(
        opportunity=WonOpportunityFactory.create(organization=tailspin, mrr_minor=99_000_00)
    )
    CertificationFactory.create(organization=northwind)


def test_the_tier_url_is_named_for_the_navigation():
    assert reverse("points:tier") == TIER_URL


def test_the_tier_page_shows_points_from_the_ledger_and_the_tier_they_earn(
    client, alice, northwind_points
):
    client.force_login(alice)
    response = client.get(TIER_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="total-points">180.00<' in page
    assert 'data-testid="sold-points">100.00<' in page
    assert 'data-testid="managed-points">80.00<' in page
    assert 'data-testid="tier-performance">Gold<' in page
    assert "Points to the next tier (Platinum)" in page
    assert 'data-testid="total-needed">220.00<' in page
    assert ">Tier</a>" in page  # the navigation entry appears once the page exists


def test_without_a_valid_certification_there_is_no_tier(client, charlie, northwind_points):
    client.force_login(charlie)
    page = client.get(TIER_URL).content.decode()
    assert 'data-testid="total-points">4,950.00<' in page
    assert 'data-testid="tier-performance">No tier<' in page
    assert "No tier without a valid partner certification." in page


def test_the_calculator_form_shows_the_estimate(client, alice):
    client.force_login(alice)
    response = client.get(
        TIER_URL,
        {
            "calc-mrr": "3400",
            "calc-source": "sourced",
            "calc-country": "TH",
            "calc-currency": "THB",
            "calc-will_manage": "on",
            "calc-other_managing_partners": "1",
        },
    )
    page = response.content.decode()
    assert ">Calculate</button>" in page
    assert 'data-testid="estimate-total">11.00<' in page
    assert 'data-testid="estimate-sold">10.00<' in page
    assert 'data-testid="estimate-managed">1.00<' in page


def test_the_calculator_form_explains_bad_input(client, alice):
    client.force_login(alice)
    response = client.get(
        TIER_URL,
        {
            "calc-mrr": "-5",
            "calc-source": "sourced",
            "calc-country": "US",
            "calc-currency": "USD",
            "calc-other_managing_partners": "-1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "estimate-total" not in page
    assert page.count("invalid-feedback") == 2


def test_the_currency_tab_converts_points_to_money(client, alice):
    client.force_login(alice)
    response = client.get(
        TIER_URL,
        {
            "conv-direction": "points_to_money",
            "conv-country": "DE",
            "conv-currency": "EUR",
            "conv-source": "sourced",
            "conv-sold": "5",
            "conv-managed": "0",
        },
    )
    assert 'data-testid="sold-value">€88.00<' in response.content.decode()


def test_every_calculator_input_has_a_label(client, alice):
    client.force_login(alice)
    page = client.get(TIER_URL).content.decode()
    for field in ["mrr", "source", "country", "currency", "will_manage", "other_managing_partners"]:
        assert f'for="id_calc-{field}"' in page


def test_vendor_staff_get_404_on_the_partner_tier_page(client, victor):
    client.force_login(victor)
    assert_not_found(client.get(TIER_URL))


def test_the_tier_page_needs_a_sign_in(client):
    response = client.get(TIER_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_tier_page_reads_in_a_fixed_number_of_queries(
    client, alice, northwind_points, django_assert_max_num_queries
):
    client.force_login(alice)
    with django_assert_max_num_queries(18):
        assert client.get(TIER_URL).status_code == 200
