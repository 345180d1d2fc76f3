"""Sign-in limits (openprm.accounts.lockout): an account that failed too often waits, longer
after each further failure, from every address alike; one address that failed too often, across
any accounts, waits too. Nobody can stretch a wait, and nothing locks an account for good."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from openprm.accounts.models import ApiToken
from openprm.accounts.tests.factories import PASSWORD, reset_password
from openprm.core.testing import assert_api_error

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LOCKED = "Too many failed sign-in attempts; try again later."


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def token_request(client, email, password, address="198.51.100.1", **headers):
    return client.post(
        "/api/v1/auth/tokens",
        {"email": email, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
        **headers,
    )


def assert_signed_in(response, user):
    """The answer carries a new token of `user`'s."""
    assert response.status_code == 201, response.content
    issued = ApiToken.objects.get(pk=response.json()["id"])
    assert (issued.user, issued.revoked_at) == (user, None)


def assert_locked_out(response, user):
    assert_api_error(response, 429, "locked_out")
    assert not ApiToken.objects.filter(user=user).exists()


def fail(client, email, times, first_address=1):
    """Wrong passwords, each from another address, as a botnet would send them."""
    for number in range(first_address, first_address + times):
        response = token_request(client, email, "wrong", address=f"203.0.113.{number}")
        assert response.status_code == 400, response.content


def test_failures_from_many_addresses_make_the_account_wait_a_minute(client, alice, clock):
    fail(client, alice.email, 5)
    response = token_request(client, alice.email, PASSWORD, address="192.0.2.200")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert response["Retry-After"] == "60"


def test_fewer_failures_than_the_limit_leave_the_account_open(client, alice, clock):
    fail(client, alice.email, 4)
    assert_signed_in(token_request(client, alice.email, PASSWORD), alice)


def test_the_right_password_works_once_the_wait_is_over(client, alice, clock):
    fail(client, alice.email, 5)
    clock.shift(dt.timedelta(seconds=59))
    assert_locked_out(token_request(client, alice.email, PASSWORD), alice)
    clock.shift(dt.timedelta(seconds=2))
    assert_signed_in(token_request(client, alice.email, PASSWORD), alice)


def test_each_failure_after_a_wait_doubles_the_next_wait(client, alice, clock):
    fail(client, alice.email, 5)
    clock.shift(dt.timedelta(seconds=61))
    fail(client, alice.email, 1, first_address=6)
    assert token_request(client, alice.email, PASSWORD)["Retry-After"] == "120"
    clock.shift(dt.timedelta(seconds=121))
    fail(client, alice.email, 1, first_address=7)
    assert token_request(client, alice.email, PASSWORD)["Retry-After"] == "240"


def test_the_wait_never_grows_past_the_longest_wait(client, alice, clock, settings):
    settings.OPENPRM_LOGIN_BACKOFF_MAX_MINUTES = 3
    fail(client, alice.email, 5)
    for number in range(6, 9):
        clock.shift(dt.timedelta(minutes=3, seconds=1))
        fail(client, alice.email, 1, first_address=number)
    assert token_request(client, alice.email, PASSWORD)["Retry-After"] == "180"


def test_attempts_refused_during_the_wait_do_not_stretch_it(client, alice, clock):
    fail(client, alice.email, 5)
    for number in range(20, 30):
        assert_locked_out(token_request(client, alice.email, "wrong", f"203.0.113.{number}"), alice)
    clock.shift(dt.timedelta(seconds=61))
    assert_signed_in(token_request(client, alice.email, PASSWORD), alice)


def test_a_success_starts_the_count_again(client, alice, clock):
    fail(client, alice.email, 4)
    assert_signed_in(token_request(client, alice.email, PASSWORD), alice)
    fail(client, alice.email, 4, first_address=10)
    assert_signed_in(token_request(client, alice.email, PASSWORD), alice)


