"""Two-factor sign-in (A2): enrolment, the code after the password, recovery codes, "remember
this device", and an organization's requirement to enrol."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openprm.accounts.models import SignInFailures
from openprm.accounts.tests.factories import PASSWORD
from openprm.accounts.tests.two_factor_kit import current_code, enrol
from openprm.accounts.two_factor import services
from openprm.core.models import Event

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
STEP = dt.timedelta(seconds=30)
WRONG = "That code is wrong or was already used."


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def enrolled(alice, clock):
    device, codes = enrol(alice)
    clock.shift(STEP)
    return device, codes


def sign_in(client, user, **extra):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD, **extra})


def enter_code(client, code, remember=False):
    data = {"code": code, **({"remember": "on"} if remember else {})}
    return client.post(reverse("accounts:two_factor_sign_in"), data)


def signed_in(client) -> bool:
    return client.get(reverse("accounts:settings")).status_code == 200


def test_the_setup_page_shows_a_qr_code_and_the_key_to_type(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    device = TOTPDevice.objects.get(user=alice)
    assert "<svg" in page
    assert "QR code for your authenticator app" in page
    assert "Authentication code" in page
    assert not device.confirmed


def test_enrolling_with_the_apps_code_shows_ten_recovery_codes_once(client, alice, clock):
    client.force_login(alice)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=alice)
    page = client.post(reverse("accounts:two_factor_setup"), {"code": current_code(device)})
    shown = [token.token for token in StaticToken.objects.filter(device__user=alice)]
    assert len(shown) == services.RECOVERY_CODE_COUNT
    assert all(code in page.content.decode() for code in shown)
    status = client.get(reverse("accounts:two_factor")).content.decode()
    assert not any(code in status for code in shown)
    assert "10 recovery codes left." in status


def test_a_wrong_code_at_enrolment_is_refused_and_turns_nothing_on(client, alice, clock):
    client.force_login(alice)
    client.get(reverse("accounts:two_factor_setup"))
    page = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert WRONG in page.content.decode()
    assert not TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=alice).exists()


def test_an_enrolled_user_is_asked_for_the_code_after_the_password(client, alice, enrolled):
    response = sign_in(client, alice)
    assert response.url == reverse("accounts:two_factor_sign_in")
    assert not signed_in(client)
    assert enter_code(client, current_code(enrolled[0])).status_code == 302
    assert signed_in(client)


def test_a_wrong_code_is_refused_counted_and_signs_nobody_in(client, alice, enrolled):
    sign_in(client, alice)
    page = enter_code(client, "123456")
    assert WRONG in page.content.decode()
    assert not signed_in(client)
    assert SignInFailures.objects.get(email=alice.email).count == 1


def test_a_replayed_code_is_refused(client, alice, enrolled):
    code = current_code(enrolled[0])
    sign_in(client, alice)
    enter_code(client, code)
    client.logout()
    sign_in(client, alice)
    page = enter_code(client, code)
    assert WRONG in page.content.decode()
    assert not signed_in(client)


def test_wrong_codes_meet_the_sign_in_wait_like_wrong_passwords(client, alice, enrolled, settings):
    settings.OPENPRM_LOGIN_FAILURE_LIMIT = 2
    sign_in(client, alice)
    for _attempt in range(3):
        enter_code(client, "123456")
    page = enter_code(client, current_code(enrolled[0]))
    assert "Too many failed sign-in attempts; try again later." in page.content.decode()
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client, alice, enrolled):
    recovery = enrolled[1][0]
    sign_in(client, alice)
    assert enter_code(client, recovery.upper()).status_code == 302
    client.logout()
    sign_in(client, alice)
    assert WRONG in enter_code(client, recovery).content.decode()
    assert StaticToken.objects.filter(device__user=alice).count() == len(enrolled[1]) - 1
    assert Event.objects.filter(kind="user.recovery_code_used", object_id=str(alice.pk)).exists()


def test_remember_this_device_is_off_by_default(client, alice, enrolled):
    sign_in(client, alice)
    page = client.get(reverse("accounts:two_factor_sign_in")).content.decode()
    assert "Remember this device" in page
    assert 'name="remember"' in page
    assert "checked" not in page


def test_a_remembered_device_skips_the_code_until_the_password_changes(
    client, alice, enrolled, clock
):
    sign_in(client, alice)
    enter_code(client, current_code(enrolled[0]), remember=True)
    client.post(reverse("logout"))  # the test client's logout() would drop every cookie
    assert sign_in(client, alice).url == reverse("home")
    client.post(reverse("logout"))
    alice.set_password("a brand new password for alice")
    alice.save()
    response = client.post(
        reverse("login"),
        {"username": alice.email, "password": "a brand new password for alice"},
    )
    assert response.url == reverse("accounts:two_factor_sign_in")


def test_a_partner_admin_requires_it_and_its_users_must_enrol_first(client, alice, bob, charlie):
    client.force_login(alice)
    client.post(reverse("accounts:two_factor_requirement"), {"required": "on"})
    client.logout()
    assert sign_in(client, bob).url == reverse("accounts:two_factor_setup")
    held = client.get(reverse("accounts:settings"))
    assert held.url == reverse("accounts:two_factor_setup")
    assert client.get("/api/v1/me").status_code == 403
    client.logout()
    assert sign_in(client, charlie).url == reverse("home")


def test_enrolling_releases_a_held_user(client, bob, alice, clock):
    services.requirement_set(user=alice, required=True)
    sign_in(client, bob)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "Your organization requires two-factor sign-in." in page
    device = TOTPDevice.objects.get(user=bob)
    client.post(reverse("accounts:two_factor_setup"), {"code": current_code(device)})
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_the_program_admin_requires_it_for_every_partner(client, victor, pam, bob, charlie):
    services.requirement_set(user=victor, required=False, partners_required=True)
    assert sign_in(client, charlie).url == reverse("accounts:two_factor_setup")
    client.logout()
    assert sign_in(client, bob).url == reverse("accounts:two_factor_setup")
    client.logout()
    assert sign_in(client, pam).url == reverse("home")


def test_the_program_admin_requires_it_for_the_vendor(client, victor, pam):
    services.requirement_set(user=victor, required=True)
    assert sign_in(client, pam).url == reverse("accounts:two_factor_setup")


def test_a_partner_admin_cannot_require_it_for_every_partner(client, alice, charlie):
    client.force_login(alice)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Require two-factor sign-in for my organization" in page
    assert "for every partner" not in page
    client.post(
        reverse("accounts:two_factor_requirement"), {"required": "", "partners_required": "on"}
    )
    client.logout()
    assert sign_in(client, charlie).url == reverse("home")


def test_a_partner_user_cannot_set_the_requirement(client, bob):
    client.force_login(bob)
    assert "Requirement" not in client.get(reverse("accounts:two_factor")).content.decode()
    response = client.post(reverse("accounts:two_factor_requirement"), {"required": "on"})
    assert response.status_code == 404


def test_the_requirement_change_is_recorded(alice):
    services.requirement_set(user=alice, required=True)
    event = Event.objects.get(kind="organization.two_factor_requirement_changed")
    assert event.data["changes"] == {"required": [False, True]}
    assert event.actor == alice


def test_turning_it_off_needs_a_current_code(client, alice, enrolled):
    client.force_login(alice)
    page = client.post(reverse("accounts:two_factor_disable"), {"code": "123456"})
    assert WRONG in page.content.decode()
    assert TOTPDevice.objects.filter(user=alice).exists()
    client.post(reverse("accounts:two_factor_disable"), {"code": current_code(enrolled[0])})
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_it_cannot_be_turned_off_where_the_organization_requires_it(client, alice, enrolled):
    services.requirement_set(user=alice, required=True)
    client.force_login(alice)
    page = client.post(reverse("accounts:two_factor_disable"), {"code": current_code(enrolled[0])})
    assert "requires two-factor sign-in, so it cannot be turned off" in page.content.decode()
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client, alice, enrolled):
    client.force_login(alice)
    page = client.post(reverse("accounts:two_factor_recovery")).content.decode()
    fresh = set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    assert fresh.isdisjoint(enrolled[1])
    assert all(code in page for code in fresh)


def test_api_tokens_keep_working_for_an_enrolled_user(client, alice, enrolled):
    from openprm.accounts import services as account_services

    _token, secret = account_services.api_token_create(user=alice, name="CRM sync")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["email"] == alice.email


def test_the_code_step_expires(client, alice, enrolled, clock):
    sign_in(client, alice)
    clock.shift(dt.timedelta(minutes=10))
    response = enter_code(client, current_code(enrolled[0]))
    assert response.url == reverse("login")
    assert not signed_in(client)


def test_the_admin_sign_in_refuses_an_enrolled_account(client, victor, clock):
    victor.is_staff = True
    victor.save(update_fields=["is_staff"])
    enrol(victor)
    page = client.post(reverse("admin:login"), {"username": victor.email, "password": PASSWORD})
    assert "This account uses two-factor sign-in" in page.content.decode()
    assert "_auth_user_id" not in client.session


def token_exchange(client, user, **extra):
    body = {"email": user.email, "password": PASSWORD, **extra}
    return client.post("/api/v1/auth/tokens", body, content_type="application/json")


def test_the_token_exchange_asks_an_enrolled_user_for_the_code(client, alice, enrolled):
    missing = token_exchange(client, alice)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "code"
    assert token_exchange(client, alice, code=current_code(enrolled[0])).status_code == 201


def test_the_token_exchange_refuses_a_wrong_code_and_creates_no_token(client, alice, enrolled):
    refused = token_exchange(client, alice, code="123456")
    assert refused.status_code == 422
    assert WRONG in refused.json()["errors"][0]["message"]
    assert not alice.api_tokens.exists()


def test_the_token_exchange_waits_for_a_user_who_must_enrol(client, alice, bob):
    services.requirement_set(user=alice, required=True)
    refused = token_exchange(client, bob)
    assert refused.status_code == 403
    assert refused.json()["code"] == "two_factor_enrolment_required"


def test_the_program_admin_removes_a_lost_authenticator_in_the_program_settings(
    client, victor, alice, enrolled
):
    device = enrolled[0]
    client.force_login(victor)
    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert alice.email in listing or alice.full_name in listing
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_nobody_changes_an_authenticator_in_the_program_settings(client, victor, enrolled):
    client.force_login(victor)
    page = client.get(f"/admin/otp_totp/totpdevice/{enrolled[0].pk}/change/").content.decode()
    assert enrolled[0].key not in page
    assert client.get(f"/admin/otp_totp/totpdevice/{enrolled[0].pk}/config/").status_code == 302
