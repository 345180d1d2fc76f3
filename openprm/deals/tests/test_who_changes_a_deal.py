"""Who changes a shared deal (C5, C6): its partner, the sales rep it is assigned to and the
program admin. The registration reviewer decides registrations and the PDM coaches the partner:
both read the deal, and any write of theirs is a 403 that writes nothing, on the API and on the
pages alike."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openprm.core.models import Event
from openprm.core.testing import assert_api_error
from openprm.crm.models import OpportunityState
from openprm.crm.tests.factories import ProductFactory
from openprm.deals.models import (
    Deal,
    DealNote,
    NoteAttachment,
    NoteComment,
    PipelineStage,
    Registration,
)
from openprm.deals.notes import services as notes
from openprm.deals.registrations import services as registrations
from openprm.deals.tests.factories import create_deal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 100


@pytest.fixture
def deal(alice, sam_rule) -> Deal:
    """Northwind's deal, assigned to Sam, with a shared message carrying a quote."""
    created = create_deal(actor=alice)
    notes.note_create(
        deal=created,
        actor=alice,
        body="Quote attached",
        shared=True,
        files=[SimpleUploadedFile("quote.pdf", PDF)],
    )
    return created


@pytest.fixture(params=["rita", "pam"], ids=["reviewer", "pdm"])
def reader(request):
    """Who reads Northwind's deals without working them: the reviewer and Northwind's PDM."""
    return request.getfixturevalue(request.param)


def snapshot(deal: Deal) -> dict[str, Any]:
    """Everything a write on the deal, its notes or its registration could change."""
    deal = Deal.objects.select_related("opportunity").get(pk=deal.pk)
    opportunity = deal.opportunity
    return {
        "deal": (deal.version, deal.stage_id, deal.close_date, deal.compensation_eligible),
        "opportunity": (
            opportunity.version,
            opportunity.name,
            opportunity.amount_minor,
            opportunity.state,
            sorted(opportunity.products.values_list("pk", flat=True)),
        ),
        "notes": sorted(DealNote.objects.values_list("pk", "body")),
        "comments": NoteComment.objects.count(),
        "attachments": sorted(NoteAttachment.objects.values_list("pk", flat=True)),
        "registrations": sorted(Registration.objects.values_list("pk", "version", "state")),
        "events": Event.objects.count(),
    }


def shared_note(deal: Deal) -> DealNote:
    return DealNote.objects.get(deal=deal, shared=True)


def won_stage() -> PipelineStage:
    return PipelineStage.objects.get(outcome=OpportunityState.WON)


# --- writes through the API ----------------------------------------------------------------


def send(client, method: str, path: str, body: dict) -> Any:
    return client.generic(
        method, f"/api/v1{path}", json.dumps(body), content_type="application/json"
    )


def rename(client, deal):
    return send(client, "PATCH", f"/deals/{deal.pk}", {"name": "Renamed by a reader"})


def make_compensation_eligible(client, deal):
    return send(client, "PATCH", f"/deals/{deal.pk}", {"compensation_eligible": True})


def change_products(client, deal):
    other = ProductFactory.create(code="analytics", name="Analytics")
    return send(client, "PATCH", f"/deals/{deal.pk}", {"products": [other.pk]})


def close_as_won(client, deal):
    return send(client, "POST", f"/deals/{deal.pk}/stage", {"stage_id": won_stage().pk})


def write_shared_message(client, deal):
    return send(client, "POST", f"/deals/{deal.pk}/notes", {"body": "Hi", "shared": True})


def write_private_note(client, deal):
    return send(client, "POST", f"/deals/{deal.pk}/notes", {"body": "Psst", "shared": False})


def comment(client, deal):
    path = f"/deals/{deal.pk}/notes/{shared_note(deal).pk}/comments"
    return send(client, "POST", path, {"body": "Nice"})


def attach_file(client, deal):
    return client.post(
        f"/api/v1/deals/{deal.pk}/notes/{shared_note(deal).pk}/attachments",
        {"file": SimpleUploadedFile("other.pdf", PDF)},
    )


def delete_attachment(client, deal):
    return client.delete(f"/api/v1/deals/attachments/{NoteAttachment.objects.get().pk}")


API_WRITES: list[Callable[[Any, Deal], Any]] = [
    rename,
    make_compensation_eligible,
    change_products,
    close_as_won,
    write_shared_message,
    write_private_note,
    comment,
    attach_file,
    delete_attachment,
]


# --- writes on the pages -------------------------------------------------------------------


def details(deal: Deal) -> dict[str, Any]:
    return {
        "name": "Renamed by a reader",
        "amount": "12000",
        "mrr": "1000",
        "close_date": deal.close_date.isoformat(),
        "compensation_eligible": "on",
        "version": deal.version,
    }


def open_edit_form(client, deal):
    return client.get(reverse("deals:edit", args=[deal.pk]))


def save_details(client, deal):
    return client.post(reverse("deals:edit", args=[deal.pk]), details(deal))


