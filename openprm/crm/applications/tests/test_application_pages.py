"""The public "Apply to become a partner" page and the program admin's decision pages."""

import re

import pytest
from django.urls import reverse

from openprm.accounts.models import Invitation, Organization
from openprm.accounts.roles import Role
from openprm.core.models import Event
from openprm.core.testing import assert_not_found
from openprm.crm.applications.models import ApplicationStatus, PartnerApplication
from openprm.crm.applications.tests.kit import approval_form_data, form_data, pending_application

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_links_to_the_application_form(client):
    page = client.get(reverse("login")).content.decode()
    assert re.search(
        rf'<a href="{reverse("crm:partner-apply")}">Apply to become a partner</a>', page
    )


def test_the_application_form_labels_every_input(client):
    page = client.get(reverse("crm:partner-apply")).content.decode()
    for field, label in [("company_name", "Company name"), ("country", "Country"),
                         ("website", "Website"), ("contact_name", "Contact name"),
                         ("contact_email", "Contact email"), ("message", "Message")]:  # fmt: skip
        assert re.search(rf'<label class="form-label" for="id_{field}">{label}', page), label


def test_a_company_applies_without_signing_in(client):
    response = client.post(reverse("crm:partner-apply"), form_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("crm:partner-apply-sent")
    assert "The program team will review your application" in response.content.decode()
    application = PartnerApplication.objects.get()
    assert (application.company_name, application.status) == ("Litware Systems", "pending")
    assert Event.objects.filter(kind="partner_application.submitted").exists()


def test_applying_in_thai_keeps_the_language_for_the_emails(client):
    client.cookies["django_language"] = "th"
    client.post(reverse("crm:partner-apply"), form_data())
    assert PartnerApplication.objects.get().language == "th"


def test_an_existing_partners_name_is_a_field_error(client, northwind):
    data = form_data(company_name="northwind traders")
    response = client.post(reverse("crm:partner-apply"), data)
    assert response.status_code == 200
    assert "A partner with this name is already in the program." in response.content.decode()
    assert not PartnerApplication.objects.exists()


def test_a_second_pending_application_of_the_same_company_is_a_field_error(client):
    pending_application()
    response = client.post(reverse("crm:partner-apply"), form_data())
    assert "An application for this company is already waiting" in response.content.decode()
    assert PartnerApplication.objects.count() == 1


def test_bad_input_is_shown_on_its_fields_and_nothing_is_written(client):
    response = client.post(
        reverse("crm:partner-apply"),
        form_data(contact_email="not an email", country="XX", company_name=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in page
    assert "Select a valid choice." in page
    assert "This field is required." in page
    assert not PartnerApplication.objects.exists()


def test_a_nul_character_is_refused_naming_the_field(client):
    response = client.post(reverse("crm:partner-apply"), form_data(contact_name="Nok\x00"))
    assert response.status_code == 422
    assert "contact_name: Null characters are not allowed." in response.content.decode()
    assert not PartnerApplication.objects.exists()


def test_one_address_is_limited_to_the_configured_rate(client, settings):
    settings.OPENPRM_PARTNER_APPLICATION_RATE = "2/h"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "application-rate"}}  # fmt: skip
    for number in range(2):
        client.post(reverse("crm:partner-apply"), form_data(company_name=f"Litware {number}"))
    response = client.post(reverse("crm:partner-apply"), form_data(company_name="Litware 3"))
    assert response.status_code == 429
    assert "Too many applications from your address" in response.content.decode()
    assert PartnerApplication.objects.count() == 2


def test_the_program_admin_filters_the_applications_by_status(client, victor):
    pending_application()
    rejected = pending_application(company_name="Proseware")
    PartnerApplication.objects.filter(pk=rejected.pk).update(
        status=ApplicationStatus.REJECTED, decided_at=rejected.created_at
    )
    client.force_login(victor)
    page = client.get(reverse("crm:partner-applications"), {"status": "pending"})
    assert "Litware Systems" in page.content.decode()
    assert "Proseware" not in page.content.decode()
    everything = client.get(reverse("crm:partner-applications")).content.decode()
    assert "Proseware" in everything


def test_the_partners_page_and_navigation_lead_to_the_applications(client, victor):
    client.force_login(victor)
    page = client.get(reverse("crm:partners")).content.decode()
    assert page.count(f'href="{reverse("crm:partner-applications")}"') == 2


def test_approving_creates_the_partner_and_invites_the_contact(
    client, victor, pam, mailoutbox, django_capture_on_commit_callbacks
):
    application = pending_application()
    client.force_login(victor)
    url = reverse("crm:partner-application-approve", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, approval_form_data(pdm_id=pam.pk), follow=True)
    assert "Litware Systems is a partner now" in response.content.decode()
    partner = Organization.objects.get(name="Litware Systems")
    assert (str(partner.country), partner.pdm, partner.tier) == ("TH", pam, "Silver")
    assert partner.locations.get().code == "LIT-BKK"
    invitation = Invitation.objects.get(organization=partner)
    assert (invitation.email, invitation.role) == ("nok@litware.example", Role.PARTNER_ADMIN)
    assert mailoutbox[-1].to == ["nok@litware.example"]
    application.refresh_from_db()
    assert (application.status, application.partner) == ("approved", partner)
    assert Event.objects.filter(kind="partner_application.approved", actor=victor).exists()


def test_an_approval_that_fails_writes_nothing(client, victor, northwind):
    northwind.locations.filter(name="Seattle").update(code="LIT-BKK")
    application = pending_application()
    client.force_login(victor)
    url = reverse("crm:partner-application-approve", args=[application.pk])
    response = client.post(url, approval_form_data())
    assert "Location ID LIT-BKK is already used in the program." in response.content.decode()
    assert not Organization.objects.filter(name="Litware Systems").exists()
    assert not Invitation.objects.exists()
    application.refresh_from_db()
    assert application.status == "pending"


def test_an_applicant_who_already_signs_in_is_refused_at_approval(client, victor, bob):
    application = pending_application(contact_email=bob.email)
    client.force_login(victor)
    url = reverse("crm:partner-application-approve", args=[application.pk])
    response = client.post(url, approval_form_data())
    assert "This email already signs in to the program" in response.content.decode()
    assert not Organization.objects.filter(name="Litware Systems").exists()


def test_rejecting_records_the_reason(client, victor):
    application = pending_application()
    client.force_login(victor)
    url = reverse("crm:partner-application-reject", args=[application.pk])
    response = client.post(url, {"reason": "We have enough partners in Bangkok."}, follow=True)
    assert "The application is rejected" in response.content.decode()
    assert "We have enough partners in Bangkok." in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.decided_by) == ("rejected", victor)
    event = Event.objects.get(kind="partner_application.rejected")
    assert event.data["reason"] == "We have enough partners in Bangkok."


