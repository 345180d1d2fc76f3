"""/api/v1/audit: each partner reads only the entries about its own objects, neither side the
entries about the other side's private notes, and the filters narrow the program admin's log."""

import datetime

import pytest
from django.utils import timezone

from openprm.accounts.tests.test_api import bearer
from openprm.audit.tests.conftest import PARTNER_SECRET, VENDOR_SECRET
from openprm.core.models import Event
from openprm.core.testing import assert_not_found
from openprm.dashboard import services as dashboard
from openprm.deals import services as deals

pytestmark = pytest.mark.django_db


def audit(client, user, **query):
    return client.get("/api/v1/audit", query, **bearer(client, user))


def entries(response):
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_a_partner_admin_reads_its_own_deals_entries_and_none_of_another_partners(
    client, alice, northwind_deal, tailspin_deal
):
    items = entries(audit(client, alice))

    deal_ids = {item["object_id"] for item in items if item["object_type"] == "deals.deal"}
    assert deal_ids == {str(northwind_deal.pk)}
    assert {item["organization_id"] for item in items} == {northwind_deal.organization_id}
    assert "Tailspin deal" not in str(items)


def test_the_other_partner_reads_none_of_northwinds_entries(
    client, charlie, northwind_deal, tailspin_deal
):
    items = entries(audit(client, charlie))

    assert {item["object_id"] for item in items if item["object_type"] == "deals.deal"} == {
        str(tailspin_deal.pk)
    }
    assert not [item for item in items if item["object_type"] == "deals.dealnote"]


def test_a_partner_reads_its_own_and_shared_notes_entries_but_not_the_vendors_private_note(
    client, alice, sam, northwind_deal
):
    notes = [i for i in entries(audit(client, alice)) if i["action"] == "deal_note.created"]

    assert sorted(n["details"]["shared"] for n in notes) == [False, True]
    assert {n["actor_id"] for n in notes} == {alice.pk}
    assert sam.pk not in {n["actor_id"] for n in notes}


def test_the_program_admin_reads_no_entry_of_a_partners_private_note(
    client, victor, alice, sam, northwind_deal
):
    response = audit(client, victor)
    notes = [i for i in entries(response) if i["action"] == "deal_note.created"]

    assert {(n["actor_id"], n["details"]["shared"]) for n in notes} == {
        (sam.pk, False),
        (alice.pk, True),
    }
    assert PARTNER_SECRET not in response.content.decode()
    assert VENDOR_SECRET not in response.content.decode()


def test_the_program_admin_reads_every_partners_entries(
    client, victor, northwind_deal, tailspin_deal
):
    items = entries(audit(client, victor, object_type="deals.deal"))

    assert {item["object_id"] for item in items} == {str(northwind_deal.pk), str(tailspin_deal.pk)}


def test_an_update_shows_each_field_before_and_after_with_a_link_to_the_deal(
    client, victor, alice, northwind_deal
):
    deals.deal_update(deal=northwind_deal, actor=alice, name="Sakura expansion")

    [entry] = [
        item
        for item in entries(audit(client, victor, object_type="deals.deal"))
        if item["action"] == "deal.updated"
    ]
    assert entry["actor_name"] == (alice.full_name or alice.email)
    assert entry["changes"] == [
        {"field": "name", "before": "Sakura rollout", "after": "Sakura expansion"}
    ]
    assert entry["link"] == f"/deals/{northwind_deal.pk}/"


def test_the_filters_narrow_to_one_object_one_actor_and_a_date_range(
    client, victor, alice, charlie, northwind_deal, tailspin_deal
):
    one = entries(audit(client, victor, object_type="deals.deal", object_id=str(tailspin_deal.pk)))
    by_charlie = entries(audit(client, victor, actor=charlie.pk))
    Event.objects.filter(object_id=str(tailspin_deal.pk)).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    recent = entries(
        audit(client, victor, since=(timezone.now() - datetime.timedelta(days=1)).isoformat())
    )

    assert [item["object_id"] for item in one] == [str(tailspin_deal.pk)]
    assert by_charlie
    assert {item["actor_id"] for item in by_charlie} == {charlie.pk}
    assert str(tailspin_deal.pk) not in {
        item["object_id"] for item in recent if item["object_type"] == "deals.deal"
    }
    assert str(northwind_deal.pk) in {item["object_id"] for item in recent}


def test_a_range_that_ends_before_it_starts_is_a_422_naming_until(client, victor):
    response = audit(client, victor, since="2026-05-02T00:00:00Z", until="2026-05-01T00:00:00Z")

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["until"]


def test_an_unknown_object_type_is_a_422_naming_it(client, victor):
    response = audit(client, victor, object_type="deals.nothing")

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["object_type"]


def test_a_partner_user_gets_a_404(client, bob, northwind_deal):
    assert_not_found(audit(client, bob), str(northwind_deal))


def test_a_users_personal_saved_list_is_left_out_for_everyone(client, victor, alice, customer):
    dashboard.customer_list_create(actor=alice, name="Alice's hot list", customer_ids=[customer.pk])

    for reader in (victor, alice):
        response = audit(client, reader)
        assert "Alice's hot list" not in response.content.decode()
        assert not [i for i in entries(response) if i["object_type"].startswith("dashboard.")]


def test_a_number_for_since_is_a_422_naming_it_not_a_timestamp(client, victor):
    response = audit(client, victor, since="1.6577048618145876e-35")

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["since"]
