"""The navigation links every role to pages that role can open, and nothing else."""

import pytest

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.core.navigation import navigation_for


@pytest.fixture
def everyone(vendor, victor, pam, alice, bob):
    def staff(role: str):
        return MembershipFactory.create(organization=vendor, role=role).user

    return {
        "program_admin": victor,
        "pdm": pam,
        "sales_rep": staff(Role.SALES_REP),
        "reviewer": staff(Role.REVIEWER),
        "partner_admin": alice,
        "partner_user": bob,
    }


@pytest.mark.parametrize(
    "role", ["program_admin", "pdm", "sales_rep", "reviewer", "partner_admin", "partner_user"]
)
def test_every_navigation_entry_opens_for_the_role_that_sees_it(client, everyone, role):
    user = everyone[role]
    client.force_login(user)
    entries = navigation_for(user, "/")
    assert entries
    for entry in entries + navigation_for(user, "/", place="account"):
        assert client.get(entry["url"]).status_code == 200, entry["label"]


def test_reviewers_see_the_registrations_queue_and_sales_reps_do_not(everyone):
    reviewer_labels = {str(e["label"]) for e in navigation_for(everyone["reviewer"], "/")}
    rep_labels = {str(e["label"]) for e in navigation_for(everyone["sales_rep"], "/")}
    assert "Registrations" in reviewer_labels
    assert "Registrations" not in rep_labels
    assert "Mutual Action Plans" not in rep_labels


# The seeds' navigation (issue "Foundation 1", item 8); an entry shows once its page exists.
PARTNER_NAVIGATION = [
    "Dashboard", "Mutual Action Plan", "Deals", "Co-sell referrals", "Tier", "Customers",
    "Contacts", "Settings",
]  # fmt: skip
VENDOR_NAVIGATION = ["Partners", "Deals", "Referrals", "Registrations", "Program settings"]
BUILT = {"Mutual Action Plan", "Deals", "Tier", "Customers", "Contacts", "Settings", "Partners",
         "Registrations", "Program settings"}  # fmt: skip


def labels_of(user) -> list[str]:
    return [str(entry["label"]) for entry in navigation_for(user, "/")]


@pytest.mark.parametrize("role", ["partner_admin", "partner_user"])
def test_partners_navigate_by_the_seeds_labels_in_their_order(everyone, role):
    labels = labels_of(everyone[role])
    assert labels == [label for label in PARTNER_NAVIGATION if label in labels]
    assert BUILT.intersection(PARTNER_NAVIGATION) <= set(labels)


def test_the_program_admin_navigates_by_the_seeds_labels_in_their_order(everyone):
    labels = [label for label in labels_of(everyone["program_admin"]) if label in VENDOR_NAVIGATION]
    assert labels == [label for label in VENDOR_NAVIGATION if label in labels]
    assert BUILT.intersection(VENDOR_NAVIGATION) <= set(labels)


def test_the_program_admin_finds_the_audit_log_in_the_menu_under_their_name(everyone):
    """Settings > Audit log: beside "Settings", which keeps the header on one line."""
    account = [str(e["label"]) for e in navigation_for(everyone["program_admin"], "/", "account")]
    assert account == ["Audit log"]
    assert "Audit log" not in labels_of(everyone["program_admin"])


def test_the_header_menu_shows_the_audit_log_to_the_program_admin_only(client, everyone):
    client.force_login(everyone["program_admin"])
    assert 'href="/settings/audit/"' in client.get("/dashboard/channel/").content.decode()
    client.force_login(everyone["pdm"])
    assert 'href="/settings/audit/"' not in client.get("/dashboard/channel/").content.decode()
