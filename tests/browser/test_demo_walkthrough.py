"""Foundation 1's walk-through on the demo program, as partners' training material does it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from openprm.crm.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "openprm-demo"


@pytest.fixture
def demo_program(program_defaults):
    call_command("demo", scale=0.1, verbosity=0)


def test_northwind_admin_sees_the_shell_in_english_and_japanese_and_only_own_contacts(
    signed_out_page: Page, demo_program
):
    page = signed_out_page
    page.get_by_label("Email").fill("admin@northwind.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    navigation = page.get_by_role("navigation", name="Main navigation")
    for label in ("Mutual Action Plan", "Tier", "Customers", "Contacts", "Settings"):
        expect(navigation.get_by_role("link", name=label, exact=True)).to_be_visible()

    with page.expect_navigation():
        page.get_by_label("Language").select_option("ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    japanese = page.get_by_role("navigation", name="メインナビゲーション")
    expect(japanese.get_by_role("link", name="連絡先")).to_be_visible()

    with page.expect_navigation():
        page.get_by_label("言語").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    navigation.get_by_role("link", name="Contacts", exact=True).click()
    northwind_contact = Contact.objects.filter(organization__name="Northwind Traders").first()
    tailspin_contact = Contact.objects.filter(organization__name="Tailspin Toys").first()
    assert northwind_contact is not None
    assert tailspin_contact is not None
    page.get_by_label("Search").fill(northwind_contact.first_name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=northwind_contact.full_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(northwind_contact.full_name)

    response = page.goto(page.url.replace(f"/{northwind_contact.pk}/", f"/{tailspin_contact.pk}/"))
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_text(tailspin_contact.full_name)).to_have_count(0)
