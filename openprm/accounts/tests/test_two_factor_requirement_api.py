"""The two-factor requirement through the API, as on Settings > Two-factor sign-in: a partner
admin for its organization, the program admin for the vendor and every partner; anyone else
gets a 404, as the page answers; each change is in the audit log."""

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.accounts.two_factor.models import TwoFactorRequirement
from openprm.core.models import Event

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/two-factor-requirement"


def put(client, user, **body):
    return client.put(URL, body, content_type="application/json", **bearer(client, user))


def test_nothing_is_required_at_first(client, alice):
    response = client.get(URL, **bearer(client, alice))

    assert response.status_code == 200
    assert response.json() == {"required": False, "partners_required": False}


def test_the_partner_admin_requires_it_and_the_audit_log_records_it(client, alice):
    response = put(client, alice, required=True)

    assert response.status_code == 200
    assert response.json() == {"required": True, "partners_required": False}
    assert TwoFactorRequirement.objects.get(organization=alice.organization).required
    event = Event.objects.get(kind="organization.two_factor_requirement_changed")
    assert (event.actor, event.organization, event.data["changes"]) == (
        alice, alice.organization, {"required": [False, True]},
    )  # fmt: skip


def test_the_program_admin_requires_it_of_every_partner(client, victor):
    response = put(client, victor, required=False, partners_required=True)

    assert response.status_code == 200
    assert response.json() == {"required": False, "partners_required": True}


def test_a_partner_admin_requiring_it_of_every_partner_is_a_422_and_nothing_is_written(
    client, alice
):
    response = put(client, alice, required=True, partners_required=True)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["partners_required"]
    assert not TwoFactorRequirement.objects.exists()
    assert not Event.objects.filter(kind="organization.two_factor_requirement_changed").exists()


def test_a_value_that_is_no_boolean_is_a_422_naming_the_field(client, alice):
    response = put(client, alice, required="yes")

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["required"]


def test_a_partner_user_or_a_pdm_gets_a_404(client, bob, pam):
    for user in (bob, pam):
        assert client.get(URL, **bearer(client, user)).status_code == 404
        assert put(client, user, required=True).status_code == 404
    assert not TwoFactorRequirement.objects.exists()
