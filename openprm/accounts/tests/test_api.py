import pytest

from openprm.accounts.models import ApiToken
from openprm.accounts.tests.factories import PASSWORD
from openprm.core.testing import assert_api_error

pytestmark = pytest.mark.django_db


def bearer(client, user):
    response = client.post(
        "/api/v1/auth/tokens",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_token_exchange_returns_a_bearer_token_that_identifies_the_user(client, alice):
    headers = bearer(client, alice)
    response = client.get("/api/v1/me", **headers)
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "alice@northwind.example"
    assert body["organization"]["name"] == "Northwind Traders"
    assert body["role"] == "partner_admin"
    assert body["global_scope"] is True


def test_me_reports_a_partner_users_location_scope(client, bob):
    body = client.get("/api/v1/me", **bearer(client, bob)).json()
    assert body["global_scope"] is False
    assert body["location_countries"] == ["US"]


def test_wrong_password_and_unknown_email_get_the_same_answer(client, alice):
    wrong_password = client.post(
        "/api/v1/auth/tokens",
        {"email": alice.email, "password": "nope"},
        content_type="application/json",
    )
    unknown_email = client.post(
        "/api/v1/auth/tokens",
        {"email": "nobody@northwind.example", "password": "nope"},
        content_type="application/json",
    )
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert wrong_password.json() == unknown_email.json()


def test_repeated_wrong_passwords_are_locked_out(client, alice, settings):
    for _ in range(settings.OPENPRM_LOGIN_FAILURE_LIMIT):
        client.post(
            "/api/v1/auth/tokens",
            {"email": alice.email, "password": "nope"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/tokens",
        {"email": alice.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert_api_error(response, 429, "locked_out")
    assert not ApiToken.objects.filter(user=alice).exists()


def test_revoked_token_no_longer_authenticates(client, alice):
    headers = bearer(client, alice)
    token = ApiToken.objects.get(user=alice)
    assert client.delete(f"/api/v1/auth/tokens/{token.pk}", **headers).status_code == 204
    assert_api_error(client.get("/api/v1/me", **headers), 401, "unauthenticated")


def test_unknown_field_in_body_is_a_422_naming_the_field(client, alice):
    response = client.post(
        "/api/v1/auth/tokens",
        {"email": alice.email, "password": PASSWORD, "admin": True},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "admin"


def test_malformed_json_is_a_400(client):
    response = client.post("/api/v1/auth/tokens", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


def test_a_non_object_body_is_a_422(client):
    response = client.post("/api/v1/auth/tokens", '"AAA"', content_type="application/json")
    assert_api_error(response, 422, "validation_error")
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused_even_beside_a_valid_session(client, alice):
    headers = bearer(client, alice)
    token = ApiToken.objects.get(user=alice)
    client.delete(f"/api/v1/auth/tokens/{token.pk}", **headers)
    client.force_login(alice)
    assert_api_error(client.get("/api/v1/me", **headers), 401, "unauthenticated")
    session = client.get("/api/v1/me")
    assert session.status_code == 200
    assert session.json()["email"] == alice.email
