"""D9: a referral carries the partner's CRM id ("CRM ID", D2 step 3) and the vendor's, each
naming one referral of the partner, filterable in the API and shown on the deal."""

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.crm.tests.factories import CustomerFactory
from openprm.referrals.models import Referral
from openprm.referrals.tests.factories import create_referral, send_referral
from openprm.referrals.tests.states import in_substatus

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


def send_body(partner, **extra):
    return {"partner_id": partner.pk, "customer_id": CustomerFactory.create().pk,
            "name": "Contoso lead", "value": "1000", "currency": "USD", "notes": "Hot lead",
            **extra}  # fmt: skip


def test_a_sales_rep_sends_a_referral_with_the_vendors_crm_id(client, sam, northwind):
    response = client.post("/api/v1/referrals/send",
                           send_body(northwind, vendor_crm_id=" HS-9 "),
                           content_type="application/json", **bearer(client, sam))  # fmt: skip

    assert response.status_code == 201, response.content
    assert response.json()["details"]["vendor_crm_id"] == "HS-9"


def test_a_partner_sending_a_referral_cannot_set_the_vendors_crm_id(client, charlie, northwind):
    response = client.post("/api/v1/referrals/send", send_body(northwind, vendor_crm_id="HS-9"),
                           content_type="application/json", **bearer(client, charlie))  # fmt: skip

    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "vendor_crm_id", "message": "Only the vendor sets its CRM ID.",
        "code": "forbidden",
    }  # fmt: skip
    assert not Referral.objects.exists()


def test_the_send_page_sets_the_vendors_crm_id_for_a_sales_rep(client, sam, northwind):
    client.force_login(sam)
    page = client.get("/referrals/send/").content.decode()
    assert "Vendor CRM ID" in page
    seattle = northwind.locations.get(name="Seattle")
    customer = CustomerFactory.create()

    response = client.post("/referrals/send/", {
        "receiving_location": seattle.pk, "customer": customer.pk, "name": "Contoso lead",
        "value": "1000", "currency": "USD", "notes": "Hot lead", "vendor_crm_id": "HS-10",
    })  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Referral.objects.get().vendor_crm_id == "HS-10"


def test_the_send_page_asks_a_partner_for_no_vendor_crm_id(client, charlie):
    client.force_login(charlie)

    assert "Vendor CRM ID" not in client.get("/referrals/send/").content.decode()


def test_the_sales_rep_who_sent_a_referral_sets_its_vendor_crm_id(client, sam, northwind):
    referral = send_referral(actor=sam, partner=northwind)

    response = client.patch(f"/api/v1/referrals/{referral.pk}", {"vendor_crm_id": "HS-11"},
                            content_type="application/json", **bearer(client, sam))  # fmt: skip

    assert response.status_code == 200, response.content
    assert response.json()["details"]["vendor_crm_id"] == "HS-11"
    event = Event.objects.get(kind="referral.crm_ids_changed")
    assert (event.actor, event.data["changes"]) == (sam, {"vendor_crm_id": ["", "HS-11"]})


def test_the_vendor_changes_nothing_else_of_a_partners_referral(client, victor, alice):
    referral = create_referral(actor=alice)
    token = bearer(client, victor)

    renamed = client.patch(f"/api/v1/referrals/{referral.pk}",
                           {"vendor_crm_id": "HS-12", "name": "Renamed"},
                           content_type="application/json", **token)  # fmt: skip
    partner_id = client.patch(f"/api/v1/referrals/{referral.pk}", {"crm_id": "SF-12"},
                              content_type="application/json", **token)  # fmt: skip

    assert renamed.status_code == 403
    assert partner_id.status_code == 422
    assert partner_id.json()["errors"][0]["message"] == "The partner sets its own CRM ID."
    assert Referral.objects.get(pk=referral.pk).version == referral.version


def test_a_sales_rep_sets_no_crm_id_on_a_referral_they_do_not_see(client, sam, alice):
    referral = create_referral(actor=alice)

    response = client.patch(f"/api/v1/referrals/{referral.pk}", {"vendor_crm_id": "HS-13"},
                            content_type="application/json", **bearer(client, sam))  # fmt: skip

    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).vendor_crm_id == ""


@pytest.mark.parametrize("outcome", ["won", "lost"])
def test_a_closed_referral_still_takes_its_crm_ids(client, victor, alice, outcome):
    referral = in_substatus(outcome, partner_admin=alice, sender=victor)

    response = client.patch(f"/api/v1/referrals/{referral.pk}",
                            {"crm_id": "SF-14", "vendor_crm_id": "HS-14"},
                            content_type="application/json", **bearer(client, alice))  # fmt: skip

    assert response.status_code == 200, response.content
    details = response.json()["details"]
    assert (details["crm_id"], details["vendor_crm_id"]) == ("SF-14", "HS-14")


def test_a_closed_referral_refuses_any_other_change_saying_what_may_change(client, victor, alice):
    referral = in_substatus("won", partner_admin=alice, sender=victor)

    response = client.patch(f"/api/v1/referrals/{referral.pk}",
                            {"crm_id": "SF-15", "name": "Renamed"},
                            content_type="application/json", **bearer(client, alice))  # fmt: skip

    assert response.status_code == 409
    assert response.json()["message"] == (
        "This referral is closed: only its CRM IDs can still change."
    )
    assert Referral.objects.get(pk=referral.pk).crm_id == ""
