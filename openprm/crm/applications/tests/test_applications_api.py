"""/api/v1/partner-applications: the public application, the program admin's decisions."""

import pytest

from openprm.accounts.models import Invitation, Organization
from openprm.accounts.tests.test_api import bearer
from openprm.core.testing import assert_not_found
from openprm.crm.applications.models import PartnerApplication
from openprm.crm.applications.tests.kit import form_data, pending_application

pytestmark = pytest.mark.django_db

URL = "/api/v1/partner-applications"


def send(client, method, path, data=None, **headers):
    return getattr(client, method)(path, data or {}, content_type="application/json", **headers)


def field_errors(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def approval(**changes) -> dict:
    return {
        "currency": "USD",
        "tier": "Silver",
        "location": {"name": "Bangkok", "country": "TH", "code": "LIT-BKK"},
        **changes,
    }


def test_anyone_applies_without_credentials(client):
    response = send(client, "post", URL, form_data())
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert PartnerApplication.objects.get().contact_email == "nok@litware.example"


def test_an_existing_partner_name_is_a_422_naming_the_field(client, northwind):
    response = send(client, "post", URL, form_data(company_name="Northwind Traders"))
    assert response.status_code == 422
    assert field_errors(response) == {
        "company_name": "A partner with this name is already in the program."
    }


def test_bad_fields_are_named_together(client):
    response = send(client, "post", URL, form_data(contact_email="nope", country="XX"))
    assert response.status_code == 422
    assert set(field_errors(response)) == {"contact_email", "country"}
    assert not PartnerApplication.objects.exists()


def test_one_address_is_limited_to_the_configured_rate(client, settings):
    settings.OPENPRM_PARTNER_APPLICATION_RATE = "1/h"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "application-api-rate"}}  # fmt: skip
    assert send(client, "post", URL, form_data()).status_code == 201
    response = send(client, "post", URL, form_data(company_name="Proseware"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_the_program_admin_lists_applications_by_status(client, victor):
    pending_application()
    headers = bearer(client, victor)
    pending = send(client, "get", f"{URL}?status=pending", **headers).json()
    assert [item["company_name"] for item in pending["items"]] == ["Litware Systems"]
    assert send(client, "get", f"{URL}?status=rejected", **headers).json()["count"] == 0


def test_an_unknown_status_filter_is_a_422(client, victor):
    response = send(client, "get", f"{URL}?status=maybe", **bearer(client, victor))
    assert response.status_code == 422
    assert "status" in field_errors(response)


def test_approval_creates_the_partner_and_invites_its_admin(
    client, victor, mailoutbox, django_capture_on_commit_callbacks
):
    application = pending_application()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "post", f"{URL}/{application.pk}/approve", approval(),
                        **bearer(client, victor))  # fmt: skip
    assert response.status_code == 200, response.content
    partner = Organization.objects.get(pk=response.json()["partner_id"])
    assert partner.name == "Litware Systems"
    assert Invitation.objects.get(organization=partner).email == "nok@litware.example"
    assert [message.to for message in mailoutbox] == [["nok@litware.example"]]


def test_a_second_decision_is_a_409(client, victor):
    application = pending_application()
    headers = bearer(client, victor)
    send(client, "post", f"{URL}/{application.pk}/reject", {"reason": "No"}, **headers)
    response = send(client, "post", f"{URL}/{application.pk}/approve", approval(), **headers)
    assert response.status_code == 409
    assert response.json()["code"] == "already_decided"
    assert "already rejected" in response.json()["message"]


def test_an_approval_that_fails_writes_nothing(client, victor):
    application = pending_application()
    response = send(client, "post", f"{URL}/{application.pk}/approve", approval(currency="XYZ"),
                    **bearer(client, victor))  # fmt: skip
    assert response.status_code == 422
    assert "currency" in field_errors(response)
    assert not Organization.objects.filter(name="Litware Systems").exists()
    application.refresh_from_db()
    assert application.status == "pending"


@pytest.mark.parametrize("who", ["pam", "alice"])
def test_only_the_program_admin_reads_or_decides(client, request, who):
    application = pending_application()
    headers = bearer(client, request.getfixturevalue(who))
    read = send(client, "get", f"{URL}/{application.pk}", **headers)
    assert_not_found(read, application.company_name)
    response = send(client, "post", f"{URL}/{application.pk}/reject", {"reason": "No"}, **headers)
    assert_not_found(response, application.company_name)
    assert PartnerApplication.objects.get(pk=application.pk).is_pending