def test_a_rejection_needs_a_reason(client, victor):
    application = pending_application()
    client.force_login(victor)
    url = reverse("crm:partner-application-reject", args=[application.pk])
    assert "This field is required." in client.post(url, {"reason": " "}).content.decode()
    application.refresh_from_db()
    assert application.status == "pending"


def test_a_second_decision_is_refused_clearly(client, victor):
    application = pending_application()
    client.force_login(victor)
    client.post(reverse("crm:partner-application-reject", args=[application.pk]), {"reason": "No"})
    url = reverse("crm:partner-application-approve", args=[application.pk])
    response = client.post(url, approval_form_data(), follow=True)
    assert "This application was already rejected; it cannot be decided again." in (
        response.content.decode()
    )
    assert not Organization.objects.filter(name="Litware Systems").exists()


def test_the_decided_application_offers_no_decision(client, victor):
    application = pending_application()
    client.force_login(victor)
    client.post(reverse("crm:partner-application-reject", args=[application.pk]), {"reason": "No"})
    page = client.get(reverse("crm:partner-application-detail", args=[application.pk]))
    assert reverse("crm:partner-application-approve", args=[application.pk]) not in (
        page.content.decode()
    )


@pytest.mark.parametrize("who", ["pam", "alice"])
def test_no_one_but_the_program_admin_reads_applications(client, request, who):
    application = pending_application()
    client.force_login(request.getfixturevalue(who))
    listing = client.get(reverse("crm:partner-applications"))
    assert_not_found(listing, application.company_name)
    detail = reverse("crm:partner-application-detail", args=[application.pk])
    assert_not_found(client.get(detail), application.company_name, application.contact_email)
