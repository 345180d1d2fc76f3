"""Finding, exporting and erasing a customer contact's personal data (GDPR art. 15 and 17)."""

import json

import pytest
from django.core.exceptions import ValidationError

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.core.errors import NotFound
from openprm.core.models import Event
from openprm.crm import services as crm_services
from openprm.crm.models import Contact, Opportunity
from openprm.crm.tests.factories import ContactFactory
from openprm.deals.tests.factories import create_deal
from openprm.notifications.models import Notification
from openprm.privacy import selectors, services
from openprm.privacy.export import export_document
from openprm.privacy.models import Erasure
from openprm.privacy.tests.conftest import EMAIL
from openprm.referrals.checks import Contact as ReferralContact
from openprm.referrals.models import Referral
from openprm.referrals.tests.factories import create_referral, send_referral

pytestmark = pytest.mark.django_db

PERSONAL = ("Yui", "Sato", EMAIL, "+81 3 0000 0000", "+81 3 1111 1111", "CIO")


def erase(actor, **subject):
    return services.erasure_create(actor=actor, reason="Ticket 4711", **subject)


def holds_any_of(values, texts) -> bool:
    return any(value.lower() in text.lower() for value in values for text in texts)


def contact_texts(contact_id: int) -> list[str]:
    rows = Contact.history.filter(id=contact_id).values_list(
        "first_name", "last_name", "email", "phone", "job_title", "search_name"
    )
    return [text for row in rows for text in row]


def referral_texts(referral_id: int) -> list[str]:
    rows = Referral.history.filter(id=referral_id).values_list(
        "contact_name", "contact_phone", "contact_email"
    )
    return [text for row in rows for text in row]


@pytest.fixture
def sam_sends(vendor, northwind):
    """A referral sent to Northwind with Yui's contact: its receivers are notified."""
    sam = MembershipFactory.create(organization=vendor, role=Role.SALES_REP).user
    return send_referral(
        actor=sam,
        partner=northwind,
        contact=ReferralContact("Yui Sato", "+81 3 0000 0000", EMAIL),
        consent=True,
    )


# --- find and export ---------------------------------------------------------------------------


def test_the_export_holds_the_persons_contact_and_referral_with_their_history(
    alice, yui, yui_referral
):
    document = export_document(selectors.holdings_for(user=alice, email="YUI@sakura.EXAMPLE"))

    [contact] = document["contacts"]
    assert (contact["id"], contact["first_name"], contact["email"], contact["phone"]) == (
        yui.pk, "Yui", "Yui@Sakura.example", "+81 3 1111 1111",
    )  # fmt: skip
    assert [version["phone"] for version in contact["history"]] == [
        "+81 3 0000 0000",
        "+81 3 1111 1111",
    ]
    [referral] = document["referrals"]
    assert (referral["id"], referral["contact_name"], referral["contact_email"]) == (
        yui_referral.pk, "Yui Sato", EMAIL,
    )  # fmt: skip
    assert {version["contact_email"] for version in referral["history"]} == {EMAIL}


def test_the_export_carries_the_consent_record(alice, yui_referral):
    [referral] = export_document(selectors.holdings_for(user=alice, email=EMAIL))["referrals"]

    consent = referral["consent"]
    assert consent["given"] is True
    assert consent["recorded_by"] == {"id": alice.pk, "full_name": alice.full_name}
    assert consent["recorded_at"] == yui_referral.consent_recorded_at


def test_the_export_holds_nothing_of_another_partner(
    alice, charlie, yui, yui_referral, tailspin_yui
):
    create_referral(actor=charlie)

    document = export_document(selectors.holdings_for(user=alice, email=EMAIL))

    assert [c["id"] for c in document["contacts"]] == [yui.pk]
    assert [r["id"] for r in document["referrals"]] == [yui_referral.pk]
    assert "Tailspin" not in json.dumps(document, default=str)


