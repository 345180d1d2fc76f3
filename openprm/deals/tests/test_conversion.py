"""C4: a sales rep converts one of the vendor's own opportunities into a shared deal."""

import pytest
from django.urls import reverse

from openprm.core.testing import assert_not_found
from openprm.crm.models import Opportunity, OpportunityKind, Source
from openprm.crm.tests.factories import OpportunityFactory
from openprm.deals.conversion import services as conversion
from openprm.deals.models import Deal, PartnerLeadRecipient, Registration
from openprm.deals.registrations import selectors as registration_selectors
from openprm.notifications.models import Notification

pytestmark = pytest.mark.django_db

CONFIRMATION = "You have reached out to this partner to confirm availability to work the deal"


@pytest.fixture
def vendor_deal(vendor, product):
    opportunity = OpportunityFactory.create(
        organization=vendor, brought_by=vendor, name="Contoso direct: Sakura"
    )
    opportunity.products.set([product])
    return opportunity


def details(northwind, alice, **overrides):
    return {
        "step": "1",
        "partner": northwind.pk,
        "owner": alice.pk,
        "welcome_note": "They need a local implementer.",
        "close_date": "2026-12-15",
        **overrides,
    }


def test_the_rep_converts_after_confirming(client, sam, northwind, alice, vendor_deal):
    client.force_login(sam)
    listing = client.get(reverse("deals:vendor-opportunities")).content.decode()
    assert "Convert to shared deal" in listing
    url = reverse("deals:convert", args=[vendor_deal.pk])
    review = client.post(url, details(northwind, alice)).content.decode()
    assert CONFIRMATION in review
    assert "Add partner" in review
    unticked = client.post(url, details(northwind, alice, step="2")).content.decode()
    assert "invalid-feedback" in unticked
    assert not Deal.objects.exists()
    response = client.post(url, details(northwind, alice, step="2", confirmed="on"))
    deal = Deal.objects.get()
    assert response["Location"] == reverse("deals:detail", args=[deal.pk])
    opportunity = Opportunity.objects.get(pk=vendor_deal.pk)
    assert (opportunity.organization, opportunity.source) == (northwind, Source.ASSISTED)
    assert opportunity.kind == OpportunityKind.SHARED_DEAL
    assert (deal.assigned_rep, deal.partner_owner) == (sam, alice)
    assert Registration.objects.get().organization == northwind
    assert Notification.objects.filter(recipient=alice, kind="deal_assigned").exists()
    client.force_login(alice)
    page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert "Assisted" in page
    assert str(alice) in page
    api = client.get(f"/api/v1/deals/{deal.pk}").json()
    assert (api["source"], api["partner_owner"]["id"]) == ("assisted", alice.pk)


def test_the_owner_must_be_one_of_the_partners_people(client, sam, northwind, charlie, vendor_deal):
    client.force_login(sam)
    url = reverse("deals:convert", args=[vendor_deal.pk])
    html = client.post(url, details(northwind, charlie, step="2", confirmed="on")).content.decode()
    assert "invalid-feedback" in html
    assert not Deal.objects.exists()


def test_partners_and_reviewers_cannot_convert(client, alice, rita, vendor_deal):
    for user in (alice, rita):
        client.force_login(user)
        page = client.get(reverse("deals:convert", args=[vendor_deal.pk]))
        assert_not_found(page, vendor_deal.name)


def test_the_api_refuses_a_conversion_without_the_confirmation(
    client, sam, northwind, alice, vendor_deal
):
    client.force_login(sam)
    body = {
        "opportunity_id": vendor_deal.pk,
        "partner_id": northwind.pk,
        "owner_id": alice.pk,
        "welcome_note": "Hi",
        "confirmed": False,
    }
    response = client.post("/api/v1/deals/convert", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "confirmed"
    body["confirmed"] = True
    response = client.post("/api/v1/deals/convert", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["partner"]["id"] == northwind.pk


def test_without_a_chosen_contact_the_lead_notification_recipient_owns_the_deal(
    client, sam, northwind, alice, bob, vendor_deal
):
    PartnerLeadRecipient.objects.create(organization=northwind, user=bob)
    client.force_login(sam)
    url = reverse("deals:convert", args=[vendor_deal.pk])
    review = client.post(url, details(northwind, alice, owner="")).content.decode()
    assert str(bob) in review
    client.post(url, details(northwind, alice, owner="", step="2", confirmed="on"))
    deal = Deal.objects.get()
    assert deal.partner_owner == bob
    assert Registration.objects.get().submitted_by == bob
    assert Notification.objects.filter(recipient=bob, kind="deal_assigned").exists()


def test_the_partner_contact_choices_name_their_partner(client, sam, alice, charlie, vendor_deal):
    client.force_login(sam)
    html = client.get(reverse("deals:convert", args=[vendor_deal.pk])).content.decode()
    assert f"{alice} · Northwind Traders" in html
    assert f"{charlie} · Tailspin Toys" in html
    assert "The partner&#x27;s lead notification recipient" in html


def test_a_converted_deal_counts_as_an_active_registration_of_the_partner(
    sam, northwind, alice, vendor_deal
):
    conversion.deal_convert(
        opportunity=vendor_deal,
        actor=sam,
        partner=northwind,
        owner=None,
        welcome_note="Welcome",
        confirmed=True,
    )
    assert (
        registration_selectors.active_registrations_count(user=alice, customer=vendor_deal.customer)
        == 1
    )


def test_an_unticked_confirmation_on_the_page_saves_nothing_and_says_why(
    client, sam, northwind, alice, vendor_deal
):
    client.force_login(sam)
    url = reverse("deals:convert", args=[vendor_deal.pk])
    html = client.post(url, details(northwind, alice, step="2")).content.decode()
    assert "Confirm that you have reached out to this partner" in html
    assert "Add partner" in html
    assert Opportunity.objects.get(pk=vendor_deal.pk).organization != northwind
