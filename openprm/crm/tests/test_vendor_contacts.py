"""The contacts pages for vendor staff: a PDM reads the assigned partners' contacts, the program
admin everyone's, and the vendor navigation offers "Contacts" to exactly those two roles."""

import pytest
from django.urls import reverse

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.core.navigation import navigation_for
from openprm.core.testing import assert_not_found
from openprm.crm.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def contacts(northwind, tailspin):
    return {
        "ours": ContactFactory.create(organization=northwind, first_name="Yuki", last_name="Abe"),
        "theirs": ContactFactory.create(
            organization=tailspin, first_name="Niran", last_name="Chai"
        ),
    }


def labels_of(user) -> list[str]:
    return [str(entry["label"]) for entry in navigation_for(user, "/")]


@pytest.mark.parametrize("cast", ["victor", "pam"])
def test_the_program_admin_and_pdms_navigate_to_contacts(request, cast):
    assert "Contacts" in labels_of(request.getfixturevalue(cast))


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.REVIEWER])
def test_sales_reps_and_reviewers_get_no_contacts_entry(vendor, role):
    user = MembershipFactory.create(organization=vendor, role=role).user
    assert "Contacts" not in labels_of(user)


def test_the_vendor_navigation_links_the_contacts_page(client, pam):
    html = as_user(client, pam).get(reverse("crm:customers")).content.decode()
    assert f'href="{reverse("crm:contacts")}"' in html


def test_a_pdm_lists_only_the_assigned_partners_contacts(client, pam, contacts):
    html = as_user(client, pam).get(reverse("crm:contacts")).content.decode()
    assert "Yuki Abe" in html
    assert "Northwind Traders" in html
    assert "Niran Chai" not in html
    assert reverse("crm:contact-create") not in html


def test_a_pdm_searching_contacts_finds_none_of_another_partners(client, pam, contacts):
    html = as_user(client, pam).get(reverse("crm:contacts"), {"q": "niran"}).content.decode()
    assert "Niran Chai" not in html
    assert "No contacts match this search." in html


def test_another_partners_contact_page_is_404_for_a_pdm(client, pam, contacts):
    url = reverse("crm:contact-detail", args=[contacts["theirs"].pk])
    assert_not_found(as_user(client, pam).get(url), "Niran", "Chai")


def test_the_program_admin_lists_every_partners_contacts(client, victor, contacts):
    html = as_user(client, victor).get(reverse("crm:contacts")).content.decode()
    assert "Yuki Abe" in html
    assert "Niran Chai" in html


def test_the_vendor_contact_list_stays_within_its_query_budget(
    client, victor, northwind, tailspin, django_assert_max_num_queries
):
    ContactFactory.create_batch(15, organization=northwind)
    ContactFactory.create_batch(15, organization=tailspin)
    as_user(client, victor)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("crm:contacts")).status_code == 200
