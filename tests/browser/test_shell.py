"""The shell in a real browser: sign in, switch to Japanese, sign out; tenancy in pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from openprm.accounts.tests.factories import PASSWORD
from openprm.crm.tests.factories import ContactFactory
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_admin_signs_in_switches_to_japanese_and_signs_out(signed_out_page: Page, alice):
    page = signed_out_page
    assert_accessible(page)
    page.get_by_label("Email").fill(alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation).to_contain_text("Northwind Traders")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_label("Language").select_option("ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    navigation = page.get_by_role("navigation", name="メインナビゲーション")
    expect(navigation).to_be_visible()
    assert_accessible(page)

    navigation.get_by_role("button", name="Northwind Traders").click()
    page.get_by_role("button", name="サインアウト").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("heading", name="サインイン")).to_be_visible()


def test_partner_admin_opens_own_contact_and_gets_404_for_another_partners(
    signed_out_page: Page, alice, northwind, tailspin
):
    own = ContactFactory.create(organization=northwind, first_name="Naomi", last_name="Nakamura")
    other = ContactFactory.create(organization=tailspin, first_name="Tan", last_name="Tanaka")
    page = signed_out_page
    page.get_by_label("Email").fill(alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Contacts"
    ).click()
    page.get_by_role("link", name=own.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(own.full_name)
    assert_accessible(page)

    response = page.goto(page.url.replace(f"/contacts/{own.pk}/", f"/contacts/{other.pk}/"))
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_text(other.full_name)).to_have_count(0)


@pytest.mark.parametrize("width", [1000, 1300])
def test_the_program_admins_header_fits_a_laptop_screen(signed_out_page: Page, victor, width):
    """Ten navigation entries wrap inside the header instead of pushing the language
    switcher off the screen."""
    page = signed_out_page
    page.set_viewport_size({"width": width, "height": 800})
    page.get_by_label("Email").fill(victor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Program settings")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    language = page.get_by_label("Language").bounding_box()
    assert language is not None
    assert language["x"] + language["width"] <= width
