"""Imports from the vendor's systems: all rows or none, and every problem named by row and field."""

import datetime

import pytest
from django.test import Client

from openprm.crm.models import (
    Certification,
    Customer,
    MarketType,
    Subscription,
    SubscriptionMrrChange,
    UsageSnapshot,
)
from openprm.crm.tests.factories import CustomerFactory, ProductFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Client, victor) -> Client:
    client.force_login(victor)
    return client


@pytest.fixture
def acme(db):
    return CustomerFactory.create(name="Acme", duns="100200300")


@pytest.fixture
def crm_suite(db):
    return ProductFactory.create(code="crm-suite", name="CRM Suite")


def post(client: Client, path: str, rows) -> dict:
    response = client.post(path, rows, content_type="application/json")
    return {"status": response.status_code, **response.json()}


def subscription_row(**overrides) -> dict:
    row = {
        "external_id": "SUB-1",
        "customer_duns": "100200300",
        "product": "crm-suite",
        "currency": "USD",
        "mrr_minor": 50_000,
        "started_on": "2025-01-01",
        "renewal_on": "2026-01-01",
        "renewal_manager": "Rae Renewals",
        "managing_partners": ["northwind-traders"],
    }
    return {**row, **overrides}


def error_fields(body: dict) -> list[str]:
    return [error["field"] for error in body["errors"]]


def test_subscription_import_creates_the_subscription_with_its_first_mrr(
    api, acme, crm_suite, northwind
):
    body = post(api, "/api/v1/subscriptions/import", [subscription_row()])
    assert body == {"status": 200, "created": 1, "updated": 0}
    subscription = Subscription.objects.get(external_id="SUB-1")
    assert subscription.customer == acme
    assert list(subscription.managing_partners.all()) == [northwind]
    assert list(subscription.mrr_changes.values_list("effective_on", "mrr_minor")) == [
        (datetime.date(2025, 1, 1), 50_000)
    ]


def test_reimport_with_new_mrr_appends_to_the_history(api, acme, crm_suite, northwind, tailspin):
    post(api, "/api/v1/subscriptions/import", [subscription_row()])
    changed = subscription_row(
        mrr_minor=65_000,
        mrr_effective_on="2025-07-01",
        managing_partners=["northwind-traders", "tailspin-toys"],
    )
    body = post(api, "/api/v1/subscriptions/import", [changed])
    assert body == {"status": 200, "created": 0, "updated": 1}
    subscription = Subscription.objects.get(external_id="SUB-1")
    assert subscription.mrr_minor == 65_000
    assert subscription.managing_partners.count() == 2
    assert list(subscription.mrr_changes.values_list("mrr_minor", flat=True)) == [50_000, 65_000]


def test_reimport_with_the_same_mrr_adds_no_history(api, acme, crm_suite, northwind):
    post(api, "/api/v1/subscriptions/import", [subscription_row()])
    post(api, "/api/v1/subscriptions/import", [subscription_row(renewal_manager="Someone")])
    assert SubscriptionMrrChange.objects.count() == 1


def test_churn_sets_ended_on_and_drops_mrr_to_zero(api, acme, crm_suite, northwind):
    post(api, "/api/v1/subscriptions/import", [subscription_row()])
    post(api, "/api/v1/subscriptions/import", [subscription_row(ended_on="2025-09-30")])
    subscription = Subscription.objects.get(external_id="SUB-1")
    assert subscription.ended_on == datetime.date(2025, 9, 30)
    assert subscription.mrr_minor == 0
    assert list(subscription.mrr_changes.values_list("effective_on", "mrr_minor"))[-1] == (
        datetime.date(2025, 9, 30),
        0,
    )


def test_a_subscription_imported_already_churned_keeps_its_mrr_before_churn(
    api, acme, crm_suite, northwind
):
    post(api, "/api/v1/subscriptions/import", [subscription_row(ended_on="2025-06-30")])
    subscription = Subscription.objects.get(external_id="SUB-1")
    assert list(subscription.mrr_changes.values_list("effective_on", "mrr_minor")) == [
        (datetime.date(2025, 1, 1), 50_000),
        (datetime.date(2025, 6, 30), 0),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mrr_minor": None}, "1.mrr_minor"),
        ({"mrr_minor": -1}, "1.mrr_minor"),
        ({"currency": "ZZZ"}, "1.currency"),
        ({"product": "no-such-product"}, "1.product"),
        ({"customer_duns": "999999999"}, "1.customer_duns"),
        ({"customer_duns": "12345"}, "1.customer_duns"),
        ({"managing_partners": ["nobody"]}, "1.managing_partners"),
        ({"external_id": "SUB-1"}, "1.external_id"),
    ],
    ids=[
        "missing-mrr", "negative-mrr", "unknown-currency", "unknown-product",
        "unknown-customer", "short-duns", "unknown-partner", "duplicate-id",
    ],
)  # fmt: skip
def test_a_bad_subscription_row_names_row_and_field_and_writes_nothing(
    api, acme, crm_suite, northwind, change, field
):
    row = subscription_row(**{"external_id": "SUB-2", **change})
    bad = {key: value for key, value in row.items() if value is not None}
    body = post(api, "/api/v1/subscriptions/import", [subscription_row(), bad])
    assert body["status"] == 422
    assert error_fields(body) == [field]
    assert not Subscription.objects.exists()
    assert not SubscriptionMrrChange.objects.exists()


