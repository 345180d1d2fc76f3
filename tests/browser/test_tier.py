"""Seed 003 in a real browser: Partner > Tier as Northwind's partner admin, its tier progress
chart, the calculator beside it, then the Points Breakdown and one customer's points."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import PASSWORD, MembershipFactory
from openprm.points.rules import add_months
from openprm.points.tests.factories import CustomerFactory, certify, manage, sell
from openprm.points.tiers import services as tier_services
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def northwind_admin(northwind, pam):
    return MembershipFactory(
        organization=northwind, role=Role.PARTNER_ADMIN, user__email="admin@northwind.example"
    ).user


@pytest.fixture
def gold_northwind(northwind):
    today = timezone.localdate()
    certify(northwind, until=today + dt.timedelta(days=40))
    customer = CustomerFactory.create(name="Contoso Pharma")
    sell(northwind, mrr_minor=2000_00, closed_on=add_months(today, -3), customer=customer)
    manage(northwind, mrr_minor=8000_00, since=add_months(today, -6))
    tier_services.tier_evaluate(partner=northwind, on=today.replace(day=1))
    return northwind


def test_partner_admin_reads_the_tier_page_and_a_customers_points(
    signed_out_page: Page, northwind_admin, gold_northwind
):
    page = signed_out_page
    page.get_by_label("Email").fill("admin@northwind.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Tier").click()

    expect(page.get_by_test_id("credited-tier")).to_have_text("Gold")
    expect(page.get_by_test_id("certification-alert")).to_contain_text("lapses in 40 days")
    expect(page.locator("#tier-progress-chart .main-svg").first).to_be_visible()
    expect(page.locator("#tier-progress-chart")).to_contain_text("Platinum threshold")
    assert_accessible(page)

    page.get_by_label("Amount sold (MRR)").fill("100")
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_test_id("estimate-total")).to_have_text("5.00")

    page.get_by_role("link", name="Points Breakdown").click()
    expect(page.locator("#progress-over-time-chart .main-svg").first).to_be_visible()
    page.get_by_label("Market type").select_option("standard")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"market_type=standard"))
    assert_accessible(page)
    page.get_by_role("link", name="Contoso Pharma").click()
    expect(page.get_by_role("heading", name="Contoso Pharma")).to_be_visible()
    expect(page.get_by_test_id("active-sold")).to_have_text("100.00")
    assert_accessible(page)
