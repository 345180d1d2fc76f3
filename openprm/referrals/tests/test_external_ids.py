"""D9: a referral carries the partner's CRM id ("CRM ID", D2 step 3) and the vendor's, each
naming one referral of the partner, filterable in the API and shown on the deal."""

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from openprm.referrals.models import Referral
from openprm.referrals.tests.factories import create_referral

pytestmark = pytest.mark.django_db


def patch(client, path, body):
    return client.patch(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_the_list_is_filtered_by_each_crm_id(client, alice):
    create_referral(actor=alice, name="First", crm_id="SF-1", vendor_crm_id="HS-1")
    create_referral(actor=alice, name="Second", crm_id="SF-2", vendor_crm_id="HS-2")
    client.force_login(alice)
    for query in ("crm_id=SF-2", "vendor_crm_id=HS-2"):
        items = client.get(f"/api/v1/referrals?{query}").json()["items"]
        assert [(i["name"], i["details"]["vendor_crm_id"]) for i in items] == [("Second", "HS-2")]


def test_a_new_deal_with_a_crm_id_the_partner_used_already_is_refused(alice):
    create_referral(actor=alice, crm_id="SF-1")
    with pytest.raises(ValidationError) as refused:
        create_referral(actor=alice, crm_id="SF-1")
    assert "crm_id" in refused.value.message_dict
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("field", ["crm_id", "vendor_crm_id"])
def test_an_edit_to_a_crm_id_another_referral_has_is_a_422_naming_it(client, alice, field):
    ids: dict[str, Any] = {field: "ID-7"}
    create_referral(actor=alice, **ids)
    referral = create_referral(actor=alice)
    client.force_login(alice)
    response = patch(client, f"/referrals/{referral.pk}", {field: "ID-7", "name": "Renamed"})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert Referral.objects.get(pk=referral.pk).version == referral.version


def test_another_partner_may_use_the_same_crm_id(alice, charlie):
    create_referral(actor=alice, crm_id="SF-1")
    assert create_referral(actor=charlie, crm_id="SF-1").crm_id == "SF-1"


def test_the_edit_page_sets_the_vendor_crm_id_shown_on_the_deal(client, alice):
    referral = create_referral(actor=alice)
    opportunity = referral.opportunity
    client.force_login(alice)
    response = client.post(
        f"/referrals/{referral.pk}/edit/",
        {
            "name": opportunity.name,
            "estimated_close_date": str(referral.estimated_close_date),
            "value": "50000",
            "notes": referral.notes,
            "crm_id": "SF-3",
            "vendor_crm_id": "HS-3",
            "campaign_id": "",
            "version": referral.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert 'CRM ID</dt><dd class="col-sm-7">SF-3</dd>' in page
    assert 'Vendor CRM ID</dt><dd class="col-sm-7">HS-3</dd>' in page
