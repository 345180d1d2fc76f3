"""Subscriptions from the outside: /api/v1/subscriptions and the customer page show each
requester only what their role covers (a PDM: their partners'; another PDM's: 404)."""

import pytest
from django.urls import reverse

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.crm.tests.factories import CustomerFactory, ProductFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def quinn(vendor, tailspin):
    """Tailspin's PDM: a PDM whose partners are not Northwind."""
    user = MembershipFactory(organization=vendor, role=Role.PDM).user
    tailspin.pdm = user
    tailspin.save()
    return user


@pytest.fixture
def customer(db):
    return CustomerFactory.create(name="Contoso Pharma")


@pytest.fixture
def ours(customer, northwind):
    product = ProductFactory.create(name="Analytics")
    return SubscriptionFactory.create(
        external_id="NW-1", customer=customer, product=product, managing_partners=[northwind]
    )


@pytest.fixture
def theirs(customer, tailspin):
    product = ProductFactory.create(name="Payroll")
    return SubscriptionFactory.create(
        external_id="TS-1", customer=customer, product=product, managing_partners=[tailspin]
    )


def external_ids(response) -> list[str]:
    return [item["external_id"] for item in response.json()["items"]]


def test_a_pdm_lists_only_their_partners_subscriptions(client, pam, ours, theirs):
    assert external_ids(as_user(client, pam).get("/api/v1/subscriptions")) == ["NW-1"]


def test_another_pdms_partners_subscription_is_404(client, pam, theirs):
    response = as_user(client, pam).get(f"/api/v1/subscriptions/{theirs.pk}")
    assert response.status_code == 404
    assert response.json() == as_user(client, pam).get("/api/v1/subscriptions/999999").json()


def test_a_pdm_reads_their_partners_subscription_with_its_mrr_history(client, pam, ours):
    response = as_user(client, pam).get(f"/api/v1/subscriptions/{ours.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["managing_partners"] == [
        {"id": ours.managing_partners.get().pk, "name": "Northwind Traders"}
    ]
    assert body["mrr_history"] == [
        {"effective_on": ours.started_on.isoformat(), "mrr_minor": 10_000}
    ]
    assert response.headers["ETag"].startswith(f'"{ours.pk}.')


def test_the_program_admin_lists_every_subscription(client, victor, ours, theirs):
    assert external_ids(as_user(client, victor).get("/api/v1/subscriptions")) == ["NW-1", "TS-1"]


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.REVIEWER])
def test_sales_reps_and_reviewers_list_no_subscription(client, vendor, role, ours):
    user = MembershipFactory(organization=vendor, role=role).user
    assert external_ids(as_user(client, user).get("/api/v1/subscriptions")) == []
    assert as_user(client, user).get(f"/api/v1/subscriptions/{ours.pk}").status_code == 404


def test_a_partner_sees_only_itself_among_the_managing_partners(
    client, alice, customer, northwind, tailspin
):
    SubscriptionFactory.create(customer=customer, managing_partners=[northwind, tailspin])
    items = as_user(client, alice).get("/api/v1/subscriptions").json()["items"]
    assert [p["name"] for p in items[0]["managing_partners"]] == ["Northwind Traders"]


def test_the_subscription_list_filters_by_customer(client, victor, ours):
    SubscriptionFactory.create(external_id="ELSEWHERE")
    response = as_user(client, victor).get(
        "/api/v1/subscriptions", {"customer_id": ours.customer_id}
    )
    assert external_ids(response) == ["NW-1"]


def test_the_subscription_list_stays_within_its_query_budget(
    client, victor, customer, northwind, tailspin, django_assert_max_num_queries
):
    for _ in range(5):
        SubscriptionFactory.create(customer=customer, managing_partners=[northwind, tailspin])
    as_user(client, victor)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/subscriptions").status_code == 200


def test_the_customer_page_shows_a_pdm_only_their_partners_subscriptions(
    client, pam, customer, ours, theirs
):
    html = as_user(client, pam).get(reverse("crm:customer-detail", args=[customer.pk]))
    text = html.content.decode()
    assert "Analytics" in text
    assert "Northwind Traders" in text
    assert "Payroll" not in text
    assert "Tailspin" not in text


def test_the_customer_page_shows_the_other_pdm_their_own_partners_subscription(
    client, quinn, customer, ours, theirs
):
    text = as_user(client, quinn).get(reverse("crm:customer-detail", args=[customer.pk]))
    html = text.content.decode()
    assert "Payroll" in html
    assert "Analytics" not in html


def test_the_customer_page_shows_a_sales_rep_no_subscription(client, vendor, customer, ours):
    rep = MembershipFactory(organization=vendor, role=Role.SALES_REP).user
    html = as_user(client, rep).get(reverse("crm:customer-detail", args=[customer.pk]))
    assert "Analytics" not in html.content.decode()
    assert "Subscriptions" not in html.content.decode()


def test_the_customer_page_stays_within_its_query_budget(
    client, victor, customer, northwind, tailspin, django_assert_max_num_queries
):
    for _ in range(5):
        SubscriptionFactory.create(customer=customer, managing_partners=[northwind, tailspin])
    as_user(client, victor)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("crm:customer-detail", args=[customer.pk])).status_code == 200
