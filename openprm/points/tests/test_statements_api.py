"""/api/v1/commissions/statements: the statements the dashboard shows, as a paginated list, one
statement with its lines, and the same CSV as the page; seen by the partner's people, its PDM
and the program admin, and by nobody else (another partner's statement is a 404)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.crm.models import Customer
from openprm.crm.tests.factories import currency
from openprm.points.commissions.services import statements_generate
from openprm.points.models import CommissionStatement

pytestmark = pytest.mark.django_db

D = datetime.date
API = "/api/v1/commissions/statements"


@pytest.fixture
def statements(eligible_book, tailspin, today):
    """Northwind's three quarters of the commissions fixture (USD), and one of Tailspin's in EUR."""
    statements_generate(on=today)
    CommissionStatement.objects.create(
        organization=tailspin, quarter_start=D(2026, 7, 1), quarter_end=D(2026, 9, 30),
        currency=currency("EUR"), rate_percent=20, revenue_minor=100_00, commission_minor=20_00,
        payable_on=D(2026, 12, 29),
    )  # fmt: skip
    return CommissionStatement.objects.filter(organization=eligible_book)


def listed(client, **query) -> list[tuple[str, str]]:
    response = client.get(API, query)
    assert response.status_code == 200, response.content
    return [(item["partner_name"], item["quarter_start"]) for item in response.json()["items"]]


def test_a_partner_lists_its_own_statements_newest_quarter_first(client, alice, statements):
    client.force_login(alice)
    assert listed(client) == [
        ("Northwind Traders", "2026-07-01"),
        ("Northwind Traders", "2026-04-01"),
        ("Northwind Traders", "2026-01-01"),
    ]


def test_a_listed_statement_has_its_figures_and_download_link(client, alice, statements):
    client.force_login(alice)
    body = client.get(API, {"limit": 1}).json()
    statement = statements.get(quarter_start=D(2026, 7, 1))
    assert body["count"] == 3
    assert body["items"] == [{
        "id": statement.pk, "partner_id": statement.organization_id,
        "partner_name": "Northwind Traders", "quarter_start": "2026-07-01",
        "quarter_end": "2026-09-30", "currency": "USD", "rate_percent": "20.00",
        "revenue": "4500.00", "revenue_minor": 4_500_00, "commission": "900.00",
        "commission_minor": 900_00, "payable_on": "2026-12-29",
        "download_url": f"{API}/{statement.pk}/csv",
    }]  # fmt: skip


def test_the_pdm_lists_the_statements_of_the_partners_they_look_after(client, pam, statements):
    client.force_login(pam)
    assert {name for name, _quarter in listed(client)} == {"Northwind Traders"}


def test_the_program_admin_lists_every_partners_statements(client, victor, statements):
    client.force_login(victor)
    assert {name for name, _quarter in listed(client)} == {"Northwind Traders", "Tailspin Toys"}


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.REVIEWER])
def test_other_vendor_roles_see_no_statements(client, vendor, statements, role):
    staff = MembershipFactory(organization=vendor, role=role).user
    client.force_login(staff)
    assert listed(client) == []
    assert client.get(f"{API}/{statements.first().pk}").status_code == 404


def test_the_list_filters_by_partner_currency_and_payment(client, victor, tailspin, statements):
    client.force_login(victor)
    assert listed(client, partner_id=tailspin.pk) == [("Tailspin Toys", "2026-07-01")]
    assert listed(client, currency="EUR") == [("Tailspin Toys", "2026-07-01")]
    assert listed(client, paid="true") == [
        ("Northwind Traders", "2026-04-01"),
        ("Northwind Traders", "2026-01-01"),
    ]
    assert len(listed(client, paid="false")) == 2  # both payable on 29 December


def test_a_statement_has_its_lines_which_add_up_to_it(client, alice, statements):
    statement = statements.get(quarter_start=D(2026, 4, 1))
    client.force_login(alice)
    response = client.get(f"{API}/{statement.pk}")
    assert response.status_code == 200, response.content
    assert response["ETag"]
    body = response.json()
    assert [(line["customer_name"], line["product"], line["revenue"], line["commission"])
            for line in body["lines"]] == [("Acme", "P", "4000.00", "800.00")]  # fmt: skip
    assert sum(Decimal(line["commission"]) for line in body["lines"]) == Decimal(body["commission"])
    assert sum(line["revenue_minor"] for line in body["lines"]) == body["revenue_minor"]


def test_the_csv_is_the_pages_download(client, alice, statements):
    statement = statements.get(quarter_start=D(2026, 4, 1))
    client.force_login(alice)
    page = client.get(f"/dashboard/statements/{statement.pk}/download/")
    api = client.get(f"{API}/{statement.pk}/csv")
    assert api.status_code == 200
    assert api.content == page.content
    assert api["Content-Disposition"] == page["Content-Disposition"]
    assert api["Content-Disposition"].startswith("attachment;")


def test_the_csv_writes_a_formula_in_a_customer_name_as_text(client, alice, statements):
    statement = statements.get(quarter_start=D(2026, 4, 1))
    Customer.objects.filter(name="Acme").update(name="+SUM(1,2)")
    client.force_login(alice)
    rows = list(csv.reader(io.StringIO(client.get(f"{API}/{statement.pk}/csv").content.decode())))
    assert [row[0] for row in rows if row and "SUM" in row[0]] == ["'+SUM(1,2)"]


@pytest.mark.parametrize("suffix", ["", "/csv"])
def test_another_partners_statement_is_a_404_like_a_missing_one(
    client, charlie, statements, suffix
):
    client.force_login(charlie)
    other = client.get(f"{API}/{statements.first().pk}{suffix}")
    missing = client.get(f"{API}/999999{suffix}")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()


@pytest.mark.parametrize(
    "query",
    [{"limit": -1}, {"offset": -1}, {"currency": "XYZ"}, {"currency": "usd"},
     {"paid": "maybe"}, {"partner_id": "x"}],
)  # fmt: skip
def test_bad_query_values_are_a_422(client, alice, statements, query):
    client.force_login(alice)
    response = client.get(API, query)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_error"
