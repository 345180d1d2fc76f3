"""/api/v1/deals and /api/v1/registrations as each side sees them."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.core.testing import assert_api_error, lose_stored_file
from openprm.crm.models import Opportunity
from openprm.deals.models import Deal, DealNote, NoteAttachment
from openprm.deals.notes.uploads import CONTENT_TYPES
from openprm.deals.tests.factories import create_deal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 100


def post(client, path, body, **headers):
    return client.post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
    )


def new_deal(customer, product, **overrides):
    body = {
        "customer_id": customer.pk,
        "name": "Sakura rollout",
        "amount": "12000.00",
        "mrr": "1000.00",
        "currency": "USD",
        "close_date": "2026-12-15",
        "products": [product.pk],
        "introduction_note": "Met the CIO",
        "pain": "Spreadsheets",
        "next_steps": "Demo",
    }
    body.update(overrides)
    return body


def test_a_partner_creates_a_shared_deal(client, alice, customer, product, sam, sam_rule):
    client.force_login(alice)
    response = post(client, "/deals", new_deal(customer, product))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "12000.00"
    assert body["assigned_rep"]["id"] == sam.pk
    assert body["products"] == [{"id": product.pk, "name": "CRM Suite"}]
    assert response["ETag"] == f'"{body["id"]}.1"'


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"mrr": "-1"}, "mrr"),
        ({"currency": "XXX"}, "currency"),
        ({"close_date": "2026-13-45"}, "close_date"),
        ({"products": [999999]}, "products"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    client, alice, customer, product, overrides, field
):
    client.force_login(alice)
    response = post(client, "/deals", new_deal(customer, product, **overrides))
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Opportunity.objects.exists()


def test_another_partners_deal_is_404(client, alice, charlie):
    deal = create_deal(actor=alice)
    client.force_login(charlie)
    assert client.get(f"/api/v1/deals/{deal.pk}").status_code == 404
    assert client.get(f"/api/v1/deals/{deal.pk}/notes").status_code == 404
    assert client.get("/api/v1/deals").json()["count"] == 0


def test_an_update_with_a_stale_etag_is_412(client, alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    client.force_login(sam)
    fresh = client.patch(
        f"/api/v1/deals/{deal.pk}",
        json.dumps({"mrr": "1500"}),
        content_type="application/json",
        headers={"If-Match": f'"{deal.pk}.1"'},
    )
    assert fresh.status_code == 200, fresh.content
    assert fresh.json()["mrr"] == "1500.00"
    client.force_login(alice)
    stale = client.patch(
        f"/api/v1/deals/{deal.pk}",
        json.dumps({"name": "Renamed"}),
        content_type="application/json",
        headers={"If-Match": f'"{deal.pk}.1"'},
    )
    assert stale.status_code == 412


def test_an_update_that_changes_nothing_answers_the_unchanged_deal_and_records_nothing(
    client, alice
):
    deal = create_deal(actor=alice)
    token = bearer(client, alice)
    shown = client.get(f"/api/v1/deals/{deal.pk}", **token)
    same = {"name": shown.json()["name"], "amount": shown.json()["amount"],
            "products": [p["id"] for p in shown.json()["products"]],
            "vendor_crm_id": ""}  # fmt: skip
    events = Event.objects.count()

    response = client.patch(f"/api/v1/deals/{deal.pk}", json.dumps(same),
                            content_type="application/json", **token)  # fmt: skip

    assert response.status_code == 200, response.content
    assert response.json() == shown.json()
    assert response.headers["ETag"] == shown.headers["ETag"]
    assert Event.objects.count() == events


@pytest.mark.parametrize("field", ["name", "amount", "mrr", "close_date", "products"])
def test_null_in_an_update_is_a_422_naming_the_field_and_changes_nothing(client, alice, field):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    response = client.patch(
        f"/api/v1/deals/{deal.pk}", json.dumps({field: None}), content_type="application/json"
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert Deal.objects.get(pk=deal.pk).version == deal.version


def test_an_update_whose_products_are_refused_changes_nothing_else(client, alice):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    response = client.patch(
        f"/api/v1/deals/{deal.pk}",
        json.dumps({"name": "Renamed", "products": [999999]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["products"]
    unchanged = Deal.objects.select_related("opportunity").get(pk=deal.pk)
    assert (unchanged.opportunity.name, unchanged.version) == ("Sakura rollout", deal.version)


def test_an_unknown_stage_is_a_422_naming_the_field(client, alice):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    response = post(client, f"/deals/{deal.pk}/stage", {"stage_id": 999999})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["stage_id"]
    assert Deal.objects.get(pk=deal.pk).stage_id == deal.stage_id


def test_only_the_vendor_sets_compensation_eligibility(client, alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    body = json.dumps({"compensation_eligible": True})
    path = f"/api/v1/deals/{deal.pk}"
    assert client.patch(path, body, content_type="application/json").status_code == 422
    client.force_login(sam)
    response = client.patch(path, body, content_type="application/json")
    assert response.json()["compensation_eligible"] is True


def test_private_notes_never_reach_the_other_side_through_the_api(client, alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    client.force_login(sam)
    post(client, f"/deals/{deal.pk}/notes", {"body": "Rep's private plan", "shared": False})
    post(client, f"/deals/{deal.pk}/notes", {"body": "Shared hello", "shared": True})
    private = DealNote.objects.get(shared=False)
    client.force_login(alice)
    for shared in ("true", "false"):
        listed = client.get(f"/api/v1/deals/{deal.pk}/notes?shared={shared}").content.decode()
        assert "Rep's private plan" not in listed
    comment = post(client, f"/deals/{deal.pk}/notes/{private.pk}/comments", {"body": "Hi"})
    assert comment.status_code == 404
    assert "Shared hello" in client.get(f"/api/v1/deals/{deal.pk}/notes").content.decode()


def test_attachments_upload_list_and_delete_for_both_sides(client, alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    note = post(client, f"/deals/{deal.pk}/notes", {"body": "Quote", "shared": True}).json()
    upload = client.post(
        f"/api/v1/deals/{deal.pk}/notes/{note['id']}/attachments",
        {"file": SimpleUploadedFile("quote.pdf", PDF, content_type="image/png")},
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()[0]["content_type"] == "application/pdf"
    attachment_id = upload.json()[0]["id"]
    client.force_login(sam)
    notes = client.get(f"/api/v1/deals/{deal.pk}/notes").json()["items"]
    assert notes[0]["attachments"][0]["name"] == "quote.pdf"
    download = client.get(f"/api/v1/deals/attachments/{attachment_id}")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert client.delete(f"/api/v1/deals/attachments/{attachment_id}").status_code == 204
    client.force_login(alice)
    assert client.get(f"/api/v1/deals/{deal.pk}/notes").json()["items"][0]["attachments"] == []
    assert client.get(f"/api/v1/deals/attachments/{attachment_id}").status_code == 404
    assert not NoteAttachment.objects.exists()


def test_an_attachment_of_a_forbidden_type_is_refused(client, alice):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    note = post(client, f"/deals/{deal.pk}/notes", {"body": "Quote", "shared": True}).json()
    upload = client.post(
        f"/api/v1/deals/{deal.pk}/notes/{note['id']}/attachments",
        {"file": SimpleUploadedFile("quote.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert upload.status_code == 422
    assert upload.json()["errors"][0]["field"] == "file"
    assert not NoteAttachment.objects.exists()


def test_an_attachment_upload_with_another_part_is_refused(client, alice):
    """The documented body takes `file` only, like a JSON body takes its own keys only."""
    deal = create_deal(actor=alice)
    client.force_login(alice)
    note = post(client, f"/deals/{deal.pk}/notes", {"body": "Quote", "shared": True}).json()
    upload = client.post(
        f"/api/v1/deals/{deal.pk}/notes/{note['id']}/attachments",
        {"file": SimpleUploadedFile("quote.pdf", PDF), "note": "hello"},
    )
    assert upload.status_code == 422
    assert upload.json()["errors"][0] == {
        "field": "note",
        "message": "This field cannot be set.",
        "code": "extra_forbidden",
    }
    assert not NoteAttachment.objects.exists()


def test_the_download_documents_each_type_an_attachment_can_have(client, db):
    document = client.get("/api/v1/openapi.json").json()
    answer = document["paths"]["/api/v1/deals/attachments/{attachment_id}"]["get"]["responses"]
    assert set(answer["200"]["content"]) == set(CONTENT_TYPES)
    assert "application/pdf" in CONTENT_TYPES


def test_the_reviewer_queue_and_decisions(client, alice, rita):
    deal = create_deal(actor=alice)
    client.force_login(rita)
    queue = client.get("/api/v1/registrations?queue=true").json()
    assert [r["deal_id"] for r in queue["items"]] == [deal.pk]
    registration_id = queue["items"][0]["id"]
    asked = post(client, f"/registrations/{registration_id}/request-info", {"reason": "Budget?"})
    assert asked.json()["state"] == "more_info_requested"
    assert client.get("/api/v1/registrations?queue=true").json()["count"] == 0
    client.force_login(alice)
    resubmitted = post(client, f"/registrations/{registration_id}/resubmit", {"answer": "50k"})
    assert resubmitted.json()["state"] == "submitted"
    client.force_login(rita)
    approved = post(client, f"/registrations/{registration_id}/approve", {})
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved"
    assert len(approved.json()["transitions"]) == 4


def test_a_partner_cannot_approve_its_own_registration(client, alice):
    registration = create_deal(actor=alice).opportunity.registrations.get()
    client.force_login(alice)
    response = post(client, f"/registrations/{registration.pk}/approve", {})
    assert_api_error(response, 403, "forbidden")
    registration_after = type(registration).objects.get(pk=registration.pk)
    assert (registration_after.state, registration_after.version) == (
        registration.state,
        registration.version,
    )


def test_the_deal_list_stays_within_a_few_queries(
    client, alice, sam_rule, django_assert_max_num_queries
):
    for n in range(5):
        create_deal(actor=alice, name=f"Deal {n}", customer=None)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/deals")
    assert response.json()["count"] == Deal.objects.count() == 5


@pytest.mark.parametrize("missing", ["name", "amount", "mrr", "currency", "close_date", "products"])
def test_a_missing_field_is_named_and_nothing_is_saved(client, alice, customer, product, missing):
    client.force_login(alice)
    body = new_deal(customer, product)
    del body[missing]
    response = post(client, "/deals", body)
    assert response.status_code == 422
    assert missing in [e["field"] for e in response.json()["errors"]]
    assert not Opportunity.objects.exists()


def test_an_attachment_over_the_configured_limit_is_refused(client, alice, settings):
    settings.OPENPRM_ATTACHMENT_MAX_BYTES = 50
    deal = create_deal(actor=alice)
    client.force_login(alice)
    note = post(client, f"/deals/{deal.pk}/notes", {"body": "Quote", "shared": True}).json()
    upload = client.post(
        f"/api/v1/deals/{deal.pk}/notes/{note['id']}/attachments",
        {"file": SimpleUploadedFile("quote.pdf", PDF)},
    )
    assert upload.status_code == 422
    assert upload.json()["errors"][0]["code"] == "too_large"
    assert not NoteAttachment.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("amount", "0"), ("mrr", "-5")])
def test_an_update_to_a_non_positive_amount_is_refused(client, alice, field, value):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    response = client.patch(
        f"/api/v1/deals/{deal.pk}", json.dumps({field: value}), content_type="application/json"
    )
    assert response.status_code == 422
    deal.opportunity.refresh_from_db()
    assert (deal.opportunity.amount_minor, deal.opportunity.mrr_minor) == (1_200_000, 100_000)


def test_the_deal_and_registration_details_stay_within_a_few_queries(
    client, alice, django_assert_max_num_queries
):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/deals/{deal.pk}").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/registrations").status_code == 200


def test_a_multipart_body_without_a_boundary_is_a_400(client, alice):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    note = post(client, f"/deals/{deal.pk}/notes", {"body": "Quote", "shared": True}).json()
    response = client.post(
        f"/api/v1/deals/{deal.pk}/notes/{note['id']}/attachments",
        b"--x\r\n",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_multipart"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "10.999"}, "amount", "USD amounts have at most 2 decimal places."),
        ({"mrr": "0.005"}, "mrr", "USD amounts have at most 2 decimal places."),
        ({"currency": "JPY", "amount": "5.5"}, "amount", "JPY amounts have no decimal places."),
        ({"close_date": "1899-12-31"}, "close_date", "Enter a date in 1900 or later."),
    ],
)
def test_a_deal_that_cannot_be_stored_as_given_is_a_422_naming_the_field(
    client, alice, customer, product, overrides, field, message
):
    client.force_login(alice)
    response = post(client, "/deals", new_deal(customer, product, **overrides))
    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [(field, message)]
    assert not Opportunity.objects.exists()


def test_an_update_with_more_decimals_than_the_currency_has_is_refused(client, alice):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    response = client.patch(
        f"/api/v1/deals/{deal.pk}", json.dumps({"mrr": "10.999"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "mrr"
    assert response.json()["errors"][0]["message"] == "USD amounts have at most 2 decimal places."
    deal.opportunity.refresh_from_db()
    assert deal.opportunity.mrr_minor == 100_000


def test_an_attachment_missing_from_storage_is_a_410_and_still_listed(client, alice, sam, sam_rule):
    """After a restore without the media folder the row names a file storage no longer holds."""
    deal = create_deal(actor=alice)
    client.force_login(alice)
    note = post(client, f"/deals/{deal.pk}/notes", {"body": "Quote", "shared": True}).json()
    client.post(
        f"/api/v1/deals/{deal.pk}/notes/{note['id']}/attachments",
        {"file": SimpleUploadedFile("quote.pdf", PDF, content_type="application/pdf")},
    )
    attachment = NoteAttachment.objects.get()
    lose_stored_file(attachment.file)
    client.force_login(sam)
    download = client.get(f"/api/v1/deals/attachments/{attachment.pk}")
    assert download.status_code == 410
    assert download.json()["code"] == "file_missing"
    assert "quote.pdf" in download.json()["message"]
    listed = client.get(f"/api/v1/deals/{deal.pk}/notes").json()["items"][0]["attachments"]
    assert [a["name"] for a in listed] == ["quote.pdf"]
    assert [q["name"] for q in client.get(f"/api/v1/deals/{deal.pk}").json()["quotes"]] == [
        "quote.pdf"
    ]