def test_the_export_holds_only_the_persons_fields_of_a_referral(alice, yui_referral):
    [referral] = export_document(selectors.holdings_for(user=alice, email=EMAIL))["referrals"]

    assert "notes" not in referral
    assert set(referral["history"][0]) == {
        "changed_at", "change", "contact_name", "contact_phone", "contact_email",
    }  # fmt: skip


def test_a_changed_email_is_found_in_the_history(alice, yui):
    crm_services.contact_update(contact=yui, actor=alice, email="yui.sato@sakura.example")

    holdings = selectors.holdings_for(user=alice, email="yui@sakura.example")

    assert [holding.object_id for holding in holdings.contacts] == [yui.pk]


def test_a_deleted_contact_is_found_by_its_history_copies(alice, yui):
    crm_services.contact_delete(contact=yui, actor=alice)

    [holding] = selectors.holdings_for(user=alice, email=EMAIL).contacts

    assert (holding.object_id, holding.current) == (yui.pk, None)


def test_a_contact_named_by_id_brings_the_referrals_under_its_email(alice, yui, yui_referral):
    holdings = selectors.holdings_for(user=alice, email="", contact_id=yui.pk)

    assert [holding.object_id for holding in holdings.referrals] == [yui_referral.pk]


def test_the_program_admin_finds_the_person_at_every_partner(
    victor, yui, yui_referral, tailspin_yui
):
    holdings = selectors.holdings_for(user=victor, email=EMAIL)

    assert {h.object_id for h in holdings.contacts} == {yui.pk, tailspin_yui.pk}
    assert [h.object_id for h in holdings.referrals] == [yui_referral.pk]


def test_the_sending_partners_admin_finds_a_referral_it_sent(alice, charlie, tailspin):
    sent = send_referral(
        actor=alice,
        partner=tailspin,
        contact=ReferralContact("Yui Sato", "+81 3 0000 0000", EMAIL),
        consent=True,
    )

    assert [h.object_id for h in selectors.holdings_for(user=alice, email=EMAIL).referrals] == [
        sent.pk
    ]


@pytest.mark.parametrize("role", ["pam", "bob"])
def test_only_admins_handle_requests(request, role, yui):
    with pytest.raises(NotFound):
        selectors.holdings_for(user=request.getfixturevalue(role), email=EMAIL)


def test_another_partners_contact_id_is_not_found(alice, tailspin_yui):
    with pytest.raises(NotFound):
        selectors.holdings_for(user=alice, email="", contact_id=tailspin_yui.pk)


@pytest.mark.parametrize(("email", "code"), [("", "required"), ("yui@", "invalid")])
def test_a_missing_or_invalid_email_names_the_field(alice, email, code):
    with pytest.raises(ValidationError) as raised:
        selectors.holdings_for(user=alice, email=email)

    assert [e.code for e in raised.value.error_dict["email"]] == [code]


# --- erase -------------------------------------------------------------------------------------


def test_erasure_blanks_the_contact_and_every_history_copy(alice, yui):
    erase(alice, email=EMAIL)

    yui.refresh_from_db()
    assert (yui.first_name, yui.last_name, yui.email, yui.phone, yui.job_title) == (
        "Erased contact", "", "", "", "",
    )  # fmt: skip
    assert yui.full_name == "Erased contact"
    assert yui.erased_at is not None
    assert not holds_any_of(PERSONAL, contact_texts(yui.pk))


def test_erasure_blanks_a_deleted_contacts_history_copies(alice, yui):
    crm_services.contact_delete(contact=yui, actor=alice)

    erasure = erase(alice, email=EMAIL)

    assert (erasure.contacts, erasure.contact_versions) == (1, 3)
    assert not holds_any_of(PERSONAL, contact_texts(yui.pk))


def test_erasure_blanks_the_referrals_contact_and_every_history_copy(alice, yui_referral):
    erase(alice, email=EMAIL)

    yui_referral.refresh_from_db()
    assert (yui_referral.contact_name, yui_referral.contact_phone) == ("", "")
    assert yui_referral.contact_email == ""
    assert yui_referral.contact_erased_at is not None
    assert not holds_any_of(PERSONAL, referral_texts(yui_referral.pk))