def test_every_bad_row_is_reported_at_once(api, acme, crm_suite, northwind):
    rows = [subscription_row(currency="ZZZ"), subscription_row(external_id="SUB-2", product="x")]
    body = post(api, "/api/v1/subscriptions/import", rows)
    assert error_fields(body) == ["0.currency", "1.product"]
    assert "Row 1" in body["errors"][1]["message"]


def test_a_failing_import_leaves_existing_subscriptions_untouched(api, acme, crm_suite, northwind):
    SubscriptionFactory.create(
        external_id="SUB-1", customer=acme, product=crm_suite, mrr_minor=10_000
    )
    rows = [subscription_row(mrr_minor=99_000), subscription_row(external_id="SUB-2", product="x")]
    assert post(api, "/api/v1/subscriptions/import", rows)["status"] == 422
    assert Subscription.objects.get(external_id="SUB-1").mrr_minor == 10_000


def test_only_the_program_admin_imports(client: Client, alice, pam, acme, crm_suite):
    for user in (alice, pam):
        client.force_login(user)
        response = client.post(
            "/api/v1/subscriptions/import", [subscription_row()], content_type="application/json"
        )
        assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_usage_import_keeps_one_snapshot_per_customer_and_day(api, acme):
    row = {"customer_duns": "100200300", "taken_on": "2026-11-01", "active_users": 40,
           "last_active_user": "Kenji Sato", "last_active_at": "2026-11-01T09:30:00Z"}  # fmt: skip
    assert post(api, "/api/v1/usage/import", [row])["created"] == 1
    assert post(api, "/api/v1/usage/import", [{**row, "active_users": 42}])["updated"] == 1
    snapshot = UsageSnapshot.objects.get()
    assert (snapshot.active_users, snapshot.last_active_user) == (42, "Kenji Sato")


def test_usage_row_with_missing_field_is_named(api, acme):
    body = post(
        api, "/api/v1/usage/import", [{"customer_duns": "100200300", "taken_on": "2026-11-01"}]
    )
    assert body["status"] == 422
    assert error_fields(body) == ["0.active_users"]
    assert not UsageSnapshot.objects.exists()


def test_certification_import_upserts_by_external_id(api, northwind):
    row = {
        "external_id": "C-1",
        "partner": "northwind-traders",
        "name": "Sales Professional",
        "holder": "Alice",
        "certified_on": "2026-01-10",
        "valid_until": "2027-01-10",
    }
    assert post(api, "/api/v1/certifications/import", [row])["created"] == 1
    assert (
        post(api, "/api/v1/certifications/import", [{**row, "valid_until": "2027-06-30"}])[
            "updated"
        ]
        == 1
    )
    assert Certification.objects.get().valid_until == datetime.date(2027, 6, 30)


def test_certification_for_an_unknown_partner_is_refused(api, northwind):
    row = {"external_id": "C-1", "partner": "nobody", "name": "Sales Professional",
           "certified_on": "2026-01-10", "valid_until": "2025-01-10"}  # fmt: skip
    body = post(api, "/api/v1/certifications/import", [row])
    assert error_fields(body) == ["0.partner", "0.valid_until"]
    assert not Certification.objects.exists()


def test_customer_import_upserts_by_duns_and_sets_the_market(api):
    rows = [
        {"duns": "300400500", "name": "บริษัท ไทยซอฟต์", "country": "TH", "currency": "THB"},
        {"duns": "300400501", "name": "株式会社さくら", "country": "JP", "currency": "JPY"},
    ]
    assert post(api, "/api/v1/customers/import", rows)["created"] == 2
    assert Customer.objects.get(duns="300400500").market_type == MarketType.GROWTH
    assert post(api, "/api/v1/customers/import", rows[:1])["updated"] == 1


def test_a_customer_renamed_by_import_is_found_by_its_new_name_with_a_new_version(api, victor):
    acme = CustomerFactory.create(duns="300400500", name="Old Name", country="TH")
    rows = [customer_row(name="Ayutthaya Foods"), customer_row(duns="300400501", name="Siam Tea")]
    assert post(api, "/api/v1/customers/import", rows)["updated"] == 1
    found = api.get("/api/v1/customers?q=ayutthaya").json()["items"]
    assert [(c["duns"], c["name"]) for c in found] == [("300400500", "Ayutthaya Foods")]
    acme.refresh_from_db()
    assert acme.version == 2
    assert [h.history_type for h in acme.history.all()] == ["~", "+"]
    assert acme.history.first().history_user == victor


