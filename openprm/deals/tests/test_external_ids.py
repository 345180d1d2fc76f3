"""D9: a shared deal carries the vendor's and the partner's CRM ids, one deal each per partner,
filterable in the API, shown on the deal and edited with its details."""

import json

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.crm.models import Opportunity, OpportunityState
from openprm.deals.models import Deal
from openprm.deals.tests.factories import create_deal
from openprm.deals.tests.test_api import new_deal, post

pytestmark = pytest.mark.django_db


def test_a_new_deal_keeps_both_crm_ids(client, alice, customer, product):
    client.force_login(alice)
    body = new_deal(customer, product, vendor_crm_id="HS-1", partner_crm_id=" SF-1 ")
    response = post(client, "/deals", body)
    assert response.status_code == 201, response.content
    assert (response.json()["vendor_crm_id"], response.json()["partner_crm_id"]) == ("HS-1", "SF-1")


def test_a_crm_id_another_deal_of_the_partner_has_is_a_422_naming_it(
    client, alice, customer, product
):
    create_deal(actor=alice, partner_crm_id="SF-1")
    client.force_login(alice)
    response = post(client, "/deals", new_deal(customer, product, partner_crm_id="SF-1"))
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["partner_crm_id"]
    assert Deal.objects.count() == 1


def test_another_partner_may_use_the_same_crm_id(client, alice, charlie):
    create_deal(actor=alice, vendor_crm_id="HS-1")
    assert create_deal(actor=charlie, vendor_crm_id="HS-1").vendor_crm_id == "HS-1"


def test_the_deal_list_is_filtered_by_each_crm_id(client, alice):
    create_deal(actor=alice, name="First", vendor_crm_id="HS-1", partner_crm_id="SF-1")
    create_deal(actor=alice, name="Second", vendor_crm_id="HS-2", partner_crm_id="SF-2")
    client.force_login(alice)
    for query in ("vendor_crm_id=HS-2", "partner_crm_id=SF-2"):
        items = client.get(f"/api/v1/deals?{query}").json()["items"]
        assert [item["name"] for item in items] == ["Second"]


def test_an_update_sets_a_crm_id_and_the_history_says_so(client, alice):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    response = client.patch(
        f"/api/v1/deals/{deal.pk}",
        json.dumps({"vendor_crm_id": "HS-9"}),
        content_type="application/json",
    )
    assert (response.status_code, response.json()["vendor_crm_id"]) == (200, "HS-9")
    history = client.get(f"/deals/{deal.pk}/?tab=history").content.decode()
    assert "Vendor CRM ID: — → HS-9" in history


def test_the_edit_details_page_changes_the_crm_ids_shown_on_the_deal(client, alice):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    response = client.post(
        f"/deals/{deal.pk}/edit/",
        {
            "name": "Sakura rollout",
            "amount": "12000",
            "mrr": "1000",
            "close_date": deal.close_date.isoformat(),
            "vendor_crm_id": "HS-5",
            "partner_crm_id": "SF-5",
            "version": deal.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert 'Vendor CRM ID</dt><dd class="col-sm-7">HS-5</dd>' in page
    assert 'Partner CRM ID</dt><dd class="col-sm-7">SF-5</dd>' in page


def patch_as(client, user, deal, body):
    return client.patch(f"/api/v1/deals/{deal.pk}", body, content_type="application/json",
                        **bearer(client, user))  # fmt: skip


@pytest.mark.parametrize("state", [OpportunityState.WON, OpportunityState.LOST])
def test_a_closed_deal_still_takes_its_crm_ids(client, alice, state):
    deal = create_deal(actor=alice)
    Opportunity.objects.filter(pk=deal.opportunity_id).update(state=state)

    response = patch_as(client, alice, deal, {"vendor_crm_id": "HS-5", "partner_crm_id": "SF-5"})

    assert response.status_code == 200, response.content
    assert (response.json()["vendor_crm_id"], response.json()["partner_crm_id"]) == (
        "HS-5", "SF-5",
    )  # fmt: skip
    assert Event.objects.get(kind="deal.updated").data["fields"] == [
        "partner_crm_id", "vendor_crm_id",
    ]  # fmt: skip


def test_a_closed_deal_refuses_any_other_change_saying_what_may_change(client, alice):
    deal = create_deal(actor=alice)
    Opportunity.objects.filter(pk=deal.opportunity_id).update(state=OpportunityState.WON)

    response = patch_as(client, alice, deal, {"partner_crm_id": "SF-6", "name": "Renamed"})

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["message"]) == (
        "already_closed", "This deal is closed: only its CRM IDs can still change.",
    )  # fmt: skip
    assert Deal.objects.get(pk=deal.pk).partner_crm_id == ""
