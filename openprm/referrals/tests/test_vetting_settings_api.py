"""The partners vetted for solution assessments (D1) through the API and Program settings: the
program admin vets a partner and withdraws it; bad input names the field and writes nothing;
anyone else gets a 403; each change is in the audit log."""

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.referrals.models import AssessmentVetting
from openprm.referrals.selectors import is_vetted

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/assessment-vettings"
JSON = "application/json"


def send(client, user, method, url, **body):
    return getattr(client, method)(url, body, content_type=JSON, **bearer(client, user))


def test_the_program_admin_vets_a_partner_and_the_audit_log_records_it(client, victor, tailspin):
    response = send(client, victor, "post", URL, partner_id=tailspin.pk, vetted_on="2026-11-02",
                    note="Passed the workshop")  # fmt: skip

    assert response.status_code == 201, response.content
    assert (response.json()["partner_name"], response.json()["vetted_on"]) == (
        tailspin.name, "2026-11-02",
    )  # fmt: skip
    assert is_vetted(tailspin)
    event = Event.objects.get(kind="vetting.created")
    assert (event.actor, event.data["changes"]["organization_id"]) == (victor, [None, tailspin.pk])


def test_withdrawing_a_vetting_stops_new_assessments(client, victor, tailspin):
    vetting = AssessmentVetting.objects.create(organization=tailspin, vetted_on="2026-11-02")

    response = client.delete(f"{URL}/{vetting.pk}", **bearer(client, victor))

    assert response.status_code == 204
    assert not is_vetted(tailspin)
    assert Event.objects.get(kind="vetting.deleted").data["changes"]["vetted_on"] == [
        "2026-11-02", None,
    ]  # fmt: skip


@pytest.mark.parametrize("who", ["vendor", "vetted"])
def test_a_vetting_of_no_partner_or_a_second_one_is_a_422(client, victor, tailspin, who):
    AssessmentVetting.objects.create(organization=tailspin, vetted_on="2026-11-02")
    partner = victor.organization if who == "vendor" else tailspin

    response = send(client, victor, "post", URL, partner_id=partner.pk, vetted_on="2026-11-03")

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["partner_id"]
    assert AssessmentVetting.objects.count() == 1


def test_anyone_but_the_program_admin_gets_a_403_for_vettings(client, pam, alice, tailspin):
    vetting = AssessmentVetting.objects.create(organization=tailspin, vetted_on="2026-11-02")
    for user in (pam, alice):
        assert client.get(URL, **bearer(client, user)).status_code == 403
        assert client.delete(f"{URL}/{vetting.pk}", **bearer(client, user)).status_code == 403
    assert AssessmentVetting.objects.filter(pk=vetting.pk).exists()


def test_program_settings_vets_through_the_same_service(client, victor, tailspin):
    client.force_login(victor)

    response = client.post(
        "/admin/referrals/assessmentvetting/add/",
        {"organization": tailspin.pk, "vetted_on": "2026-11-02", "note": ""},
    )

    assert response.status_code == 302
    assert Event.objects.get(kind="vetting.created").actor == victor
