"""/api/v1/points/ledger, /api/v1/points/calculator and /api/v1/tiers as clients see them."""

import pytest
from django.utils import timezone

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory, PartnerFactory
from openprm.core.testing import assert_api_error
from openprm.crm.models import Source
from openprm.points.ledger import services
from openprm.points.models import CauseKind, PointEntry
from openprm.points.tests.factories import (
    CustomerFactory,
    SubscriptionFactory,
    WonOpportunityFactory,
    currency,
)

pytestmark = pytest.mark.django_db

CALCULATOR = "/api/v1/points/calculator"


@pytest.fixture
def entries(northwind, tailspin):
    """Two Northwind sales and one each for Tailspin and a partner no PDM covers."""
    posted = {
        "northwind": [
            services.sale_post(opportunity=WonOpportunityFactory.create(organization=northwind))
            for _ in range(2)
        ],
        "tailspin": [
            services.sale_post(opportunity=WonOpportunityFactory.create(organization=tailspin))
        ],
    }
    subscription = SubscriptionFactory.create(managing_partners=[northwind])
    posted["northwind"] += services.subscription_managed_sync(
        subscription=subscription,
        on=timezone.localdate(),
        cause_kind=CauseKind.MANAGEMENT_CHANGE,
    )
    return posted


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_a_partner_sees_only_its_own_ledger(client, alice, entries):
    client.force_login(alice)
    assert ids(client.get("/api/v1/points/ledger")) == {e.pk for e in entries["northwind"]}


def test_a_partner_user_sees_the_organizations_whole_ledger(client, bob, entries):
    client.force_login(bob)
    assert ids(client.get("/api/v1/points/ledger")) == {e.pk for e in entries["northwind"]}


def test_another_partner_never_sees_northwinds_entries(client, charlie, entries):
    client.force_login(charlie)
    assert ids(client.get("/api/v1/points/ledger")) == {e.pk for e in entries["tailspin"]}


def test_another_partners_entry_is_404(client, charlie, entries):
    client.force_login(charlie)
    response = client.get(f"/api/v1/points/ledger/{entries['northwind'][0].pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get("/api/v1/points/ledger/999999").json() == response.json()


def test_the_program_admin_sees_every_partners_entries(client, victor, entries):
    client.force_login(victor)
    everything = {e.pk for posted in entries.values() for e in posted}
    assert ids(client.get("/api/v1/points/ledger")) == everything


def test_the_program_admin_can_filter_by_partner(client, victor, entries, tailspin):
    client.force_login(victor)
    response = client.get(f"/api/v1/points/ledger?partner={tailspin.pk}")
    assert ids(response) == {e.pk for e in entries["tailspin"]}


def test_a_pdm_sees_only_the_assigned_partners_entries(client, pam, entries, tailspin):
    client.force_login(pam)
    assert ids(client.get("/api/v1/points/ledger")) == {e.pk for e in entries["northwind"]}
    other = entries["tailspin"][0].pk
    assert client.get(f"/api/v1/points/ledger/{other}").status_code == 404


def test_a_sales_rep_sees_no_ledger(client, vendor, entries):
    rep = MembershipFactory.create(organization=vendor, role=Role.SALES_REP).user
    client.force_login(rep)
    assert ids(client.get("/api/v1/points/ledger")) == set()


def test_an_entry_shows_its_cause_points_and_rule_version(client, alice, entries):
    client.force_login(alice)
    sale = entries["northwind"][0]
    response = client.get(f"/api/v1/points/ledger/{sale.pk}")
    assert response.status_code == 200
    assert response["ETag"] == f'"{sale.pk}.1"'
    body = response.json()
    assert body["points"] == "5.00"
    assert body["track"] == "sold"
    assert body["cause_kind"] == "sale"
    assert body["cause_reference"] == f"opportunity:{sale.opportunity_id}"
    assert body["rule_version"] == 1
    assert body["partner_id"] == sale.organization_id
    assert body["expires_on"] == sale.expires_on.isoformat()


def test_the_ledger_list_is_paginated(client, alice, entries):
    client.force_login(alice)
    body = client.get("/api/v1/points/ledger?limit=1").json()
    assert body["count"] == 3
    assert len(body["items"]) == 1


def test_the_ledger_list_reads_in_a_fixed_number_of_queries(
    client, alice, entries, django_assert_max_num_queries
):
    for _ in range(5):
        services.sale_post(
            opportunity=WonOpportunityFactory.create(organization=alice.organization)
        )
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        assert len(ids(client.get("/api/v1/points/ledger"))) == 8


def test_the_ledger_needs_authentication(client, entries):
    assert_api_error(client.get("/api/v1/points/ledger"), 401, "unauthenticated")


def post(client, body):
    return client.post(CALCULATOR, body, content_type="application/json")


def calculator_body(**overrides):
    return {
        "mrr": "1000",
        "source": "sourced",
        "country": "TH",
        "currency": "THB",
        "will_manage": True,
        "other_managing_partners": 1,
        **overrides,
    }


def test_the_calculator_estimates_total_sold_and_managed_points(client, alice):
    client.force_login(alice)
    response = post(client, calculator_body(mrr="3400"))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "rule_version": 1,
        "total": "11.00",
        "sold": "10.00",
        "managed": "1.00",
    }


