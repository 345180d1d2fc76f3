"""Settings → Users: partner admins (and the program admin for vendor staff) manage members."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from openprm.accounts import services
from openprm.accounts.models import Invitation, User
from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import PASSWORD, MembershipFactory
from openprm.core.models import Event
from openprm.core.testing import assert_not_found

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum orchard at midnight 42"


def invite(client, captured, **data):
    with captured(execute=True):
        return client.post(reverse("accounts:user_invite"), data)


def link_in(message) -> str:
    match = re.search(r"https?://\S+/invitations/\S+/", message.body)
    assert match, message.body
    return urlparse(match.group(0)).path


def test_invitation_is_emailed_and_accepting_it_makes_a_signed_in_member(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    response = invite(
        client,
        django_capture_on_commit_callbacks,
        email="Dora@Northwind.example",
        full_name="Dora Jones",
        role=Role.PARTNER_USER,
        location_countries=["JP"],
    )
    assert response.status_code == 302
    listing = client.get(reverse("accounts:users")).content.decode()
    assert "dora@northwind.example" in listing
    assert "Open until" in listing
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["dora@northwind.example"]
    assert "Northwind Traders" in mailoutbox[0].subject
    path = link_in(mailoutbox[0])
    client.logout()

    page = client.get(path)
    assert page.status_code == 200
    assert "dora@northwind.example" in page.content.decode()
    accepted = client.post(
        path,
        {
            "full_name": "Dora Jones",
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )
    assert accepted.status_code == 302
    dora = User.objects.get(email="dora@northwind.example")
    assert dora.organization == alice.organization
    assert dora.role == Role.PARTNER_USER
    assert dora.scope_countries == ["JP"]
    assert client.get(reverse("accounts:settings")).status_code == 200
    reused = client.get(path)
    assert reused.status_code == 410
    assert "This invitation has already been used." in reused.content.decode()


def test_invitation_acceptance_rejects_mismatched_passwords(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    invite(
        client,
        django_capture_on_commit_callbacks,
        email="dora@northwind.example",
        full_name="Dora",
        role=Role.PARTNER_ADMIN,
    )
    client.logout()
    response = client.post(
        link_in(mailoutbox[0]),
        {"full_name": "Dora", "password": NEW_PASSWORD, "password_confirmation": "other"},
    )
    assert response.status_code == 200
    assert "The two passwords do not match." in response.content.decode()
    assert not User.objects.filter(email="dora@northwind.example").exists()


def test_a_second_invitation_replaces_the_first_link(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    data = {"email": "dora@northwind.example", "full_name": "Dora", "role": Role.PARTNER_ADMIN}
    invite(client, django_capture_on_commit_callbacks, **data)
    invite(client, django_capture_on_commit_callbacks, **data)
    first, second = link_in(mailoutbox[0]), link_in(mailoutbox[1])
    client.logout()
    replaced = client.get(first)
    assert replaced.status_code == 410
    assert "replaced by a newer one" in replaced.content.decode()
    assert client.get(second).status_code == 200


def test_expired_invitation_link_says_it_expired(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    invite(
        client,
        django_capture_on_commit_callbacks,
        email="dora@northwind.example",
        full_name="Dora",
        role=Role.PARTNER_ADMIN,
    )
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    expired = client.get(link_in(mailoutbox[0]))
    assert expired.status_code == 410
    assert "This invitation has expired." in expired.content.decode()


def test_inviting_an_existing_users_email_is_a_field_error(client, alice, bob):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:user_invite"),
        {"email": bob.email, "full_name": "Bob", "role": Role.PARTNER_USER, "global_scope": "on"},
    )
    assert response.status_code == 200
    assert "A user with this email already exists." in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_offers_only_the_organizations_own_location_countries(client, alice, tailspin):
    client.force_login(alice)
    page = client.get(reverse("accounts:user_invite")).content.decode()
    assert 'value="JP"' in page
    assert 'value="US"' in page
    assert 'value="TH"' not in page
    assert 'value="program_admin"' not in page


def test_partner_user_without_global_scope_needs_a_country(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:user_invite"),
        {"email": "dora@northwind.example", "full_name": "Dora", "role": Role.PARTNER_USER},
    )
    assert response.status_code == 200
    assert "Choose at least one country, or global scope." in response.content.decode()


def test_users_page_lists_role_scope_and_status(client, alice, bob, charlie):
    bob.is_active = False
    bob.save()
    client.force_login(alice)
    page = client.get(reverse("accounts:users")).content.decode()
    assert "alice@northwind.example" in page
    assert "bob@northwind.example" in page
    assert "Partner user" in page
    assert "Deactivated" in page
    assert "Reactivate" in page
    assert "charlie@tailspin.example" not in page


def test_users_page_queries_do_not_grow_with_members(
    client, alice, northwind, django_assert_max_num_queries
):
    MembershipFactory.create_batch(15, organization=northwind, role=Role.PARTNER_USER)
    client.force_login(alice)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("accounts:users"))
    assert response.status_code == 200


def test_partner_user_gets_404_on_user_management_pages(client, alice, bob):
    client.force_login(bob)
    assert client.get(reverse("accounts:users")).status_code == 404
    assert client.get(reverse("accounts:user_invite")).status_code == 404
    assert client.get(reverse("accounts:user_edit", args=[alice.pk])).status_code == 404
    deactivate = client.post(reverse("accounts:user_deactivate", args=[alice.pk]))
    assert deactivate.status_code == 404
    alice.refresh_from_db()
    assert alice.is_active


def test_settings_is_in_a_partners_navigation(client, bob):
    client.force_login(bob)
    page = client.get(reverse("accounts:settings")).content.decode()
    settings_url = reverse("accounts:settings")
    link = f'aria-current="page" href="{settings_url}">Settings<'
    assert f'class="nav-link text-nowrap active" {link}' in page


def test_partner_user_sees_no_users_tab(client, bob):
    client.force_login(bob)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert reverse("accounts:users") not in page


def test_other_organizations_user_is_404(client, alice, charlie):
    client.force_login(alice)
    assert client.get(reverse("accounts:user_edit", args=[charlie.pk])).status_code == 404
    assert client.post(reverse("accounts:user_deactivate", args=[charlie.pk])).status_code == 404
    charlie.refresh_from_db()
    assert charlie.is_active


def test_admin_changes_a_members_role_and_scope(client, alice, bob):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:user_edit", args=[bob.pk]),
        {"role": Role.PARTNER_USER, "location_countries": ["US", "JP"]},
    )
    assert response.status_code == 302
    bob = User.objects.get(pk=bob.pk)
    assert bob.scope_countries == ["JP", "US"]
    assert Event.objects.filter(
        kind="membership.updated", object_id=str(bob.membership.pk)
    ).exists()


def test_the_last_partner_admin_cannot_step_down(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:user_edit", args=[alice.pk]),
        {"role": Role.PARTNER_USER, "global_scope": "on"},
    )
    assert response.status_code == 200
    assert "at least one active administrator" in response.content.decode()
    assert User.objects.get(pk=alice.pk).role == Role.PARTNER_ADMIN


def test_admin_deactivates_and_reactivates_a_member(client, alice, bob):
    client.force_login(alice)
    assert client.post(reverse("accounts:user_deactivate", args=[bob.pk])).status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active
    assert Event.objects.filter(kind="user.deactivated", object_id=str(bob.pk)).exists()
    assert client.post(reverse("accounts:user_reactivate", args=[bob.pk])).status_code == 302
    bob.refresh_from_db()
    assert bob.is_active


def test_admin_cannot_deactivate_themselves(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:user_deactivate", args=[alice.pk]), follow=True)
    assert "You cannot deactivate yourself." in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active


def test_deactivated_user_cannot_sign_in(client, alice, bob):
    client.force_login(alice)
    client.post(reverse("accounts:user_deactivate", args=[bob.pk]))
    client.logout()
    response = client.post(reverse("login"), {"username": bob.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Invalid email or password." in response.content.decode()


def test_deactivation_ends_the_members_open_session(client, alice, bob):
    client.force_login(bob)
    services.user_deactivate(actor=alice, user_id=bob.pk)
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_program_admin_invites_vendor_staff(
    client, victor, vendor, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(victor)
    page = client.get(reverse("accounts:user_invite")).content.decode()
    assert 'value="reviewer"' in page
    assert 'value="partner_admin"' not in page
    assert 'name="location_countries"' not in page
    response = invite(
        client,
        django_capture_on_commit_callbacks,
        email="rita@contoso.example",
        full_name="Rita Reviewer",
        role=Role.REVIEWER,
    )
    assert response.status_code == 302
    assert Invitation.objects.get(email="rita@contoso.example").organization == vendor
    assert len(mailoutbox) == 1


def test_program_admin_changes_a_pdm_into_a_sales_rep(client, victor, pam):
    client.force_login(victor)
    response = client.post(reverse("accounts:user_edit", args=[pam.pk]), {"role": Role.SALES_REP})
    assert response.status_code == 302
    assert User.objects.get(pk=pam.pk).role == Role.SALES_REP


def test_pdm_gets_404_on_user_management(client, pam, victor):
    client.force_login(pam)
    assert_not_found(client.get(reverse("accounts:users")), victor.email)


def test_program_admin_cannot_manage_partner_users(client, victor, alice):
    client.force_login(victor)
    response = client.get(reverse("accounts:user_edit", args=[alice.pk]))
    assert_not_found(response, alice.email, alice.full_name)


def test_a_role_change_is_audited_field_by_field_with_who_made_it(client, alice, bob):
    client.force_login(alice)
    client.post(
        reverse("accounts:user_edit", args=[bob.pk]),
        {"role": Role.PARTNER_ADMIN, "global_scope": "on"},
    )
    membership = User.objects.get(pk=bob.pk).membership
    assert membership is not None
    latest, previous = membership.history.all()[:2]
    changes = {
        change.field: (change.old, change.new) for change in latest.diff_against(previous).changes
    }
    assert changes["role"] == (Role.PARTNER_USER, Role.PARTNER_ADMIN)
    assert latest.history_user == alice
