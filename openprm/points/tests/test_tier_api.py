"""/api/v1/tiers with the partner's figures, /tiers/path, /points/breakdown and
/points/customers/{id}, as clients see them."""

import datetime

import pytest

from openprm.core.testing import assert_api_error, assert_not_found
from openprm.crm.models import OpportunityState
from openprm.points.tests.factories import (
    CustomerFactory,
    WonOpportunityFactory,
    sell,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def today(on_10_november):
    """Every test runs on 10 November 2026."""


def get(client, user, url, **query):
    client.force_login(user)
    return client.get(url, query)


def test_tiers_give_a_partner_its_credited_tier_performance_and_history(client, alice, gold):
    body = get(client, alice, "/api/v1/tiers").json()
    assert [t["name"] for t in body["tiers"]] == ["Gold", "Platinum", "Diamond", "Elite"]
    assert body["evaluation_interval_months"] == 1
    partner = body["partner"]
    assert partner["credited_tier"] == "Gold"
    assert partner["performance_tier"] == "Gold"
    assert (partner["sourced_points"], partner["assisted_points"]) == ("100.00", "30.00")
    assert partner["to_next_tier"] == {"total": "70.00", "sold": "0.00", "managed": "0.00"}
    assert partner["next_tier_threshold"] == "400"
    assert [(h["from_tier"], h["to_tier"], h["reason"]) for h in body["history"]] == [
        ("", "Gold", "promotion")
    ]


def test_tiers_without_a_partner_give_vendor_staff_the_definitions_only(client, victor, gold):
    body = get(client, victor, "/api/v1/tiers").json()
    assert body["partner"] is None
    assert body["history"] == []


def test_the_program_admin_reads_any_partners_tier(client, victor, gold):
    body = get(client, victor, "/api/v1/tiers", partner=gold.pk).json()
    assert body["partner"]["credited_tier"] == "Gold"


def test_a_pdm_gets_404_for_a_partner_they_do_not_look_after(client, pam, tailspin):
    assert_not_found(get(client, pam, "/api/v1/tiers", partner=tailspin.pk))


def test_a_partner_asking_for_another_partners_tier_gets_404(client, alice, tailspin):
    assert_not_found(get(client, alice, "/api/v1/tiers", partner=tailspin.pk))


def test_the_path_names_the_opportunities_that_would_lift_the_partner(client, alice, gold):
    lift = WonOpportunityFactory.create(
        organization=gold, mrr_minor=1600_00, state=OpportunityState.OPEN, closed_on=None
    )
    body = get(client, alice, "/api/v1/tiers/path").json()
    assert body["partner"]["next_tier"] == "Platinum"
    [row] = body["opportunities"]
    assert (row["opportunity_id"], row["estimated_points"], row["lifts_alone"]) == (
        lift.pk,
        "80.00",
        True,
    )
    assert body["expiring_total"] == "100.00"
    assert body["expiring"][0]["expires_on"] == "2026-12-01"
    assert body["drops_credited_tier"] is False


def test_the_path_asks_vendor_staff_to_name_a_partner(client, victor):
    response = get(client, victor, "/api/v1/tiers/path")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "partner"


def test_the_breakdown_is_paginated_and_filtered(client, alice, northwind):
    growth = CustomerFactory.create(country="TH", market_type="growth")
    for customer in [growth, CustomerFactory.create(), CustomerFactory.create()]:
        sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 6, 1), customer=customer)
    page = get(client, alice, "/api/v1/points/breakdown", limit=2).json()
    assert page["count"] == 3
    assert len(page["items"]) == 2
    growth_only = get(client, alice, "/api/v1/points/breakdown", market_type="growth").json()
    assert [item["customer"]["id"] for item in growth_only["items"]] == [growth.pk]
    assert growth_only["items"][0]["sold"] == "100.00"


def test_the_breakdown_refuses_an_unknown_deal_type(client, alice):
    response = get(client, alice, "/api/v1/points/breakdown", deal_type="barter")
    assert_api_error(response, 422, "validation_error", field="deal_type")


def test_a_customers_points_detail_has_history_status_and_an_etag(client, alice, northwind):
    customer = CustomerFactory.create()
    sell(northwind, mrr_minor=2000_00, closed_on=D(2025, 6, 1), customer=customer)
    sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 6, 1), customer=customer)
    response = get(client, alice, f"/api/v1/points/customers/{customer.pk}")
    body = response.json()
    assert response["ETag"].startswith(f'"{customer.pk}.')
    assert (body["active_sold"], body["expired_sold"]) == ("50.00", "100.00")
    assert [e["status"] for e in body["sold_history"]] == ["active", "expired"]
    assert body["managed_history"] == []


def test_another_partners_customer_points_answer_404(client, alice, tailspin):
    customer = CustomerFactory.create()
    sell(tailspin, mrr_minor=1000_00, closed_on=D(2026, 6, 1), customer=customer)
    response = get(client, alice, f"/api/v1/points/customers/{customer.pk}")
    assert_not_found(response, customer.name)


def test_the_breakdown_api_reads_in_a_fixed_number_of_queries(
    client, alice, northwind, django_assert_max_num_queries
):
    for index in range(5):
        sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 6, index + 1))
    client.force_login(alice)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/points/breakdown").status_code == 200


def test_the_tiers_api_reads_in_a_fixed_number_of_queries(
    client, alice, gold, django_assert_max_num_queries
):
    client.force_login(alice)
    with django_assert_max_num_queries(14):
        assert client.get("/api/v1/tiers").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/api/v1/tiers/path").status_code == 200