def open_change_product_form(client, deal):
    return client.get(reverse("deals:change-product", args=[deal.pk]))


def save_products(client, deal):
    other = ProductFactory.create(code="analytics", name="Analytics")
    url = reverse("deals:change-product", args=[deal.pk])
    return client.post(url, {"products": [other.pk], "version": deal.version})


def move_to_won(client, deal):
    return client.post(reverse("deals:stage", args=[deal.pk]), {"stage": won_stage().pk})


def add_shared_message(client, deal):
    return client.post(
        reverse("deals:note-add", args=[deal.pk]),
        {"body": "Hi", "shared": "1", "attachments": [SimpleUploadedFile("more.pdf", PDF)]},
    )


def add_private_note(client, deal):
    return client.post(reverse("deals:note-add", args=[deal.pk]), {"body": "Psst", "shared": "0"})


def add_comment(client, deal):
    url = reverse("deals:comment-add", args=[deal.pk, shared_note(deal).pk])
    return client.post(url, {"body": "Nice"})


def delete_quote(client, deal):
    url = reverse("deals:attachment-delete", args=[NoteAttachment.objects.get().pk])
    return client.post(url)


PAGE_WRITES: list[Callable[[Any, Deal], Any]] = [
    open_edit_form,
    save_details,
    open_change_product_form,
    save_products,
    move_to_won,
    add_shared_message,
    add_private_note,
    add_comment,
    delete_quote,
]


@pytest.mark.parametrize("write", API_WRITES + PAGE_WRITES, ids=lambda write: write.__name__)
def test_who_only_reads_a_deal_cannot_change_it(client, reader, deal, write):
    """The same 403, saying who may, on the API and the pages; nothing is written."""
    before = snapshot(deal)
    client.force_login(reader)
    response = write(client, deal)
    assert response.status_code == 403, response.content
    assert "the program admin change this deal" in response.content.decode()
    assert snapshot(deal) == before


def test_a_reviewers_invalid_update_is_a_403_not_a_field_error(client, rita, deal):
    before = snapshot(deal)
    client.force_login(rita)
    response = send(client, "PATCH", f"/deals/{deal.pk}", {"amount": "0"})
    assert_api_error(response, 403, "forbidden")
    assert response.json()["errors"] == []
    assert snapshot(deal) == before


def test_a_reviewer_reads_the_deal_its_notes_and_quotes(client, rita, deal):
    client.force_login(rita)
    assert client.get(f"/api/v1/deals/{deal.pk}").json()["name"] == "Sakura rollout"
    listed = client.get(f"/api/v1/deals/{deal.pk}/notes").json()["items"]
    assert [note["body"] for note in listed] == ["Quote attached"]
    download = client.get(f"/api/v1/deals/attachments/{NoteAttachment.objects.get().pk}")
    assert b"".join(download.streaming_content) == PDF


def test_the_program_admin_renames_any_deal(client, victor, deal):
    client.force_login(victor)
    response = rename(client, deal)
    assert response.status_code == 200, response.content
    assert Deal.objects.get(pk=deal.pk).opportunity.name == "Renamed by a reader"


def test_the_assigned_rep_closes_the_deal_as_won(client, sam, deal):
    client.force_login(sam)
    response = close_as_won(client, deal)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == OpportunityState.WON


def test_the_deal_page_offers_a_reviewer_no_way_to_change_it(client, rita, deal):
    client.force_login(rita)
    detail = reverse("deals:detail", args=[deal.pk])
    html = client.get(detail).content.decode()
    assert "Sakura rollout" in html
    assert "Quote attached" in html
    assert "Registration" in html
    for url in (
        reverse("deals:edit", args=[deal.pk]),
        reverse("deals:stage", args=[deal.pk]),
        reverse("deals:note-add", args=[deal.pk]),
        reverse("deals:attachment-delete", args=[NoteAttachment.objects.get().pk]),
    ):
        assert url not in html
    notes_tab = client.get(f"{detail}?tab=notes").content.decode()
    assert reverse("deals:note-add", args=[deal.pk]) not in notes_tab


@pytest.mark.parametrize(
    ("route", "data"),
    [
        ("deals:registration-answer", {"answer": "Plenty"}),
        ("deals:registration-extension", {"reason": "The board meets next month"}),
    ],
)
def test_a_reviewer_cannot_answer_or_ask_for_more_time_for_the_partner(
    client, rita, deal, route, data
):
    """Both would write something of a registration that is waiting for the partner."""
    registration = Registration.objects.get()
    registrations.registration_decide(
        registration=registration, action="request_info", actor=rita, reason="Budget?"
    )
    before = snapshot(deal)
    client.force_login(rita)
    response = client.post(reverse(route, args=[registration.pk]), data)
    assert response.status_code == 403
    assert "Only the registering partner" in response.content.decode()
    registration.refresh_from_db()
    assert (registration.partner_answer, registration.extension_requested_at) == ("", None)
    assert snapshot(deal) == before
