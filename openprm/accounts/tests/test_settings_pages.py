"""Sign-in, password reset and change, profile preferences, language switch, API tokens page."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openprm.accounts.models import ApiToken, User
from openprm.accounts.tests.factories import PASSWORD
from openprm.core.models import Event

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum orchard at midnight 42"
GENERIC = "Invalid email or password."


def test_wrong_password_and_unknown_email_show_one_generic_message(client, alice):
    wrong = client.post(reverse("login"), {"username": alice.email, "password": "nope"})
    unknown = client.post(reverse("login"), {"username": "no@one.example", "password": "nope"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert response.content.decode().count(GENERIC) == 1


def test_sign_in_page_links_to_password_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("accounts:password_reset") in page


def test_password_reset_email_lets_the_user_choose_a_new_password(
    client, alice, mailoutbox, settings
):
    settings.SITE_URL = "https://prm.example.com"
    response = client.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    match = re.search(r"https://prm\.example\.com/password-reset/\S+/\S+/", mailoutbox[0].body)
    assert match, mailoutbox[0].body
    form_page = client.get(urlparse(match.group(0)).path, follow=True)
    assert form_page.status_code == 200
    set_password_path = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    signed_in = client.post(reverse("login"), {"username": alice.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert Event.objects.filter(kind="user.password_changed", object_id=str(alice.pk)).exists()


def test_password_reset_for_an_unknown_email_sends_nothing_and_looks_the_same(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "no@one.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_deactivated_user_gets_no_password_reset_email(client, bob, mailoutbox):
    bob.is_active = False
    bob.save()
    client.post(reverse("accounts:password_reset"), {"email": bob.email})
    assert mailoutbox == []


def test_password_reset_pages_label_every_input(client, alice):
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert '<label class="form-label" for="id_email">' in page


def test_password_change_needs_the_old_password(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)


def test_password_change_keeps_the_user_signed_in(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_profile_saves_name_language_and_timezone(client, bob):
    client.force_login(bob)
    response = client.post(
        reverse("accounts:settings"),
        {"full_name": "Bob Builder", "language": "zh-hant", "timezone": "Asia/Taipei"},
    )
    assert response.status_code == 302
    bob = User.objects.get(pk=bob.pk)
    assert (bob.full_name, bob.language, bob.timezone) == ("Bob Builder", "zh-hant", "Asia/Taipei")
    page = client.get(reverse("accounts:settings")).content.decode()
    assert '<html lang="zh-hant">' in page


def test_profile_rejects_an_unknown_timezone(client, bob):
    client.force_login(bob)
    response = client.post(
        reverse("accounts:settings"),
        {"full_name": "Bob", "language": "", "timezone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert "Mars/Olympus" in response.content.decode()
    assert User.objects.get(pk=bob.pk).timezone == "UTC"


def test_language_switcher_saves_the_users_language(client, alice, settings):
    client.force_login(alice)
    settings_page = reverse("accounts:settings")
    response = client.post(
        reverse("accounts:set_language"), {"language": "ja", "next": settings_page}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).language == "ja"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert '<html lang="ja">' in client.get(settings_page).content.decode()


def test_language_switcher_works_signed_out(client):
    response = client.post(reverse("accounts:set_language"), {"language": "th", "next": "/login/"})
    assert response.status_code == 302
    assert '<html lang="th">' in client.get(reverse("login")).content.decode()


def test_header_language_switcher_posts_to_the_saving_view(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert f'action="{reverse("accounts:set_language")}"' in page


def test_token_page_shows_the_secret_once_and_revokes(client, alice):
    client.force_login(alice)
    created = client.post(reverse("accounts:tokens"), {"name": "CRM sync"})
    assert created.status_code == 200
    shown = re.search(r'value="(oprm_[^"]+)"', created.content.decode())
    assert shown
    secret = shown.group(1)
    script = Client()
    assert script.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "CRM sync" in listing
    assert secret not in listing
    token = ApiToken.objects.get(user=alice)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    assert script.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_another_users_token_cannot_be_revoked(client, alice, bob):
    client.force_login(alice)
    client.post(reverse("accounts:tokens"), {"name": "Alice's"})
    token = ApiToken.objects.get(user=alice)
    client.force_login(bob)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_settings_pages_need_sign_in(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_users_timezone_does_not_outlive_their_request(client, bob):
    bob.timezone = "Asia/Tokyo"
    bob.save()
    client.force_login(bob)
    client.get(reverse("accounts:settings"))
    assert timezone.get_current_timezone_name() == "UTC"


def test_repeated_wrong_passwords_lock_the_sign_in_page_even_for_the_right_one(
    client, alice, settings
):
    for _ in range(settings.OPENPRM_LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": alice.email, "password": "nope"})
    response = client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})
    assert "Too many failed sign-in attempts; try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_out_email_and_an_unknown_one_look_the_same_until_the_limit(
    client, alice, settings
):
    for _ in range(settings.OPENPRM_LOGIN_FAILURE_LIMIT - 1):
        known = client.post(reverse("login"), {"username": alice.email, "password": "nope"})
        unknown = client.post(reverse("login"), {"username": "no@one.example", "password": "x"})
        assert known.status_code == unknown.status_code == 200
        assert GENERIC in known.content.decode()
        assert GENERIC in unknown.content.decode()
