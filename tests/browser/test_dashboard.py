"""Seed 003 in a real browser: Partner > Dashboard as Northwind's partner admin, the "Vendor
team" tab, a figure's report and "Export unsummarized data"."""

import csv
import datetime as dt
import io
import re

import pytest
from playwright.sync_api import Page, expect

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import PASSWORD, MembershipFactory
from openprm.crm.tests.factories import CustomerFactory
from openprm.dashboard.models import Export
from openprm.points.tests.records import won
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def northwind_admin(northwind, pam):
    northwind.pdm_description = "Pam looks after Northwind's growth in Asia."
    northwind.save()
    return MembershipFactory(
        organization=northwind, role=Role.PARTNER_ADMIN, user__email="admin@northwind.example"
    ).user


def test_partner_admin_reads_the_dashboard_and_exports_a_report(
    signed_out_page: Page, northwind_admin, northwind
):
    recently = dt.date.today() - dt.timedelta(days=5)
    for name, amount in (("Acme", 12_000_00), ("Globex", 6_000_00)):
        won(northwind, recently, amount_minor=amount, mrr_minor=amount // 12,
            customer=CustomerFactory.create(name=name))  # fmt: skip
    page = signed_out_page
    page.get_by_label("Email").fill("admin@northwind.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Signing in lands on Partner > Dashboard.
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    expect(page.get_by_test_id("sourced-revenue")).to_have_text("$18,000.00")
    expect(page.get_by_test_id("figure-closed_won")).to_contain_text("2 customers")
    assert_accessible(page)

    # The "Vendor team" tab: the PDM, the description and an email link.
    page.get_by_role("tab", name="Vendor team").click()
    team = page.get_by_test_id("vendor-team")
    expect(team).to_contain_text("Pam looks after Northwind's growth in Asia.")
    expect(team.get_by_role("link", name="Email pam@contoso.example")).to_have_attribute(
        "href", "mailto:pam@contoso.example"
    )
    page.get_by_role("tab", name="Dashboard").click()

    # Each section's date range survives "Apply" in the other one.
    changes_from = (dt.date.today() - dt.timedelta(days=60)).isoformat()
    sales_from = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    changes = page.locator("section[aria-labelledby='point-changes']")
    sales = page.locator("section[aria-labelledby='shared-sales']")
    changes.get_by_label("From").fill(changes_from)
    changes.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(f"changes-start={changes_from}"))
    sales.get_by_label("From").fill(sales_from)
    sales.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(f"sales-start={sales_from}"))
    expect(changes.get_by_label("From")).to_have_value(changes_from)
    expect(sales.get_by_label("From")).to_have_value(sales_from)

    # A figure opens its report with the customers behind it.
    page.get_by_test_id("figure-closed_won").click()
    expect(page.get_by_role("heading", name="Closed-won deals")).to_be_visible()
    expect(page.get_by_test_id("report-customers")).to_contain_text("Acme")
    expect(page.get_by_test_id("report-customers")).to_contain_text("Globex")
    assert_accessible(page)

    # "Export unsummarized data": a name and a file format, then the file downloads.
    page.get_by_role("button", name="Export unsummarized data").click()
    dialog = page.get_by_role("dialog", name="Export unsummarized data")
    dialog.get_by_label("Export name").fill("Recent wins")
    dialog.get_by_label("CSV").check()
    with page.expect_download() as download_info:
        dialog.get_by_role("button", name="Export", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "Recent wins.csv"
    path = download.path()
    assert path is not None
    with open(path, encoding="utf-8-sig") as handle:
        header, *rows = list(csv.reader(io.StringIO(handle.read())))
    assert header[:3] == ["Deal", "Customer", "Customer ID"]
    assert sorted(row[1] for row in rows) == ["Acme", "Globex"]
    assert Export.objects.get().row_count == 2
