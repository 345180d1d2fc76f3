"""The shell in a real browser: sign in, switch to Japanese, sign out."""

import re

import pytest
from playwright.sync_api import Page, expect

from openprm.accounts.tests.factories import PASSWORD
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
