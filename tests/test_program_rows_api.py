"""The one-row program settings (the shared-deal, referral and commission programs) through the
API and Program settings: the program admin reads and changes them, bad input is a 422 naming
the field with nothing written, anyone else gets a 403, and each change is in the audit log."""

import pytest

from openprm.accounts.roles import Role
from openprm.accounts.tests.cast import member
from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.deals.models import DealProgram
from openprm.points.models import CommissionProgram
from openprm.referrals.models import ReferralProgram

pytestmark = pytest.mark.django_db

JSON = "application/json"
SETTINGS = [
    # url, event kind, a good change, its values as the API answers them, a bad change's field
    ("/api/v1/settings/deal-program", "deal_program.updated", {"exclusivity_days": 60},
     {"exclusivity_days": 60}, {"exclusivity_days": 0}),
    ("/api/v1/settings/referral-program", "referral_program.updated",
     {"response_days": 21, "fast_win_hours": 24}, {"response_days": 21, "fast_win_hours": 24},
     {"response_days": 366}),
    ("/api/v1/settings/commission-program", "commission_program.updated",
     {"rate_percent": "12.50", "years": 2}, {"rate_percent": "12.50", "years": 2},
     {"rate_percent": "100.01"}),
]  # fmt: skip
IDS = ["deal-program", "referral-program", "commission-program"]


def patch(client, user, url, body):
    return client.patch(url, body, content_type=JSON, **bearer(client, user))


@pytest.mark.parametrize(("url", "kind", "change", "shown", "bad"), SETTINGS, ids=IDS)
def test_the_program_admin_changes_a_program_setting_and_the_audit_log_records_it(
    client, victor, url, kind, change, shown, bad
):
    response = patch(client, victor, url, change)

    assert response.status_code == 200
    assert {name: response.json()[name] for name in shown} == shown
    assert client.get(url, **bearer(client, victor)).json() == response.json()
    event = Event.objects.get(kind=kind)
    assert (event.actor, sorted(event.data["changes"])) == (victor, sorted(change))


@pytest.mark.parametrize(("url", "kind", "change", "shown", "bad"), SETTINGS, ids=IDS)
def test_a_bad_program_setting_is_a_422_naming_the_field_and_writes_nothing(
    client, victor, url, kind, change, shown, bad
):
    before = client.get(url, **bearer(client, victor)).json()

    response = patch(client, victor, url, bad)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == list(bad)
    assert client.get(url, **bearer(client, victor)).json() == before
    assert not Event.objects.filter(kind=kind).exists()


@pytest.mark.parametrize(("url", "kind", "change", "shown", "bad"), SETTINGS, ids=IDS)
def test_anyone_but_the_program_admin_gets_a_403_for_a_program_setting(
    client, pam, alice, url, kind, change, shown, bad
):
    for user in (pam, alice):
        assert client.get(url, **bearer(client, user)).status_code == 403
        assert patch(client, user, url, change).status_code == 403
    assert not Event.objects.filter(kind=kind).exists()


def test_the_fallback_owner_is_set_and_cleared_by_id(client, victor, vendor):
    rep = member(vendor, Role.SALES_REP, "rita@contoso.example")
    url = "/api/v1/settings/deal-program"

    assert (
        patch(client, victor, url, {"fallback_owner_id": rep.pk}).json()["fallback_owner_id"]
        == rep.pk
    )
    assert DealProgram.current().fallback_owner == rep
    assert patch(client, victor, url, {"fallback_owner_id": None}).status_code == 200
    assert DealProgram.current().fallback_owner is None


def test_a_partner_user_cannot_be_the_fallback_owner(client, victor, alice):
    response = patch(client, victor, "/api/v1/settings/deal-program",
                     {"fallback_owner_id": alice.pk})  # fmt: skip

    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "fallback_owner_id", "message": "Choose an active user of the vendor.",
        "code": "invalid",
    }  # fmt: skip
    assert DealProgram.current().fallback_owner is None


@pytest.mark.parametrize(
    ("path", "body", "model", "field", "kind"),
    [
        ("deals/dealprogram", {"exclusivity_days": "45", "fallback_owner": ""}, DealProgram,
         "exclusivity_days", "deal_program.updated"),
        ("referrals/referralprogram", {"response_days": "10", "fast_win_hours": "72"},
         ReferralProgram, "response_days", "referral_program.updated"),
        ("points/commissionprogram",
         {"rate_percent": "15", "years": "3", "payment_delay_days": "92"}, CommissionProgram,
         "rate_percent", "commission_program.updated"),
    ],
    ids=IDS,
)  # fmt: skip
def test_program_settings_saves_a_program_row_through_the_same_service(
    client, victor, path, body, model, field, kind
):
    row = model.current()
    client.force_login(victor)

    response = client.post(f"/admin/{path}/{row.pk}/change/", body)

    assert response.status_code == 302
    event = Event.objects.get(kind=kind)
    assert (event.actor, list(event.data["changes"])) == (victor, [field])


def test_program_settings_names_the_field_the_service_refuses(client, victor):
    row = ReferralProgram.current()
    client.force_login(victor)

    response = client.post(
        f"/admin/referrals/referralprogram/{row.pk}/change/",
        {"response_days": "0", "fast_win_hours": "72"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "response_days": ["Enter a number of days from 1 to 365."]
    }
    assert not Event.objects.filter(kind="referral_program.updated").exists()
