"""Settings > Audit log: the same entries as the API, as the program admin and a partner admin
read them."""

import pytest
from django.urls import reverse

from openprm.audit.tests.conftest import PARTNER_SECRET, VENDOR_SECRET
from openprm.core.testing import assert_not_found
from openprm.deals import services as deals

pytestmark = pytest.mark.django_db

URL = reverse("audit:log")


def test_the_program_admin_reads_who_changed_what_before_and_after_with_a_link(
    client, victor, alice, northwind_deal
):
    deals.deal_update(deal=northwind_deal, actor=alice, name="Sakura expansion")
    client.force_login(victor)

    page = client.get(URL).content.decode()

    assert "deal.updated" in page
    assert "Sakura rollout" in page
    assert "Sakura expansion" in page
    assert alice.full_name in page
    assert f'href="{reverse("deals:detail", args=[northwind_deal.pk])}"' in page
    assert PARTNER_SECRET not in page
    assert VENDOR_SECRET not in page


def test_a_partner_admin_reads_no_other_partners_entries(
    client, charlie, northwind_deal, tailspin_deal
):
    client.force_login(charlie)

    page = client.get(URL).content.decode()

    assert f'href="{reverse("deals:detail", args=[tailspin_deal.pk])}"' in page
    assert f'href="{reverse("deals:detail", args=[northwind_deal.pk])}"' not in page


def test_filtering_by_object_type_keeps_only_those_entries(client, victor, northwind_deal):
    client.force_login(victor)

    page = client.get(URL, {"object_type": "deals.dealnote"}).content.decode()

    assert "deal_note.created" in page
    assert "deal.created" not in page


def test_a_range_that_ends_before_it_starts_is_a_form_error(client, victor, northwind_deal):
    client.force_login(victor)

    response = client.get(URL, {"start": "2026-05-02", "end": "2026-04-01"})

    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()
    assert "deal.created" not in response.content.decode()


def test_a_partner_user_gets_a_404(client, bob):
    client.force_login(bob)

    assert_not_found(client.get(URL), "deal.updated")
