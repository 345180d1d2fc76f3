"""The vendor's two long lists on a phone: the registrations queue and the channel dashboard,
filtered through their labelled fields, with no sideways scroll at 390 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, ViewportSize, expect

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import PASSWORD, MembershipFactory
from openprm.deals.tests.factories import create_deal
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}


def sign_in_on_a_phone(page: Page, email: str) -> None:
    page.set_viewport_size(PHONE)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_registrations_queue_filters_by_status_on_a_phone(
    signed_out_page: Page, live_server, vendor, alice
):
    MembershipFactory.create(
        organization=vendor, role=Role.REVIEWER, user__email="reviewer@openprm.example"
    )
    create_deal(actor=alice, name="Sakura rollout")
    page = signed_out_page
    sign_in_on_a_phone(page, "reviewer@openprm.example")
    page.goto(live_server.url + reverse("deals:registrations"))
    expect(page.get_by_role("link", name="Sakura rollout")).to_be_visible()
    assert fits_the_phone(page)
    assert_accessible(page)
    page.get_by_label("Status").select_option(label="Approved")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No registrations match.")).to_be_visible()
    assert fits_the_phone(page)


def test_the_channel_dashboard_finds_a_partner_by_name_on_a_phone(
    signed_out_page: Page, live_server, victor, northwind, tailspin
):
    page = signed_out_page
    sign_in_on_a_phone(page, victor.email)
    page.goto(live_server.url + reverse("dashboard:channel"))
    expect(page.get_by_role("link", name="Tailspin Toys")).to_be_visible()
    assert fits_the_phone(page)
    assert_accessible(page)
    page.get_by_label("Partner name").fill("north")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Northwind Traders")).to_be_visible()
    expect(page.get_by_role("link", name="Tailspin Toys")).to_have_count(0)
    assert fits_the_phone(page)
