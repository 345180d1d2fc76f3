"""Passwords and API tokens reach neither the logs, nor the failed attempts axes keeps, nor an
error report (what Django mails to ADMINS)."""

import base64
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from openprm.accounts import lockout, services
from openprm.accounts.models import ApiToken
from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import PASSWORD
from openprm.settings import cache_settings

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "Wrong-Horse-Battery-7"
KNOWN_SECRET = "oprm_a-token-secret-nobody-may-log"


def request_token(client, email, password):
    return client.post(
        "/api/v1/auth/tokens",
        {"email": email, "password": password},
        content_type="application/json",
    )


def error_report(caplog: pytest.LogCaptureFixture) -> str:
    """What Django's AdminEmailHandler would mail for the request's 500: the text, and the
    HTML page (include_html) with every frame's variables."""
    record = next(r for r in caplog.records if r.name == "django.request" and r.exc_info)
    assert record.exc_info is not None
    exc_type, exc_value, traceback = record.exc_info
    request = getattr(record, "request", None)
    reporter = ExceptionReporter(request, exc_type, exc_value, traceback, is_email=True)
    return reporter.get_traceback_text() + reporter.get_traceback_html()


def test_sign_ins_and_token_requests_log_no_password_and_no_token(client, alice, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(reverse("login"), {"username": alice.email, "password": WRONG_PASSWORD})
    request_token(client, alice.email, WRONG_PASSWORD)
    secret = request_token(client, alice.email, PASSWORD).json()["token"]
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer oprm_guessed-token")
    logged = caplog.text + "".join(repr(record.args) for record in caplog.records)
    assert "AXES: New login failure" in logged
    for value in (WRONG_PASSWORD, PASSWORD, secret, "oprm_guessed-token"):
        assert value not in logged


def test_credentials_in_another_scheme_are_not_logged_even_in_debug(
    client, alice, caplog, settings
):
    settings.DEBUG = True
    caplog.set_level(logging.DEBUG)
    basic = base64.b64encode(f"{alice.email}:{PASSWORD}".encode()).decode()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 401
    assert basic not in caplog.text


def test_the_failed_attempts_axes_keeps_hold_no_password_and_no_csrf_token(alice):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("login")).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf
    form = {"username": alice.email, "password": WRONG_PASSWORD, "csrfmiddlewaretoken": csrf[1]}
    assert browser.post(reverse("login"), form).status_code == 200
    kept = "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "password=" in kept
    assert "csrfmiddlewaretoken=" in kept
    assert WRONG_PASSWORD not in kept
    assert csrf[1] not in kept


def test_an_error_while_making_a_token_reports_neither_password_nor_token(
    client, alice, caplog, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the event table went away")

    client.raise_request_exception = False
    monkeypatch.setattr(ApiToken, "new_secret", classmethod(lambda cls: KNOWN_SECRET))
    monkeypatch.setattr(services, "record_event", broken)
    assert request_token(client, alice.email, PASSWORD).status_code == 500
    report = error_report(caplog)
    assert "the event table went away" in report
    assert PASSWORD not in report
    assert KNOWN_SECRET not in report


def test_an_error_after_signing_in_reports_no_password(client, alice, caplog, monkeypatch):
    def broken(email):
        raise RuntimeError("the failures table went away")

    client.raise_request_exception = False
    monkeypatch.setattr(lockout, "clear_failures", broken)
    response = client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 500
    report = error_report(caplog)
    assert "the failures table went away" in report
    assert PASSWORD not in report


def test_an_error_while_checking_a_token_reports_no_token(client, alice, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the token table went away")

    client.raise_request_exception = False
    monkeypatch.setattr(ApiToken.objects, "active", broken)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {KNOWN_SECRET}")
    assert response.status_code == 500
    report = error_report(caplog)
    assert "the token table went away" in report
    assert KNOWN_SECRET not in report


def test_an_error_while_setting_a_password_reports_no_password(client, alice, caplog, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the event table went away")

    new_password = "plum orchard at midnight 42"
    client.raise_request_exception = False
    client.force_login(alice)
    monkeypatch.setattr(services, "record_event", broken)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 500
    report = error_report(caplog)
    assert "the event table went away" in report
    assert new_password not in report
    assert PASSWORD not in report


def test_error_reports_hide_the_password_of_a_redis_cache(settings):
    settings.CACHES = cache_settings("redis://default:s3cret%21@cache.internal:6379/0")
    assert settings.CACHES["default"]["LOCATION"] == "redis://default@cache.internal:6379/0"
    assert settings.CACHES["default"]["OPTIONS"] == {"password": "s3cret!"}
    assert "s3cret" not in repr(SafeExceptionReporterFilter().get_safe_settings())


def test_error_reports_show_no_database_url():
    """DATABASES hides its PASSWORD; the URL it was read from would show it."""
    assert "DATABASE_URL" not in SafeExceptionReporterFilter().get_safe_settings()


def test_an_error_while_accepting_an_invitation_reports_no_password(
    client, alice, caplog, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("the event table went away")

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=alice, email="dora@northwind.example", full_name="Dora", role=Role.PARTNER_USER
        )
    link = re.search(r"https?://[^/\s]+(/invitations/\S+/)", mailoutbox[0].body)
    assert link
    new_password = "plum orchard at midnight 42"
    client.raise_request_exception = False
    monkeypatch.setattr(services, "record_event", broken)
    form = {"full_name": "Dora", "password": new_password, "password_confirmation": new_password}
    assert client.post(link[1], form).status_code == 500
    report = error_report(caplog)
    assert "the event table went away" in report
    assert new_password not in report
