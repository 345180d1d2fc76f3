"""C8 through the API: the partner admin chooses who gets lead notifications, as on Settings >
Communication; someone outside the organization is refused, naming `users`."""

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.core.testing import assert_not_found
from openprm.deals.models import PartnerLeadRecipient

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/lead-recipients"


def put(client, user, users):
    return client.put(
        URL, {"users": users}, content_type="application/json", **bearer(client, user)
    )


def test_without_a_choice_the_partner_admins_get_them(client, alice, bob):
    response = client.get(URL, **bearer(client, alice))

    assert response.status_code == 200
    assert [user["email"] for user in response.json()["users"]] == [alice.email]


def test_the_partner_admin_chooses_a_user_and_the_change_is_recorded(client, alice, bob):
    response = put(client, alice, [bob.pk])

    assert response.status_code == 200
    assert [user["id"] for user in response.json()["users"]] == [bob.pk]
    assert Event.objects.get(kind="lead_recipients.set").data == {"users": [bob.pk]}


def test_a_user_of_another_partner_is_a_422_naming_users_and_nothing_is_written(
    client, alice, charlie
):
    response = put(client, alice, [charlie.pk])

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["users"]
    assert not PartnerLeadRecipient.objects.exists()
    assert not Event.objects.filter(kind="lead_recipients.set").exists()


def test_a_partner_user_gets_a_404_and_changes_nothing(client, bob):
    assert_not_found(put(client, bob, [bob.pk]))
    assert not PartnerLeadRecipient.objects.exists()