def test_customer_import_with_unknown_country_writes_nothing(api):
    rows = [
        {"duns": "300400500", "name": "Good", "country": "TH", "currency": "THB"},
        {"duns": "300400501", "name": "Bad", "country": "QQ", "currency": "USD"},
    ]
    body = post(api, "/api/v1/customers/import", rows)
    assert error_fields(body) == ["1.country"]
    assert not Customer.objects.exists()


def customer_row(**overrides) -> dict:
    row = {"duns": "300400500", "name": "บริษัท ไทยซอฟต์", "country": "TH", "currency": "THB"}
    return {**row, **overrides}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "QQ"}, "1.country"),
        ({"currency": "QQQ"}, "1.currency"),
        ({"duns": "12345678"}, "1.duns"),
        ({"duns": "1234567890"}, "1.duns"),
        ({"duns": "12345678a"}, "1.duns"),
        ({"duns": "300400500"}, "1.duns"),
        ({"name": None}, "1.name"),
        ({"country": None}, "1.country"),
    ],
    ids=[
        "unknown-country", "unknown-currency", "duns-8-digits", "duns-10-digits",
        "duns-with-letter", "duplicate-duns", "missing-name", "missing-country",
    ],
)  # fmt: skip
def test_a_bad_customer_row_names_row_and_field_and_writes_nothing(api, change, field):
    row = customer_row(**{"duns": "300400501", "name": "株式会社さくら", **change})
    bad = {key: value for key, value in row.items() if value is not None}
    body = post(api, "/api/v1/customers/import", [customer_row(), bad])
    assert body["status"] == 422
    assert error_fields(body) == [field]
    assert body["errors"][0]["message"].startswith(f"Row 1, {field.split('.')[1]}: ")
    assert not Customer.objects.exists()


def test_a_schema_error_names_the_row_in_its_message(api, acme, crm_suite, northwind):
    bad = {key: value for key, value in subscription_row().items() if key != "mrr_minor"}
    body = post(api, "/api/v1/subscriptions/import", [subscription_row(external_id="S-0"), bad])
    assert body["errors"] == [
        {"field": "1.mrr_minor", "message": "Row 1, mrr_minor: Field required", "code": "missing"}
    ]


def test_a_duns_that_is_not_nine_digits_is_explained_in_words(api, acme):
    row = {"customer_duns": "12345", "taken_on": "2026-11-01", "active_users": 4}
    body = post(api, "/api/v1/usage/import", [row])
    assert error_fields(body) == ["0.customer_duns"]
    assert "A DUNS number has exactly 9 digits." in body["errors"][0]["message"]
    assert not UsageSnapshot.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"customer_duns": "999999999"}, "1.customer_duns"),
        ({"active_users": -1}, "1.active_users"),
        ({"taken_on": None}, "1.taken_on"),
        ({"taken_on": "2026-11-01"}, "1.taken_on"),
    ],
    ids=["unknown-customer", "negative-users", "missing-date", "same-day-twice"],
)
def test_a_bad_usage_row_names_row_and_field_and_writes_nothing(api, acme, change, field):
    good = {"customer_duns": "100200300", "taken_on": "2026-11-01", "active_users": 40}
    row = {**good, "taken_on": "2026-10-01", **change}
    bad = {key: value for key, value in row.items() if value is not None}
    body = post(api, "/api/v1/usage/import", [good, bad])
    assert body["status"] == 422
    assert error_fields(body) == [field]
    assert not UsageSnapshot.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"taken_on": "1899-12-31"}, "taken_on", "date_too_early"),
        ({"last_active_at": "9999-12-31T23:59:59-14:00"}, "last_active_at", "datetime_range"),
    ],
)
def test_a_usage_row_that_cannot_be_stored_names_row_and_field_and_writes_nothing(
    api, acme, change, field, code
):
    good = {"customer_duns": "100200300", "taken_on": "2026-11-01", "active_users": 40}
    body = post(api, "/api/v1/usage/import", [good, {**good, "taken_on": "2026-10-01", **change}])
    assert body["status"] == 422
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(f"1.{field}", code)]
    assert body["errors"][0]["message"].startswith(f"Row 1, {field}: Enter a ")
    assert not UsageSnapshot.objects.exists()


def test_a_subscription_starting_before_1900_is_named_and_nothing_is_written(
    api, acme, crm_suite, northwind
):
    body = post(api, "/api/v1/subscriptions/import", [subscription_row(started_on="0025-01-01")])
    assert body["status"] == 422
    assert error_fields(body) == ["0.started_on"]
    assert not Subscription.objects.exists()


def test_a_certification_row_with_a_missing_field_is_named_and_nothing_is_written(api, northwind):
    good = {"external_id": "C-1", "partner": "northwind-traders", "name": "Sales Professional",
            "certified_on": "2026-01-10", "valid_until": "2027-01-10"}  # fmt: skip
    missing_name = {key: value for key, value in good.items() if key != "name"}
    body = post(
        api, "/api/v1/certifications/import", [good, {**missing_name, "external_id": "C-2"}]
    )
    assert body["status"] == 422
    assert error_fields(body) == ["1.name"]
    assert body["errors"][0]["message"] == "Row 1, name: Field required"
    assert not Certification.objects.exists()
