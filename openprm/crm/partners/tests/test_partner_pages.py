"""The program admin's partner pages, by their visible labels."""

import pytest
from django.urls import reverse

from openprm.accounts.models import Invitation, Organization
from openprm.accounts.roles import Role

pytestmark = pytest.mark.django_db


def new_partner(**changes) -> dict:
    return {
        "name": "Fabrikam Consulting",
        "country": "JP",
        "currency": "JPY",
        "tier": "Gold",
        "location_name": "Osaka",
        "location_country": "JP",
        "city": "Osaka",
        "location_code": "FAB-OSA",
        **changes,
    }


def test_the_new_partner_form_shows_its_labels(client, victor):
    client.force_login(victor)
    page = client.get(reverse("crm:partner-create")).content.decode()
    for label in ("Name", "Country", "Market", "Currency", "Partner development manager",
                  "Tier at start", "Location name", "Location country", "Location ID"):  # fmt: skip
        assert f">{label}</label>" in page, label


def test_creating_a_partner_leads_to_inviting_its_admin(client, victor):
    client.force_login(victor)
    response = client.post(reverse("crm:partner-create"), new_partner(), follow=True)
    partner = Organization.objects.get(name="Fabrikam Consulting")
    assert response.redirect_chain[-1][0] == reverse("crm:partner-invite", args=[partner.pk])
    assert "Fabrikam Consulting is created." in response.content.decode()
    assert partner.locations.get().code == "FAB-OSA"
    assert partner.tier == "Gold"


def test_a_duplicate_location_id_is_a_field_error_and_nothing_is_written(client, victor, northwind):
    northwind.locations.filter(name="Seattle").update(code="FAB-OSA")
    client.force_login(victor)
    response = client.post(reverse("crm:partner-create"), new_partner())
    assert response.status_code == 200
    assert "Location ID FAB-OSA is already used in the program." in response.content.decode()
    assert not Organization.objects.filter(name="Fabrikam Consulting").exists()


def test_inviting_the_partners_admin_from_its_page(client, victor, tailspin):
    client.force_login(victor)
    response = client.post(
        reverse("crm:partner-invite", args=[tailspin.pk]),
        {"email": "erin@tailspin.example", "full_name": "Erin Ito"},
        follow=True,
    )
    assert "Invitation sent to erin@tailspin.example." in response.content.decode()
    invitation = Invitation.objects.get(email="erin@tailspin.example")
    assert (invitation.organization, invitation.role) == (tailspin, Role.PARTNER_ADMIN)


def test_deactivating_shows_on_the_partner_page(client, victor, tailspin):
    client.force_login(victor)
    response = client.post(reverse("crm:partner-deactivate", args=[tailspin.pk]), follow=True)
    page = response.content.decode()
    assert "Tailspin Toys is deactivated: its users can no longer sign in." in page
    assert "Reactivate partner" in page


def test_adding_a_location_shows_its_id(client, victor, tailspin):
    client.force_login(victor)
    response = client.post(
        reverse("crm:partner-location-add", args=[tailspin.pk]),
        {"location_name": "Chiang Mai", "location_country": "TH", "location_code": "TS-CNX"},
        follow=True,
    )
    assert "Location ID TS-CNX" in response.content.decode()


def test_the_pdm_sees_no_administration_buttons(client, pam, northwind):
    client.force_login(pam)
    page = client.get(reverse("crm:partner-detail", args=[northwind.pk])).content.decode()
    assert "Edit partner" not in page
    assert "New partner" not in client.get(reverse("crm:partners")).content.decode()
