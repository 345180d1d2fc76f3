"""A new password revokes every API token of its owner, whichever way it is set."""

import io

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.urls import reverse

from openprm.accounts import services
from openprm.accounts.models import ApiToken, User
from openprm.accounts.tests.factories import PASSWORD, reset_password

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum orchard at midnight 42"


def token_headers(user, name="CRM sync"):
    _token, secret = services.api_token_create(user=user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def identified(client, headers) -> str | None:
    """The email of the user the API takes the token's bearer for; None when it refuses it."""
    response = client.get("/api/v1/me", **headers)
    if response.status_code == 401:
        assert response.json()["code"] == "unauthenticated"
        return None
    return response.json()["email"]


def test_changing_the_password_on_the_settings_page_revokes_every_token(client, alice):
    tokens = [token_headers(alice, "CRM sync"), token_headers(alice, "Billing")]
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert [identified(client, headers) for headers in tokens] == [None, None]
    assert not ApiToken.objects.filter(user=alice, revoked_at__isnull=True).exists()


def test_the_password_page_says_that_tokens_go_with_the_old_password(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "A new password revokes your API tokens" in page


def test_a_password_reset_revokes_every_token(client, alice, mailoutbox):
    headers = token_headers(alice)
    reset_password(client, mailoutbox, alice.email, NEW_PASSWORD)
    assert identified(client, headers) is None


def test_a_password_set_by_the_changepassword_command_revokes_every_token(
    client, alice, monkeypatch
):
    headers = token_headers(alice)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", alice.email, stdout=io.StringIO())
    assert identified(client, headers) is None


def test_another_users_tokens_keep_working(client, alice, bob):
    bobs = token_headers(bob)
    alice.set_password(NEW_PASSWORD)
    alice.save()
    assert identified(client, bobs) == bob.email


def test_a_token_made_after_the_change_works(client, alice):
    token_headers(alice)
    alice.set_password(NEW_PASSWORD)
    alice.save()
    assert identified(client, token_headers(alice)) == alice.email


def test_upgrading_the_stored_hash_at_sign_in_revokes_nothing(client, alice, settings):
    """Django rehashes a password stored with an older hasher when it is next checked."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    older = PBKDF2PasswordHasher().encode(PASSWORD, "salt", iterations=1000)
    User.objects.filter(pk=alice.pk).update(password=older)
    headers = token_headers(alice)
    response = client.post(
        "/api/v1/auth/tokens",
        {"email": alice.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert User.objects.get(pk=alice.pk).password.startswith("md5$")
    assert identified(client, headers) == alice.email
