"""Foundation 2 in a real browser: the customer directory searched in Thai, a private note,
and the notification inbox with its unread count in the header."""

import re

import pytest
from playwright.sync_api import Page, expect

from openprm.accounts.tests.factories import PASSWORD
from openprm.crm.tests.factories import ContactFactory, CustomerFactory
from openprm.notifications.tests.factories import NotificationFactory
from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, user) -> None:
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_partner_finds_a_thai_customer_adds_a_note_and_sees_no_other_partners_contacts(
    signed_out_page: Page, charlie, northwind
):
    customer = CustomerFactory.create(name="บริษัท ไทยซอฟต์ จำกัด", country="TH", duns="246813579")
    CustomerFactory.create(name="ไทยซอฟต์ Japan KK", country="JP")
    ContactFactory.create(organization=northwind, customer=customer, first_name="Northwinder")
    page = signed_out_page
    sign_in(page, charlie)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Customers", exact=True
    ).click()

    page.get_by_label("Name").fill("ไทยซอฟต์")
    page.get_by_label("Country").select_option("TH")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="บริษัท ไทยซอฟต์ จำกัด")).to_be_visible()
    expect(page.get_by_role("link", name="ไทยซอฟต์ Japan KK")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Name").fill("")
    page.get_by_label("Country").select_option("")
    page.get_by_label("DUNS number").fill("246813579")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="บริษัท ไทยซอฟต์ จำกัด").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("บริษัท ไทยซอฟต์ จำกัด")
    expect(page.get_by_text("Northwinder")).to_have_count(0)

    page.get_by_role("textbox", name="Note").fill("พบ CIO แล้ว")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("พบ CIO แล้ว")).to_be_visible()
    assert_accessible(page)


def test_the_header_counts_unread_notifications_and_marking_one_read_lowers_it(
    signed_out_page: Page, alice
):
    NotificationFactory.create(recipient=alice, title="Call Contoso back")
    NotificationFactory.create(recipient=alice, title="Review the plan")
    page = signed_out_page
    sign_in(page, alice)
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(
        navigation.get_by_role("link", name=re.compile(r"^Notifications 2 unread"))
    ).to_be_visible()

    navigation.get_by_role("link", name=re.compile(r"^Notifications")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert_accessible(page)
    page.get_by_role("button", name="Mark as read").first.click()
    expect(
        navigation.get_by_role("link", name=re.compile(r"^Notifications 1 unread"))
    ).to_be_visible()

    page.get_by_role("button", name="Mark all as read").click()
    expect(navigation.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Mark as read")).to_have_count(0)


def test_a_user_turns_off_task_reminder_emails_on_the_preferences_page(
    signed_out_page: Page, alice
):
    page = signed_out_page
    sign_in(page, alice)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Notifications"
    ).click()
    page.get_by_role("link", name="Notification preferences").click()
    assert_accessible(page)
    page.get_by_label("Task reminders by email").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification preferences are saved.")).to_be_visible()
    expect(page.get_by_label("Task reminders by email")).not_to_be_checked()
    expect(page.get_by_label("Task reminders in the app")).to_be_checked()
