"""A program launched from nothing, in a real browser: the program admin creates a partner with
its location and PDM and invites its first admin, who follows the emailed link, chooses a
password and signs in to their dashboard; and a company that applies on the public page,
is approved, and joins the same way.

With OPENPRM_DOC_SCREENSHOTS=1 the tests also save the pages docs/program-admin.md shows into
docs/images/ (the visible part of the page only, at a small window size)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from openprm.accounts.models import User
from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import PASSWORD
from tests.browser.accessibility import assert_accessible
from tests.browser.screenshots import doc_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a long passphrase for Litware"


def screenshot(page: Page, name: str) -> None:
    doc_screenshot(page, name)


@pytest.fixture
def small_window(signed_out_page: Page) -> Page:
    signed_out_page.set_viewport_size({"width": 1024, "height": 720})
    return signed_out_page


def field(page: Page, label: str) -> Locator:
    """The input of this label exactly, whether or not a required mark follows it."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    field(page, "Email").fill(email)
    field(page, "Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page, live_server) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")


def invitation_path(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    match = re.search(r"https?://[^/\s]+(/invitations/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def accept_invitation(page: Page, live_server, email: str, organization: str) -> None:
    """The invitee opens the emailed link, chooses a password, then signs in with it."""
    page.goto(live_server.url + invitation_path(email))
    expect(page.get_by_role("heading", name=f"Join {organization}")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "accept-invitation")
    field(page, "Password").fill(NEW_PASSWORD)
    field(page, "Password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Accept invitation").click()
    expect(page.get_by_text(f"Welcome to {organization}.")).to_be_visible()
    sign_out(page, live_server)
    sign_in(page, email, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    expect(page.get_by_test_id("organization")).to_have_text(organization)
    screenshot(page, "partner-dashboard")


def test_the_program_admin_onboards_a_partner_whose_admin_signs_in(
    small_window: Page, live_server, victor, pam
):
    page = small_window
    sign_in(page, victor.email)
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("link", name="Partners", exact=True).click()
    page.get_by_role("link", name="New partner").click()
    field(page, "Name").fill("Fabrikam Consulting")
    field(page, "Country").select_option("JP")
    field(page, "Currency").select_option("JPY")
    field(page, "Partner development manager").select_option(label=str(pam))
    field(page, "Tier at start").fill("Gold")
    field(page, "Location name").fill("Osaka")
    field(page, "Location country").select_option("JP")
    field(page, "City").fill("Osaka")
    field(page, "Location ID").fill("FAB-OSA")
    assert_accessible(page)
    screenshot(page, "new-partner")
    page.get_by_role("button", name="Create partner").click()

    expect(page.get_by_text("Fabrikam Consulting is created.")).to_be_visible()
    field(page, "Email").fill("erin@fabrikam.example")
    field(page, "Full name").fill("Erin Ito")
    screenshot(page, "invite-partner-admin")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to erin@fabrikam.example.")).to_be_visible()
    screenshot(page, "partner-detail")

    sign_out(page, live_server)
    accept_invitation(page, live_server, "erin@fabrikam.example", "Fabrikam Consulting")
    erin = User.objects.get(email="erin@fabrikam.example")
    assert erin.organization is not None
    assert (erin.organization.name, erin.role) == ("Fabrikam Consulting", Role.PARTNER_ADMIN)


def test_a_company_applies_is_approved_and_its_contact_signs_in(
    small_window: Page, live_server, victor
):
    page = small_window
    page.get_by_role("link", name="Apply to become a partner").click()
    field(page, "Company name").fill("Litware Systems")
    field(page, "Country").select_option("TH")
    field(page, "Website").fill("https://litware.example")
    field(page, "Contact name").fill("Nok Suksan")
    field(page, "Contact email").fill("nok@litware.example")
    field(page, "Message").fill("We resell cloud software in Bangkok.")
    assert_accessible(page)
    screenshot(page, "apply")
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", name="Application sent")).to_be_visible()

    page.goto(f"{live_server.url}/login/")
    sign_in(page, victor.email)
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("link", name="Partner applications").click()
    field(page, "Status").select_option("pending")
    page.get_by_role("button", name="Filter").click()
    screenshot(page, "partner-applications")
    page.get_by_role("link", name="Litware Systems").click()
    page.get_by_role("link", name="Approve").click()
    field(page, "Currency").select_option("USD")
    field(page, "Tier at start").fill("Silver")
    field(page, "Location name").fill("Bangkok")
    field(page, "Location ID").fill("LIT-BKK")
    assert_accessible(page)
    screenshot(page, "approve-application")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Litware Systems is a partner now")).to_be_visible()
    expect(page.get_by_role("link", name="Approve")).to_have_count(0)

    sign_out(page, live_server)
    accept_invitation(page, live_server, "nok@litware.example", "Litware Systems")
