"""What each side sees on the pages: the card, the wizard, the deal, the queue."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openprm.core.testing import assert_not_found, lose_stored_file
from openprm.crm.tests.factories import ContactFactory, ProductFactory
from openprm.deals.models import Deal, DealNote, NoteAttachment, Registration
from openprm.deals.notes import services as notes
from openprm.deals.registrations import services as registrations
from openprm.deals.tests.factories import create_deal
from openprm.notifications.models import Notification

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def step1(product, **overrides):
    data = {
        "step": "1",
        "name": "Sakura rollout",
        "amount": "12000",
        "currency": "USD",
        "mrr": "1000",
        "close_date": "2026-12-15",
        "products": [product.pk],
    }
    data.update(overrides)
    return data


def step2(product, **overrides):
    return {
        **step1(product),
        "step": "2",
        "introduction_note": "Met the CIO",
        "pain": "Spreadsheets",
        "next_steps": "Demo",
        **overrides,
    }


def test_the_customer_record_has_a_shared_deal_card_with_add(client, alice, customer, sam_rule):
    create_deal(actor=alice, customer=customer, name="Sakura rollout")
    client.force_login(alice)
    html = client.get(reverse("crm:customer-detail", args=[customer.pk])).content.decode()
    assert "Shared deal" in html
    assert "Sakura rollout" in html
    assert f"{reverse('deals:create')}?customer={customer.pk}" in html


def test_the_card_lists_only_the_requesters_own_deals(client, alice, charlie, customer):
    create_deal(actor=charlie, customer=customer, name="Tailspin secret deal")
    client.force_login(alice)
    html = client.get(reverse("crm:customer-detail", args=[customer.pk])).content.decode()
    assert "Tailspin secret deal" not in html


def test_step_one_then_next_then_create_shared_deal(client, alice, customer, product, sam_rule):
    client.force_login(alice)
    url = f"{reverse('deals:create')}?customer={customer.pk}"
    first = client.get(url).content.decode()
    assert "Next" in first
    second = client.post(url, step1(product)).content.decode()
    assert "Create shared deal" in second
    assert "Introduction note" in second
    assert not Deal.objects.exists()
    response = client.post(url, step2(product))
    deal = Deal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deals:detail", args=[deal.pk])
    assert deal.pain == "Spreadsheets"


def test_a_shared_deal_from_a_contact_record_remembers_the_contact(
    client, alice, northwind, product
):
    contact = ContactFactory.create(organization=northwind)
    client.force_login(alice)
    html = client.get(reverse("crm:contact-detail", args=[contact.pk])).content.decode()
    assert f"?contact={contact.pk}" in html
    client.post(f"{reverse('deals:create')}?contact={contact.pk}", step2(product))
    deal = Deal.objects.get()
    assert deal.contact == contact
    assert deal.opportunity.customer == contact.customer


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", "0"), ("mrr", "-5"), ("close_date", "31/31/2026"), ("currency", "XXX")],
)
def test_bad_step_one_input_stays_on_step_one(client, alice, customer, product, field, value):
    client.force_login(alice)
    url = f"{reverse('deals:create')}?customer={customer.pk}"
    html = client.post(url, step2(product, **{field: value})).content.decode()
    assert "invalid-feedback" in html
    assert "Create shared deal" not in html
    assert not Deal.objects.exists()


def test_a_product_not_sold_is_a_field_error(client, alice, customer):
    client.force_login(alice)
    url = f"{reverse('deals:create')}?customer={customer.pk}"
    html = client.post(url, {**step2(customer), "products": ["999999"]}).content.decode()
    assert "invalid-feedback" in html
    assert not Deal.objects.exists()


def test_a_duplicate_is_refused_on_the_page_naming_the_own_deal(client, alice, customer, product):
    create_deal(actor=alice, customer=customer, products=[product], name="First deal")
    client.force_login(alice)
    url = f"{reverse('deals:create')}?customer={customer.pk}"
    html = client.post(url, step2(product, name="Second")).content.decode()
    assert "First deal" in html
    assert Deal.objects.count() == 1


def test_the_rep_sees_the_deal_but_not_the_partners_private_note(client, alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    detail = reverse("deals:detail", args=[deal.pk])
    client.post(
        reverse("deals:note-add", args=[deal.pk]), {"body": "Our margin is thin", "shared": "0"}
    )
    client.post(reverse("deals:note-add", args=[deal.pk]), {"body": "Demo booked", "shared": "1"})
    assert "Our margin is thin" in client.get(detail + "?tab=notes").content.decode()
    client.force_login(sam)
    for tab in ("shared", "notes", "history"):
        html = client.get(f"{detail}?tab={tab}").content.decode()
        assert "Our margin is thin" not in html
    assert "Demo booked" in client.get(detail).content.decode()
    assert not Notification.objects.filter(
        recipient=sam, kind="shared_note", title__contains="margin"
    ).exists()
    assert Notification.objects.filter(recipient=sam, kind="shared_note").count() == 1


def test_deleting_an_attachment_removes_it_for_both_sides(
    client, alice, sam, sam_rule, django_capture_on_commit_callbacks
):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    client.post(
        reverse("deals:note-add", args=[deal.pk]),
        {
            "body": "Quote attached",
            "shared": "1",
            "attachments": [SimpleUploadedFile("quote.png", PNG)],
        },
    )
    attachment = NoteAttachment.objects.get()
    path = attachment.file.path
    client.force_login(sam)
    assert "quote.png" in client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("deals:attachment-delete", args=[attachment.pk]))
    assert not NoteAttachment.objects.exists()
    client.force_login(alice)
    assert "quote.png" not in client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert client.get(reverse("deals:attachment", args=[attachment.pk])).status_code == 404
    assert not Path(path).exists()


@pytest.mark.parametrize(
    ("name", "content", "size_limit"),
    [("big.png", PNG, 10), ("script.png", b"#!/bin/sh\necho hi", 10_000)],
)
def test_a_bad_attachment_saves_nothing(client, alice, settings, name, content, size_limit):
    settings.OPENPRM_ATTACHMENT_MAX_BYTES = size_limit
    deal = create_deal(actor=alice)
    client.force_login(alice)
    response = client.post(
        reverse("deals:note-add", args=[deal.pk]),
        {"body": "Look", "shared": "1", "attachments": [SimpleUploadedFile(name, content)]},
        follow=True,
    )
    assert name in response.content.decode()
    assert not DealNote.objects.exists()
    assert not NoteAttachment.objects.exists()


def test_another_partners_deal_is_404(client, alice, charlie):
    deal = create_deal(actor=alice)
    client.force_login(charlie)
    assert_not_found(client.get(reverse("deals:detail", args=[deal.pk])), "Sakura rollout")
    change = client.get(reverse("deals:change-product", args=[deal.pk]))
    assert_not_found(change, "Sakura rollout")


def test_a_rep_does_not_see_deals_assigned_to_someone_else(client, alice, sam):
    deal = create_deal(actor=alice)
    client.force_login(sam)
    assert_not_found(client.get(reverse("deals:detail", args=[deal.pk])), "Sakura rollout")


def test_change_product_from_the_edit_menu(client, alice, product, sam_rule):
    deal = create_deal(actor=alice, products=[product])
    other = ProductFactory.create(code="analytics", name="Analytics")
    client.force_login(alice)
    assert "Change product" in client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    client.post(
        reverse("deals:change-product", args=[deal.pk]),
        {"products": [other.pk], "version": deal.version},
    )
    history = client.get(reverse("deals:detail", args=[deal.pk]) + "?tab=history").content.decode()
    assert "Product changed" in history
    assert "CRM Suite → Analytics" in history
    assert "Analytics" in history


def test_the_reviewer_queue_shows_conflicts_without_telling_the_partner_who(
    client, alice, charlie, rita, customer, product
):
    create_deal(actor=alice, customer=customer, products=[product], name="Northwind deal")
    theirs = create_deal(actor=charlie, customer=customer, products=[product], name="Tailspin deal")
    client.force_login(rita)
    queue = client.get(reverse("deals:registrations")).content.decode()
    assert "In review (conflict)" in queue
    assert "Held by Northwind Traders in “Northwind deal”" in queue
    client.force_login(charlie)
    html = client.get(reverse("deals:detail", args=[theirs.pk])).content.decode()
    assert "In review (conflict)" in html
    assert "Northwind" not in html


def test_a_reviewer_rejects_with_a_reason_from_the_queue(client, alice, rita):
    registration = create_deal(actor=alice).opportunity.registrations.get()
    client.force_login(rita)
    client.post(
        reverse("deals:registration-decide", args=[registration.pk]),
        {"action": "reject", "reason": "Already our customer"},
    )
    registration.refresh_from_db()
    assert registration.state == "rejected"


def test_the_queue_is_not_for_partners_or_reps(client, alice, charlie, sam):
    create_deal(actor=charlie, name="Tailspin renewal")
    for user in (alice, sam):
        client.force_login(user)
        assert_not_found(client.get(reverse("deals:registrations")), "Tailspin renewal")


def test_the_partner_answers_on_the_deal_page(client, alice, rita):
    deal = create_deal(actor=alice)
    registration = Registration.objects.get()
    registrations.registration_decide(
        registration=registration, action="request_info", actor=rita, reason="Budget?"
    )
    client.force_login(alice)
    assert "Budget?" in client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    client.post(reverse("deals:registration-answer", args=[registration.pk]), {"answer": "50k"})
    registration.refresh_from_db()
    assert registration.state == "submitted"


def test_the_card_counts_active_registrations_as_deals_open_and_expire(
    client, alice, customer, product, time_machine
):
    time_machine.move_to("2026-01-05 09:00Z", tick=False)
    create_deal(actor=alice, customer=customer, products=[product])
    client.force_login(alice)
    url = reverse("crm:customer-detail", args=[customer.pk])
    assert (
        "Number of active deal registrations: <strong>1</strong>"
        in client.get(url).content.decode()
    )
    time_machine.move_to("2026-06-01 09:00Z", tick=False)
    client.force_login(alice)
    assert (
        "Number of active deal registrations: <strong>0</strong>"
        in client.get(url).content.decode()
    )


def test_the_deal_list_filters_by_active_registrations(client, alice, product):
    create_deal(actor=alice, products=[product], name="Registered deal")
    expired = create_deal(actor=alice, products=[product], name="Expired deal")
    expired.opportunity.registrations.update(state="expired")
    client.force_login(alice)
    html = client.get(reverse("deals:list"), {"active_registrations": "1"}).content.decode()
    assert "Registered deal" in html
    assert "Expired deal" not in html


def test_the_partner_admin_chooses_lead_notification_recipients(client, alice, bob, sam_rule):
    client.force_login(alice)
    page = client.get(reverse("deals:lead-recipients")).content.decode()
    assert "Get notified about lead activity" in page
    client.post(reverse("deals:lead-recipients"), {"users": [bob.pk]})
    create_deal(actor=alice)
    assert Notification.objects.filter(recipient=bob, kind="deal_assigned").exists()
    assert not Notification.objects.filter(recipient=alice, kind="deal_assigned").exists()


def test_only_the_partner_admin_reaches_communication_settings(client, bob, charlie, alice):
    client.force_login(bob)
    assert client.get(reverse("deals:lead-recipients")).status_code == 404
    client.force_login(charlie)
    response = client.post(reverse("deals:lead-recipients"), {"users": [alice.pk]})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_an_extension_request_waits_in_the_queue_and_is_granted(client, alice, rita):
    deal = create_deal(actor=alice)
    registration = Registration.objects.get()
    client.force_login(alice)
    assert (
        "Ask for an extension"
        in client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    )
    client.post(
        reverse("deals:registration-extension", args=[registration.pk]), {"reason": "Board"}
    )
    client.force_login(rita)
    queue = client.get(reverse("deals:registrations")).content.decode()
    assert "Grant extension" in queue
    client.post(
        reverse("deals:registration-decide", args=[registration.pk]),
        {"action": "grant_extension", "reason": ""},
    )
    registration.refresh_from_db()
    assert registration.extension_requested_at is None


def test_an_update_by_the_partner_shows_to_the_rep_and_in_the_history(client, alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    edit = reverse("deals:edit", args=[deal.pk])
    form = client.get(edit).content.decode()
    assert "Partner compensation eligibility" not in form
    response = client.post(
        edit,
        {
            "name": "Sakura rollout",
            "amount": "12000",
            "mrr": "1500",
            "close_date": "2027-01-31",
            "version": deal.version,
        },
    )
    assert response.status_code == 302
    client.force_login(sam)
    detail = reverse("deals:detail", args=[deal.pk])
    assert "$1,500.00" in client.get(detail).content.decode()
    history = client.get(detail + "?tab=history").content.decode()
    assert "Details changed" in history
    assert "MRR: $1,000.00 → $1,500.00" in history


def test_the_vendor_sets_compensation_eligibility_and_the_partner_sees_it(
    client, alice, sam, sam_rule
):
    deal = create_deal(actor=alice)
    client.force_login(sam)
    client.post(
        reverse("deals:edit", args=[deal.pk]),
        {
            "name": "Sakura rollout",
            "amount": "12000",
            "mrr": "1000",
            "close_date": deal.close_date.isoformat(),
            "compensation_eligible": "on",
        },
    )
    client.force_login(alice)
    html = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert 'Partner compensation eligibility</dt><dd class="col-sm-7">Eligible' in html


def test_a_partner_posting_compensation_eligibility_changes_nothing(client, alice, sam_rule):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    client.post(
        reverse("deals:edit", args=[deal.pk]),
        {
            "name": "Sakura rollout",
            "amount": "12000",
            "mrr": "1000",
            "close_date": deal.close_date.isoformat(),
            "compensation_eligible": "on",
        },
    )
    deal.refresh_from_db()
    assert deal.compensation_eligible is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "0", "Must be more than zero."),
        ("mrr", "-1", "Must be more than zero."),
        ("close_date", "not a date", "Enter a valid date."),
        ("name", "", "This field is required."),
        ("amount", "4999.999", "USD amounts have at most 2 decimal places."),
        ("close_date", "0202-01-31", "Enter a date in 1900 or later."),
    ],
)
def test_bad_details_are_a_field_error_and_save_nothing(client, alice, field, value, message):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    data = {"name": "Renamed", "amount": "5000", "mrr": "500", "close_date": "2027-01-31"}
    response = client.post(reverse("deals:edit", args=[deal.pk]), {**data, field: value})
    assert response.context["form"].errors[field] == [message]
    deal.refresh_from_db()
    assert deal.opportunity.name == "Sakura rollout"
    assert deal.opportunity.amount_minor == 1_200_000


def test_attached_quotes_show_in_the_key_information_of_both_sides(client, alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    client.post(
        reverse("deals:note-add", args=[deal.pk]),
        {"body": "Quote", "shared": "1", "attachments": [SimpleUploadedFile("quote.png", PNG)]},
    )
    attachment = NoteAttachment.objects.get()
    for user in (alice, sam):
        client.force_login(user)
        html = client.get(reverse("deals:detail", args=[deal.pk]) + "?tab=history").content
        assert reverse("deals:attachment", args=[attachment.pk]) in html.decode()
    client.force_login(sam)
    api = client.get(f"/api/v1/deals/{deal.pk}").json()
    assert [q["name"] for q in api["quotes"]] == ["quote.png"]


@pytest.mark.parametrize("missing", ["name", "amount", "currency", "mrr", "close_date", "products"])
def test_a_missing_step_one_field_is_named_and_nothing_is_saved(
    client, alice, customer, product, missing
):
    client.force_login(alice)
    data = step2(product)
    del data[missing]
    url = f"{reverse('deals:create')}?customer={customer.pk}"
    html = client.post(url, data).content.decode()
    assert "This field is required." in html
    assert "Create shared deal" not in html
    assert not Deal.objects.exists()


@pytest.mark.parametrize("missing", ["introduction_note", "pain", "next_steps"])
def test_a_missing_shared_field_keeps_step_two_and_saves_nothing(
    client, alice, customer, product, missing
):
    client.force_login(alice)
    data = step2(product)
    del data[missing]
    url = f"{reverse('deals:create')}?customer={customer.pk}"
    html = client.post(url, data).content.decode()
    assert "This field is required." in html
    assert "Create shared deal" in html
    assert not Deal.objects.exists()


def test_the_deal_page_stays_within_a_few_queries(
    client, alice, sam, sam_rule, django_assert_max_num_queries
):
    deal = create_deal(actor=alice)
    for n in range(3):
        note = notes.note_create(deal=deal, actor=alice, body=f"Message {n}", shared=True)
        notes.comment_create(note=note, actor=sam, body=f"Reply {n}")
    client.force_login(sam)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("deals:detail", args=[deal.pk]))
    assert response.content.decode().count("Reply ") == 3


def test_the_registration_queue_stays_within_a_few_queries(
    client, alice, rita, sam_rule, django_assert_max_num_queries
):
    for n in range(5):
        create_deal(actor=alice, name=f"Deal {n}")
    client.force_login(rita)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("deals:registrations"))
    assert response.content.decode().count("Lead registration") == 5


def test_the_shared_message_form_names_the_allowed_types_and_the_configured_limit(
    client, alice, settings
):
    settings.OPENPRM_ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    deal = create_deal(actor=alice)
    client.force_login(alice)
    html = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert "PDF, PNG, JPEG, GIF, Word or Excel files up to 2.0\xa0MB each." in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "10.999"}, "amount", "USD amounts have at most 2 decimal places."),
        ({"currency": "JPY", "mrr": "5.5"}, "mrr", "JPY amounts have no decimal places."),
        ({"close_date": "1899-12-31"}, "close_date", "Enter a date in 1900 or later."),
    ],
)
def test_step_one_refuses_what_cannot_be_stored_as_typed(
    client, alice, customer, product, sam_rule, overrides, field, message
):
    client.force_login(alice)
    url = f"{reverse('deals:create')}?customer={customer.pk}"
    response = client.post(url, step2(product, **overrides))
    assert response.context["step1"].errors[field] == [message]
    assert not Deal.objects.exists()


def test_an_attachment_missing_from_storage_says_so_and_the_deal_page_still_lists_it(
    client, alice, sam, sam_rule
):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    client.post(
        reverse("deals:note-add", args=[deal.pk]),
        {"body": "Quote", "shared": "1", "attachments": [SimpleUploadedFile("quote.png", PNG)]},
    )
    attachment = NoteAttachment.objects.get()
    lose_stored_file(attachment.file)
    client.force_login(sam)
    page = client.get(reverse("deals:detail", args=[deal.pk]))
    assert page.status_code == 200
    assert reverse("deals:attachment", args=[attachment.pk]) in page.content.decode()
    download = client.get(reverse("deals:attachment", args=[attachment.pk]))
    assert download.status_code == 410
    assert "The file quote.png is missing from storage" in download.content.decode()