def test_the_calculator_equals_the_ledger_for_the_same_sale(client, alice, northwind):
    customer = CustomerFactory.create(country="DE", currency=currency("EUR"))
    opportunity = WonOpportunityFactory.create(
        organization=northwind, customer=customer, source=Source.ASSISTED, mrr_minor=1234_56
    )
    entry = services.sale_post(opportunity=opportunity)
    assert entry is not None
    client.force_login(alice)
    body = calculator_body(
        mrr="1234.56", source="assisted", country="DE", currency="EUR", will_manage=False
    )
    assert post(client, body).json()["sold"] == str(entry.points)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mrr", "-1"),
        ("currency", "XXX"),
        ("country", "ZZ"),
        ("other_managing_partners", -1),
        ("source", "stolen"),
    ],
)
def test_bad_calculator_input_is_a_422_naming_the_field(client, alice, field, value):
    client.force_login(alice)
    response = post(client, calculator_body(**{field: value}))
    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_the_currency_tab_converts_points_to_money(client, alice):
    client.force_login(alice)
    response = client.post(
        f"{CALCULATOR}/currency",
        {"direction": "points_to_money", "country": "DE", "currency": "EUR", "sold": "10",
         "managed": "2"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["sold_value"], body["managed_value"], body["total_value"]) == (
        "176.00", "176.00", "352.00",
    )  # fmt: skip


def test_the_currency_tab_converts_money_to_points(client, alice):
    client.force_login(alice)
    response = client.post(
        f"{CALCULATOR}/currency",
        {"direction": "money_to_points", "country": "US", "currency": "USD", "sold": "200",
         "managed": "300", "source": "assisted"},
        content_type="application/json",
    )  # fmt: skip
    body = response.json()
    assert (body["sold_points"], body["managed_points"], body["total_points"]) == (
        "6.00", "3.00", "9.00",
    )  # fmt: skip


def test_the_currency_tab_refuses_negative_points(client, alice):
    client.force_login(alice)
    response = client.post(
        f"{CALCULATOR}/currency",
        {"direction": "points_to_money", "country": "US", "currency": "USD", "sold": "-5"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sold"


def test_the_calculator_saves_nothing(client, alice):
    client.force_login(alice)
    post(client, calculator_body())
    assert not PointEntry.objects.exists()


def test_tiers_lists_the_current_rule_versions_tiers(client, charlie):
    client.force_login(charlie)
    response = client.get("/api/v1/tiers")
    assert response.status_code == 200
    body = response.json()
    assert body["rule_version"] == 1
    assert body["demotion_grace_months"] == 3
    assert body["sold_life_months"] == 12
    assert [t["name"] for t in body["tiers"]] == ["Gold", "Platinum", "Diamond", "Elite"]
    assert body["tiers"][0] == {
        "name": "Gold",
        "label": "Gold",
        "threshold": "150",
        "sold_minimum": "30",
        "managed_minimum": "60",
    }


def test_a_new_partner_with_no_entries_gets_an_empty_ledger(client):
    user = MembershipFactory.create(organization=PartnerFactory.create()).user
    client.force_login(user)
    assert ids(client.get("/api/v1/points/ledger")) == set()


def test_the_ledger_filters_by_track_customer_and_day(client, alice, entries):
    client.force_login(alice)
    managed = {e.pk for e in entries["northwind"] if e.track == "managed"}
    assert ids(client.get("/api/v1/points/ledger?track=managed")) == managed
    sale = entries["northwind"][0]
    assert ids(client.get(f"/api/v1/points/ledger?customer={sale.customer_id}")) == {sale.pk}
    after_expiry = sale.expires_on.isoformat()
    assert ids(client.get(f"/api/v1/points/ledger?active_on={after_expiry}")) == managed
    assert client.get("/api/v1/points/ledger?track=gold").status_code == 422


@pytest.mark.parametrize("value", ["0", "1700000000", "2026-13-01", "1/12/2026"])
def test_a_date_parameter_that_is_no_iso_date_is_a_422_naming_it(client, alice, value):
    client.force_login(alice)
    response = client.get("/api/v1/points/ledger", {"active_on": value})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["active_on"]


def test_an_iso_date_parameter_filters_the_ledger(client, alice, entries):
    client.force_login(alice)
    response = client.get("/api/v1/points/ledger", {"active_on": "1999-01-01"})
    assert response.status_code == 200
    assert response.json()["count"] == 0
