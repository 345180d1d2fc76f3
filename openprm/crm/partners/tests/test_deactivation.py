"""A deactivated partner's users cannot sign in, by page, token or open session; its records
stay, and reactivating gives access back."""

import pytest

from openprm.accounts.models import Organization
from openprm.accounts.tests.factories import PASSWORD
from openprm.accounts.tests.test_api import bearer
from openprm.core.testing import assert_api_error
from openprm.crm.partners import services
from openprm.crm.tests.factories import CustomerFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def deactivate(victor, partner: Organization) -> None:
    services.partner_set_active(actor=victor, partner_id=partner.pk, active=False)


def test_a_deactivated_partners_user_cannot_sign_in(client, victor, alice, northwind):
    deactivate(victor, northwind)
    response = client.post("/login/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Invalid email or password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_partners_user_gets_no_token(client, victor, alice, northwind):
    deactivate(victor, northwind)
    response = client.post(
        "/api/v1/auth/tokens",
        {"email": alice.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_a_deactivated_partners_tokens_stop_working(client, victor, alice, northwind):
    headers = bearer(client, alice)
    deactivate(victor, northwind)
    assert_api_error(client.get("/api/v1/me", **headers), 401, "unauthenticated")


def test_an_open_session_ends_at_its_next_request(client, victor, alice, northwind):
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    deactivate(victor, northwind)
    response = client.get("/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_deactivation_keeps_the_partners_records(victor, alice, northwind):
    opportunity = OpportunityFactory.create(
        organization=northwind, customer=CustomerFactory.create()
    )
    deactivate(victor, northwind)
    opportunity.refresh_from_db()
    northwind.refresh_from_db()
    assert northwind.is_active is False
    assert northwind.memberships.count() == 1


def test_reactivating_lets_the_users_sign_in_again(client, victor, alice, northwind):
    deactivate(victor, northwind)
    services.partner_set_active(actor=victor, partner_id=northwind.pk, active=True)
    response = client.post("/login/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_other_partners_users_still_sign_in(client, victor, charlie, northwind):
    deactivate(victor, northwind)
    response = client.post("/login/", {"username": charlie.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(charlie.pk)
