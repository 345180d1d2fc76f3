"""API rate limits: one allowance per user over all their tokens and their session, one per
client address for anonymous requests and failed credentials; beyond it a 429 with Retry-After."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from openprm.accounts import services
from openprm.core.testing import assert_api_error
from openprm.settings import cache_settings

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def low_rates(settings):
    settings.OPENPRM_API_RATE_USER = "3/min"
    settings.OPENPRM_API_RATE_ANONYMOUS = "2/min"
    cache.clear()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        yield clock


def bearer(user):
    _token, secret = services.api_token_create(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def wrong_password(client, address="198.51.100.1", **headers):
    return client.post(
        "/api/v1/auth/tokens",
        {"email": "alice@northwind.example", "password": "wrong"},
        content_type="application/json",
        REMOTE_ADDR=address,
        **headers,
    )


def assert_answered_for(response, user):
    assert response.status_code == 200, response.content
    assert response.json()["email"] == user.email


def assert_rate_limited(response):
    assert_api_error(response, 429, "rate_limited")


def test_a_user_past_the_rate_gets_429_with_retry_after(client, alice):
    headers = bearer(alice)
    assert [client.get("/api/v1/me", **headers).status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/v1/me", **headers)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused["Retry-After"] == "60"


def test_every_token_and_the_session_of_a_user_share_one_allowance(client, alice):
    client.get("/api/v1/me", **bearer(alice))
    client.get("/api/v1/me", **bearer(alice))
    client.force_login(alice, backend=MODEL_BACKEND)
    assert_answered_for(client.get("/api/v1/me"), alice)
    assert_rate_limited(client.get("/api/v1/me", **bearer(alice)))
    assert_rate_limited(client.get("/api/v1/me"))


def test_another_user_keeps_their_own_allowance(client, alice, bob):
    alice_headers = bearer(alice)
    for _ in range(3):
        client.get("/api/v1/me", **alice_headers)
    assert_rate_limited(client.get("/api/v1/me", **alice_headers))
    assert_answered_for(client.get("/api/v1/me", **bearer(bob)), bob)


def test_the_allowance_comes_back_after_the_period(client, alice, low_rates):
    headers = bearer(alice)
    for _ in range(3):
        client.get("/api/v1/me", **headers)
    assert_rate_limited(client.get("/api/v1/me", **headers))
    low_rates.shift(dt.timedelta(seconds=61))
    assert_answered_for(client.get("/api/v1/me", **headers), alice)


def test_anonymous_requests_are_limited_per_client_address(client, alice):
    assert [wrong_password(client).status_code for _ in range(2)] == [400, 400]
    refused = wrong_password(client)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert wrong_password(client, address="198.51.100.2").status_code == 400


def answers(responses) -> list[tuple[int, str]]:
    return [(response.status_code, response.json()["code"]) for response in responses]


def test_failed_credentials_spend_the_anonymous_allowance(client):
    guesses = [
        client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer oprm_guess{number}")
        for number in range(3)
    ]
    assert answers(guesses) == [
        (401, "unauthenticated"), (401, "unauthenticated"), (429, "rate_limited"),
    ]  # fmt: skip


def test_behind_a_proxy_each_client_has_its_own_anonymous_allowance(client, settings):
    settings.OPENPRM_TRUSTED_PROXIES = 1
    via_proxy = {"address": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.9"}
    attempts = [wrong_password(client, **via_proxy) for _ in range(3)]
    assert answers(attempts) == [
        (400, "invalid_credentials"), (400, "invalid_credentials"), (429, "rate_limited"),
    ]  # fmt: skip
    other = wrong_password(client, address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert answers([other]) == [(400, "invalid_credentials")]


def test_a_signed_in_user_does_not_spend_the_anonymous_allowance(client, alice):
    assert wrong_password(client).status_code == 400
    headers = bearer(alice)
    for _ in range(3):
        assert_answered_for(client.get("/api/v1/me", REMOTE_ADDR="198.51.100.1", **headers), alice)
    assert wrong_password(client).status_code == 400
    assert_rate_limited(wrong_password(client))


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("database", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://cache.internal:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_url_names_the_cache(url, backend):
    assert cache_settings(url)["default"]["BACKEND"] == backend


def test_an_unknown_cache_url_stops_the_start():
    with pytest.raises(ImproperlyConfigured, match="OPENPRM_CACHE_URL"):
        cache_settings("memcached://cache.internal")
