"""Settings > Privacy requests: find, export, erase with a confirmation, and the erasure log."""

import pytest
from django.test import Client
from django.urls import reverse

from openprm.crm.models import Contact
from openprm.privacy.models import Erasure
from openprm.privacy.tests.conftest import EMAIL

pytestmark = pytest.mark.django_db


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def confirmed(**extra):
    return {"email": EMAIL, "contact_id": "", "step": "confirm", "reason": "Ticket 4711",
            "confirmed": "on", **extra}  # fmt: skip


@pytest.mark.parametrize(("role", "shown"), [("alice", True), ("victor", True), ("bob", False)])
def test_settings_link_privacy_requests_for_admins_only(client, request, role, shown):
    page = as_user(client, request.getfixturevalue(role)).get(reverse("accounts:settings"))

    assert ("Privacy requests" in page.content.decode()) is shown


def test_a_search_lists_the_records_holding_the_person(client, alice, yui, yui_referral):
    response = as_user(client, alice).post(reverse("privacy:requests"), {"email": EMAIL})

    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("crm:contact-detail", args=[yui.pk]) in page
    assert reverse("referrals:detail", args=[yui_referral.pk]) in page
    assert "Export personal data" in page


def test_every_input_has_a_label(client, alice, yui):
    as_user(client, alice)
    search = client.get(reverse("privacy:requests")).content.decode()
    confirm = client.post(reverse("privacy:erase"), {"email": EMAIL}).content.decode()

    assert '<label class="form-label" for="id_email">' in search
    assert '<label class="form-label" for="id_contact_id">' in search
    assert '<label class="form-label" for="id_reason">' in confirm
    assert '<label class="form-check-label" for="id_confirmed">' in confirm


def test_a_bad_email_is_a_422_with_the_error_on_the_form(client, alice):
    response = as_user(client, alice).post(reverse("privacy:requests"), {"email": "yui@"})

    assert response.status_code == 422
    assert "Enter a valid email address." in response.content.decode()


def test_another_partners_contact_id_is_a_404_on_the_form(client, alice, tailspin_yui):
    response = as_user(client, alice).post(
        reverse("privacy:requests"), {"contact_id": tailspin_yui.pk}
    )

    assert response.status_code == 404
    assert "You have no contact with this ID." in response.content.decode()
    assert "Sato" not in response.content.decode()


def test_export_downloads_the_persons_data(client, alice, yui):
    response = as_user(client, alice).post(reverse("privacy:export"), {"email": EMAIL})

    assert response["Content-Disposition"].startswith("attachment;")
    assert response.json()["contacts"][0]["last_name"] == "Sato"


def test_erase_asks_for_confirmation_first(client, alice, yui):
    response = as_user(client, alice).post(reverse("privacy:erase"), {"email": EMAIL})

    assert response.status_code == 200
    assert 'name="confirmed"' in response.content.decode()
    assert Contact.objects.get(pk=yui.pk).first_name == "Yui"


def test_erase_without_the_confirmation_erases_nothing(client, alice, yui):
    response = as_user(client, alice).post(reverse("privacy:erase"), confirmed(confirmed=""))

    assert response.status_code == 422
    assert Contact.objects.get(pk=yui.pk).first_name == "Yui"
    assert not Erasure.objects.exists()


def test_a_confirmed_erasure_is_done_and_shown_in_the_log(client, alice, yui, yui_referral):
    as_user(client, alice)

    response = client.post(reverse("privacy:erase"), confirmed(), follow=True)

    page = response.content.decode()
    assert "Personal data erased. Contacts: 1, referrals: 1" in page
    assert "Ticket 4711" in page
    assert Contact.objects.get(pk=yui.pk).email == ""


def test_an_erased_contact_shows_as_erased_in_the_contact_list(client, alice, yui):
    as_user(client, alice).post(reverse("privacy:erase"), confirmed())

    page = client.get(reverse("crm:contacts")).content.decode()

    assert "Erased contact" in page
    assert "Sato" not in page


def test_an_erased_contact_reads_as_erased_in_the_readers_language(client, alice, yui):
    as_user(client, alice).post(reverse("privacy:erase"), confirmed())
    alice.language = "ja"
    alice.save()

    page = client.get(reverse("crm:contact-detail", args=[yui.pk])).content.decode()

    assert "消去済みの連絡先" in page
