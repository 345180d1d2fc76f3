"""The program admin invites a partner's first admin (POST /api/v1/invitations): the link is
single-use and expires, and it works for the invitee only."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from openprm.accounts.models import Invitation, User
from openprm.accounts.roles import Role
from openprm.accounts.tests.test_api import bearer
from openprm.core.testing import assert_not_found
from openprm.crm.partners import services as partner_services

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and new passphrase"


def invite(client, victor, partner, captured, email="erin@tailspin.example"):
    with captured(execute=True):
        return client.post(
            "/api/v1/invitations",
            {"partner_id": partner.pk, "email": email, "full_name": "Erin Ito"},
            content_type="application/json",
            **bearer(client, victor),
        )


def link(message) -> str:
    match = re.search(r"https?://\S+/invitations/\S+/", message.body)
    assert match, message.body
    return urlparse(match.group(0)).path


def accept(client, path):
    data = {
        "full_name": "Erin Ito",
        "password": NEW_PASSWORD,
        "password_confirmation": NEW_PASSWORD,
    }
    return client.post(path, data)


def test_the_invitee_becomes_the_partners_admin(
    client, victor, tailspin, mailoutbox, django_capture_on_commit_callbacks
):
    response = invite(client, victor, tailspin, django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    assert response.json()["role"] == Role.PARTNER_ADMIN
    assert response.json()["organization"]["name"] == "Tailspin Toys"
    client.logout()
    assert accept(client, link(mailoutbox[0])).status_code == 302
    erin = User.objects.get(email="erin@tailspin.example")
    assert (erin.organization, erin.role) == (tailspin, Role.PARTNER_ADMIN)


def test_a_second_use_of_the_link_is_refused_with_a_clear_message(
    client, victor, tailspin, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, victor, tailspin, django_capture_on_commit_callbacks)
    path = link(mailoutbox[0])
    client.logout()
    accept(client, path)
    client.logout()
    second = accept(client, path)
    assert second.status_code == 410
    assert "This invitation has already been used." in second.content.decode()
    assert User.objects.filter(email="erin@tailspin.example").count() == 1


def test_an_expired_link_is_refused(
    client, victor, tailspin, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, victor, tailspin, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.logout()
    response = accept(client, link(mailoutbox[0]))
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert not User.objects.filter(email="erin@tailspin.example").exists()


def test_someone_signed_in_as_another_user_is_refused(
    client, victor, alice, tailspin, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, victor, tailspin, django_capture_on_commit_callbacks)
    client.force_login(alice)
    response = accept(client, link(mailoutbox[0]))
    assert response.status_code == 403
    assert "this invitation is for erin@tailspin.example" in response.content.decode()
    assert not User.objects.filter(email="erin@tailspin.example").exists()


def test_an_email_already_a_member_elsewhere_is_refused_naming_the_field(
    client, victor, alice, tailspin, django_capture_on_commit_callbacks
):
    response = invite(client, victor, tailspin, django_capture_on_commit_callbacks, alice.email)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["email"]
    assert not Invitation.objects.filter(organization=tailspin).exists()


def test_a_deactivated_partner_takes_no_invitation(
    client, victor, tailspin, django_capture_on_commit_callbacks
):
    partner_services.partner_set_active(actor=victor, partner_id=tailspin.pk, active=False)
    response = invite(client, victor, tailspin, django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert not Invitation.objects.exists()


def test_only_the_program_admin_invites_a_partners_admin(
    client, alice, tailspin, django_capture_on_commit_callbacks
):
    response = invite(client, alice, tailspin, django_capture_on_commit_callbacks)
    assert_not_found(response)
    assert not Invitation.objects.exists()


def test_a_partner_admin_lists_only_their_own_invitations(
    client, victor, alice, tailspin, django_capture_on_commit_callbacks
):
    invite(client, victor, tailspin, django_capture_on_commit_callbacks)
    assert client.get("/api/v1/invitations", **bearer(client, alice)).json()["count"] == 0
    listed = client.get("/api/v1/invitations", **bearer(client, victor)).json()
    assert [item["email"] for item in listed["items"]] == ["erin@tailspin.example"]
