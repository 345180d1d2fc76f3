"""A shared deal in a real browser: created from a company record by the partner, found by the
vendor's sales rep, without the partner's private note."""

import pytest
from playwright.sync_api import Page, expect

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import PASSWORD, MembershipFactory
from openprm.crm.tests.factories import CustomerFactory, ProductFactory
from openprm.deals.models import AssignmentRule
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_shared_deal_from_a_company_record_reaches_the_rep_without_private_notes(
    signed_out_page: Page, live_server, vendor, northwind
):
    admin = MembershipFactory.create(
        organization=northwind, role=Role.PARTNER_ADMIN, user__email="admin@northwind.example"
    ).user
    rep = MembershipFactory.create(
        organization=vendor, role=Role.SALES_REP, user__email="rep@openprm.example"
    ).user
    rule = AssignmentRule.objects.create(name="Japan", country="JP")
    rule.reps.set([rep])
    ProductFactory.create(code="crm-suite", name="CRM Suite")
    customer = CustomerFactory.create(name="Sakura Foods", country="JP")

    page = signed_out_page
    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    card = page.get_by_role("region", name="Shared deal")
    card.get_by_role("link", name="Add").click()
    page.get_by_label("Deal name").fill("Sakura rollout")
    page.get_by_label("Amount").fill("12000")
    page.get_by_label("Currency").select_option("JPY")
    page.get_by_label("MRR").fill("1000")
    page.get_by_label("Close date").fill("2026-12-15")
    page.get_by_label("Product interest").select_option(label="CRM Suite")
    assert_accessible(page)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Introduction note").fill("Met their CIO at the expo.")
    page.get_by_label("Specific pain/opportunity defined").fill("Spreadsheets everywhere.")
    page.get_by_label("Next steps").fill("Demo next week.")
    page.get_by_role("button", name="Create shared deal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sakura rollout")
    expect(page.get_by_text(rep.full_name)).to_be_visible()

    page.get_by_role("link", name="Notes").click()
    page.get_by_text("Create note").first.click()
    page.get_by_label("Note").fill("Our margin is thin here")
    page.get_by_role("button", name="Create note").click()
    page.get_by_role("link", name="Notes").click()
    expect(page.get_by_text("Our margin is thin here")).to_be_visible()
    assert_accessible(page)

    sign_in(page, live_server.url, rep.email)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Deals").click()
    page.get_by_role("link", name="Sakura rollout").click()
    expect(page.get_by_text("Spreadsheets everywhere.")).to_be_visible()
    for tab in ("Shared", "Notes", "History"):
        page.get_by_role("link", name=tab, exact=True).click()
        expect(page.get_by_text("Our margin is thin here")).to_have_count(0)
    assert_accessible(page)
