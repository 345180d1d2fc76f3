"""Two-factor sign-in in a real browser: enrol with the QR page, sign in with the app's code,
then with a recovery code; the pages run under the Content-Security-Policy."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from openprm.accounts.tests.factories import PASSWORD
from openprm.accounts.two_factor import services
from tests.browser.accessibility import assert_accessible
from tests.browser.test_content_security_policy import ViolationWatch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def app_code(user, steps_ahead: int = 0) -> str:
    """What the authenticator app shows, computed by django-otp. A code one step ahead is
    still accepted, and is not the one enrolment used up."""
    device = TOTPDevice.objects.get(user=user)
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                 drift=steps_ahead)  # fmt: skip
    return f"{value:06d}"


def sign_in_with_password(page: Page, user) -> None:
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("button", name="Northwind Traders").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_partner_admin_enrols_and_signs_in_with_the_code_then_a_recovery_code(
    signed_out_page: Page, live_server, alice
):
    page = signed_out_page
    watch = ViolationWatch(page)
    sign_in_with_password(page, alice)
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("navigation", name="Settings sections").get_by_role(
        "link", name="Two-factor sign-in"
    ).click()
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    watch.assert_none()
    assert_accessible(page)
    page.get_by_label("Authentication code").fill(app_code(alice))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(services.RECOVERY_CODE_COUNT)
    recovery = codes.first.inner_text()
    sign_out(page)

    sign_in_with_password(page, alice)
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    expect(page.get_by_label("Remember this device")).not_to_be_checked()
    page.get_by_label("Authentication code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code is wrong or was already used.")).to_be_visible()
    page.get_by_label("Authentication code").fill(app_code(alice, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text(
        "Northwind Traders"
    )
    sign_out(page)

    sign_in_with_password(page, alice)
    page.get_by_label("Authentication code").fill(recovery)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text(
        "Northwind Traders"
    )
    page.goto(f"{live_server.url}/settings/two-factor/")
    expect(page.get_by_text("9 recovery codes left.")).to_be_visible()