def test_erasure_keeps_the_consent_record(alice, yui_referral):
    recorded_at = yui_referral.consent_recorded_at

    erase(alice, email=EMAIL)

    yui_referral.refresh_from_db()
    assert (yui_referral.consent_recorded_by, yui_referral.consent_recorded_at) == (
        alice, recorded_at,
    )  # fmt: skip


def test_erasure_keeps_the_business_records(alice, yui, yui_referral):
    deal = create_deal(actor=alice, customer=yui.customer, contact=yui)
    before = list(Opportunity.objects.order_by("pk").values_list("name", "amount_minor", "state"))

    erase(alice, email=EMAIL)

    assert (
        list(Opportunity.objects.order_by("pk").values_list("name", "amount_minor", "state"))
        == before
    )
    deal.refresh_from_db()
    yui_referral.refresh_from_db()
    assert (deal.contact_id, yui_referral.substatus) == (yui.pk, "accepted")


def test_erasure_is_recorded_with_counts_and_without_the_email(alice, yui, yui_referral):
    erasure = erase(alice, email=EMAIL)

    row = Erasure.objects.filter(pk=erasure.pk).values().get()
    assert (row["contacts"], row["referrals"], row["erased_by_id"]) == (1, 1, alice.pk)
    assert row["contact_versions"] == yui.history.count() - 1
    assert row["subject_hash"] == selectors.subject_hash(EMAIL) != ""
    assert not holds_any_of(PERSONAL, [str(value) for value in row.values()])


def test_erasing_twice_changes_nothing(alice, yui, yui_referral):
    erase(alice, email=EMAIL)
    yui.refresh_from_db()
    copies = (yui.history.count(), yui_referral.history.count())

    again = erase(alice, email=EMAIL, contact_id=yui.pk)

    assert (again.contacts, again.contact_versions, again.referrals) == (0, 0, 0)
    assert (yui.history.count(), yui_referral.history.count()) == copies
    assert Contact.objects.get(pk=yui.pk).version == yui.version


def test_an_erasure_leaves_another_partners_copy_untouched(alice, yui, tailspin_yui):
    erase(alice, email=EMAIL)

    tailspin_yui.refresh_from_db()
    assert (tailspin_yui.first_name, tailspin_yui.email) == ("Yui", EMAIL)
    assert tailspin_yui.erased_at is None


def test_another_partners_contact_id_cannot_be_erased(alice, tailspin_yui):
    with pytest.raises(NotFound):
        erase(alice, contact_id=tailspin_yui.pk)

    tailspin_yui.refresh_from_db()
    assert tailspin_yui.email == EMAIL


def test_the_reason_may_not_hold_the_email(alice, yui):
    with pytest.raises(ValidationError) as raised:
        services.erasure_create(actor=alice, email=EMAIL, reason=f"Mail from {EMAIL.upper()}")

    assert [e.code for e in raised.value.error_dict["reason"]] == ["personal_data"]
    assert not Erasure.objects.exists()


def test_an_erased_contact_with_new_data_shows_its_new_name(alice, yui):
    erase(alice, email=EMAIL)

    updated = crm_services.contact_update(
        contact=Contact.objects.get(pk=yui.pk), actor=alice, first_name="Aoi"
    )

    assert updated.full_name == "Aoi"


# --- other copies of the data ------------------------------------------------------------------


def test_no_event_or_notification_copies_the_contacts_data(alice, sam_sends):
    contact = ContactFactory.create(organization=alice.organization, email=EMAIL)
    crm_services.contact_update(contact=contact, actor=alice, phone="+81 3 1111 1111")
    create_referral(actor=alice)

    texts = [json.dumps(data) for data in Event.objects.values_list("data", flat=True)]
    texts += [f"{n.title} {n.body}" for n in Notification.objects.all()]
    assert texts
    assert not holds_any_of((EMAIL, "+81 3 1111 1111", "+81 3 0000 0000"), texts)