def test_failures_are_forgotten_after_a_quiet_day(client, alice, clock):
    fail(client, alice.email, 4)
    clock.shift(dt.timedelta(days=1, seconds=1))
    fail(client, alice.email, 4, first_address=10)
    assert_signed_in(token_request(client, alice.email, PASSWORD), alice)


def test_an_unknown_email_waits_exactly_like_a_known_one(client, alice, clock):
    fail(client, alice.email, 5)
    fail(client, "nobody@northwind.example", 5, first_address=10)
    known = token_request(client, alice.email, "wrong")
    unknown = token_request(client, "nobody@northwind.example", "wrong")
    assert known.status_code == unknown.status_code == 429
    assert known.json() == unknown.json()
    assert known["Retry-After"] == unknown["Retry-After"]


def test_a_password_reset_ends_the_wait(client, alice, clock, mailoutbox):
    fail(client, alice.email, 5)
    assert_locked_out(token_request(client, alice.email, PASSWORD), alice)
    reset_password(client, mailoutbox, alice.email, "plum orchard at midnight 42")
    assert_signed_in(token_request(client, alice.email, "plum orchard at midnight 42"), alice)


def test_the_sign_in_page_refuses_the_right_password_while_the_account_waits(client, alice, clock):
    fail(client, alice.email, 5)
    response = client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.fixture
def staff_victor(victor):
    victor.is_staff = True
    victor.save(update_fields=["is_staff"])
    return victor


def test_the_admin_sign_in_refuses_the_right_password_while_the_account_waits(
    client, staff_victor, clock
):
    fail(client, staff_victor.email, 5)
    credentials = {"username": staff_victor.email, "password": PASSWORD}
    client.post(reverse("admin:login"), credentials)
    assert "_auth_user_id" not in client.session
    clock.shift(dt.timedelta(seconds=61))
    client.post(reverse("admin:login"), credentials)
    assert client.session["_auth_user_id"] == str(staff_victor.pk)


def test_the_admin_sign_in_counts_failures_too(client, victor, clock):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": victor.email, "password": "wrong"})
    assert_locked_out(token_request(client, victor.email, PASSWORD), victor)


def test_one_address_failing_on_many_accounts_waits(client, alice, clock, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        token_request(client, f"guess{number}@northwind.example", "wrong", address="192.0.2.9")
    refused = token_request(client, alice.email, PASSWORD, address="192.0.2.9")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    assert token_request(client, alice.email, PASSWORD, address="192.0.2.10").status_code == 201


def test_the_address_wait_ends_after_the_cool_off(client, alice, clock, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        token_request(client, f"guess{number}@northwind.example", "wrong", address="192.0.2.9")
    clock.shift(dt.timedelta(minutes=15, seconds=1))
    assert_signed_in(token_request(client, alice.email, PASSWORD, address="192.0.2.9"), alice)


def test_signing_in_to_an_own_account_does_not_clear_an_addresses_failures(
    client, alice, charlie, clock, settings
):
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        token_request(client, f"guess{number}@northwind.example", "wrong", address="192.0.2.9")
    assert_signed_in(token_request(client, charlie.email, PASSWORD, address="192.0.2.9"), charlie)
    token_request(client, "guess@northwind.example", "wrong", address="192.0.2.9")
    assert_locked_out(token_request(client, alice.email, PASSWORD, address="192.0.2.9"), alice)


def test_behind_a_shared_proxy_one_attacker_does_not_lock_out_its_other_users(
    client, alice, clock, settings
):
    settings.OPENPRM_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for number in range(settings.AXES_FAILURE_LIMIT):
        token_request(client, f"guess{number}@northwind.example", "wrong", address=proxy,
                      HTTP_X_FORWARDED_FOR="192.0.2.9")  # fmt: skip
    attacker = token_request(client, alice.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="192.0.2.9")
    assert_locked_out(attacker, alice)
    colleague = token_request(
        client, alice.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.23"
    )
    assert_signed_in(colleague, alice)
