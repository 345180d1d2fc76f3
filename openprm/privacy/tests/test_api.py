"""/api/v1/privacy: the same finds, export and erasure as the Settings page, with the other
partner in every case."""

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.crm.models import Contact
from openprm.privacy.models import Erasure
from openprm.privacy.tests.conftest import EMAIL

pytestmark = pytest.mark.django_db

JSON = "application/json"


def erase(client, headers, **body):
    return client.post(
        "/api/v1/privacy/erasures",
        {"reason": "Ticket 4711", **body},
        content_type=JSON,
        **headers,
    )


def fields_of(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def test_the_subject_lists_the_records_holding_the_person(client, alice, yui, yui_referral):
    response = client.get(
        f"/api/v1/privacy/subjects?email={EMAIL.upper()}", **bearer(client, alice)
    )

    assert response.status_code == 200
    records = [(r["kind"], r["id"], r["email"]) for r in response.json()["records"]]
    assert records == [
        ("contact", yui.pk, "Yui@Sakura.example"),
        ("referral", yui_referral.pk, EMAIL),
    ]


def test_the_export_is_a_json_download_without_another_partners_data(
    client, alice, yui, tailspin_yui
):
    response = client.get(f"/api/v1/privacy/subjects/export?email={EMAIL}", **bearer(client, alice))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    assert [c["id"] for c in response.json()["contacts"]] == [yui.pk]


def test_an_erasure_answers_its_record_without_the_email(client, alice, yui, yui_referral):
    response = erase(client, bearer(client, alice), email=EMAIL)

    assert response.status_code == 201
    body = response.json()
    assert (body["contacts"], body["referrals"], body["erased_by_id"]) == (1, 1, alice.pk)
    assert EMAIL not in response.content.decode().lower()
    assert Contact.objects.get(pk=yui.pk).email == ""


def test_the_erasure_log_lists_only_the_own_organizations_erasures(
    client, alice, charlie, yui, tailspin_yui
):
    erase(client, bearer(client, charlie), email=EMAIL)
    headers = bearer(client, alice)
    mine = erase(client, headers, email=EMAIL).json()

    response = client.get("/api/v1/privacy/erasures", **headers)

    assert response.json() == {"items": [mine], "count": 1}


def test_another_partners_contact_is_a_404_and_untouched(client, alice, tailspin_yui):
    headers = bearer(client, alice)

    found = client.get(f"/api/v1/privacy/subjects?contact_id={tailspin_yui.pk}", **headers)
    erased = erase(client, headers, contact_id=tailspin_yui.pk)

    assert (found.status_code, erased.status_code) == (404, 404)
    assert Contact.objects.get(pk=tailspin_yui.pk).email == EMAIL
    assert not Erasure.objects.exists()


@pytest.mark.parametrize("query", ["", "?email=", "?email=yui@", "?email=%20"])
def test_a_missing_or_invalid_email_is_a_422_naming_it(client, alice, query):
    response = client.get(f"/api/v1/privacy/subjects{query}", **bearer(client, alice))

    assert response.status_code == 422
    assert fields_of(response) == ["email"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "Ticket 4711"}, "email"),
        ({"email": "yui@", "reason": "Ticket 4711"}, "email"),
        ({"email": EMAIL}, "reason"),
        ({"email": EMAIL, "reason": " "}, "reason"),
        ({"email": EMAIL, "reason": "Ticket", "name": "Yui"}, "name"),
    ],
)
def test_a_bad_erasure_is_a_422_naming_the_field(client, alice, yui, body, field):
    response = client.post(
        "/api/v1/privacy/erasures", body, content_type=JSON, **bearer(client, alice)
    )

    assert response.status_code == 422
    assert fields_of(response) == [field]
    assert Contact.objects.get(pk=yui.pk).first_name == "Yui"


def test_an_earlier_erasure_of_the_address_is_named(client, alice, yui):
    headers = bearer(client, alice)
    erasure = erase(client, headers, email=EMAIL).json()

    response = client.get(f"/api/v1/privacy/subjects?email={EMAIL}", **headers)

    assert response.json()["records"] == []
    assert [e["id"] for e in response.json()["earlier_erasures"]] == [erasure["id"]]


def test_an_erased_referral_keeps_its_consent_in_the_referrals_api(client, alice, yui_referral):
    headers = bearer(client, alice)
    erase(client, headers, email=EMAIL)

    body = client.get(f"/api/v1/referrals/{yui_referral.pk}", **headers).json()

    assert body["contact"]["email"] == ""
    assert body["contact"]["erased_at"] is not None
    assert (body["consent"]["given"], body["consent"]["recorded_by_id"]) == (True, alice.pk)
