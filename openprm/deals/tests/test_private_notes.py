"""C6: a private note ("Notes" > "Create note") never reaches the other side, through any
channel the product has: pages, API, notifications (in-app and email) and the deal's history.
OpenPRM has no deal search, exports or webhooks yet; the history is its audit view."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from openprm.core.models import Event
from openprm.core.testing import assert_not_found
from openprm.deals.notes import services as notes
from openprm.deals.tests.factories import create_deal
from openprm.notifications.models import Notification

pytestmark = pytest.mark.django_db

PARTNER_SECRET = "Our margin is thin here"
VENDOR_SECRET = "Discount needs the regional manager"


@pytest.fixture
def deal(alice, sam, sam_rule, customer, product, django_capture_on_commit_callbacks):
    created = create_deal(actor=alice, customer=customer, products=[product])
    with django_capture_on_commit_callbacks(execute=True):
        notes.note_create(deal=created, actor=alice, body=PARTNER_SECRET, shared=False)
        notes.note_create(deal=created, actor=sam, body=VENDOR_SECRET, shared=False)
        notes.note_create(deal=created, actor=alice, body="Demo booked", shared=True)
    return created


def pages(deal, customer):
    detail = reverse("deals:detail", args=[deal.pk])
    return [
        *(f"{detail}?tab={tab}" for tab in ("shared", "notes", "history")),
        reverse("deals:list"),
        reverse("deals:vendor-list"),
        reverse("crm:customer-detail", args=[customer.pk]),
        reverse("notifications:inbox"),
    ]


@pytest.mark.parametrize(("reader", "secret"), [("sam", PARTNER_SECRET), ("alice", VENDOR_SECRET)])
def test_no_page_of_the_other_side_shows_a_private_note(
    client, request, deal, customer, reader, secret
):
    client.force_login(request.getfixturevalue(reader))
    for url in pages(deal, customer):
        response = client.get(url, follow=True)
        assert secret not in response.content.decode(), url
    assert "Demo booked" in client.get(reverse("deals:detail", args=[deal.pk])).content.decode()


@pytest.mark.parametrize(("reader", "secret"), [("sam", PARTNER_SECRET), ("alice", VENDOR_SECRET)])
def test_no_api_answer_to_the_other_side_holds_a_private_note(
    client, request, deal, reader, secret
):
    client.force_login(request.getfixturevalue(reader))
    for path in (
        "/deals",
        f"/deals/{deal.pk}",
        f"/deals/{deal.pk}/notes",
        f"/deals/{deal.pk}/notes?shared=false",
        "/registrations",
        "/notifications",
    ):
        response = client.get(f"/api/v1{path}")
        assert response.status_code == 200, path
        assert secret not in response.content.decode(), path


def test_the_other_sides_private_note_cannot_be_commented_or_given_files(client, deal, alice):
    vendor_note = deal.notes.get(body=VENDOR_SECRET)
    client.force_login(alice)
    commented = client.post(
        f"/api/v1/deals/{deal.pk}/notes/{vendor_note.pk}/comments",
        json.dumps({"body": "What discount?"}),
        content_type="application/json",
    )
    assert_not_found(commented, VENDOR_SECRET)
    page = client.post(
        reverse("deals:comment-add", args=[deal.pk, vendor_note.pk]), {"body": "What discount?"}
    )
    assert_not_found(page, VENDOR_SECRET)
    assert not vendor_note.comments.exists()


def test_a_private_note_notifies_nobody_in_the_app_or_by_email(deal):
    for secret in (PARTNER_SECRET, VENDOR_SECRET):
        assert not Notification.objects.filter(body__contains=secret).exists()
        assert not Notification.objects.filter(title__contains=secret).exists()
    assert Notification.objects.filter(kind="shared_note").count() == 1
    assert all(PARTNER_SECRET not in m.body and VENDOR_SECRET not in m.body for m in mail.outbox)


def test_the_events_of_a_private_note_keep_its_text_out(deal):
    for event in Event.objects.all():
        text = json.dumps(event.data)
        assert PARTNER_SECRET not in text
        assert VENDOR_SECRET not in text
