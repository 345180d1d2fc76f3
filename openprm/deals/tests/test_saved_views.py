"""C7: saved deal views with the "Number of active deal registrations" filter."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openprm.core.testing import assert_not_found
from openprm.deals.models import DealView
from openprm.deals.saved_views import services as saved_views
from openprm.deals.tests.factories import create_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_deals(alice, product):
    create_deal(actor=alice, products=[product], name="Registered deal")
    expired = create_deal(actor=alice, products=[product], name="Expired deal")
    expired.opportunity.registrations.update(state="expired")


def test_a_saved_view_keeps_the_active_registrations_filter(client, alice, two_deals):
    client.force_login(alice)
    response = client.post(
        reverse("deals:view-save"), {"name": "Registered", "active_registrations": "1"}
    )
    view = DealView.objects.get()
    assert (view.user, view.min_active_registrations) == (alice, 1)
    assert response["Location"] == f"{reverse('deals:list')}?view={view.pk}"
    html = client.get(reverse("deals:list"), {"view": view.pk}).content.decode()
    assert "Registered deal" in html
    assert "Expired deal" not in html
    assert "Saved views" in html


def test_every_deal_shows_without_a_view(client, alice, two_deals):
    client.force_login(alice)
    html = client.get(reverse("deals:list")).content.decode()
    assert "Registered deal" in html
    assert "Expired deal" in html


def test_someone_elses_view_is_404_and_not_listed(client, alice, charlie, bob):
    view = saved_views.deal_view_create(actor=alice, name="Alice's view", state="open")
    for other in (bob, charlie):
        client.force_login(other)
        assert client.get(reverse("deals:list"), {"view": view.pk}).status_code == 404
        assert "Alice&#x27;s view" not in client.get(reverse("deals:list")).content.decode()
        assert client.post(reverse("deals:view-delete", args=[view.pk])).status_code == 404
    assert DealView.objects.exists()


def test_the_owner_deletes_a_view(client, alice):
    view = saved_views.deal_view_create(actor=alice, name="Open", state="open")
    client.force_login(alice)
    client.post(reverse("deals:view-delete", args=[view.pk]))
    assert not DealView.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "Open", "state": "maybe"}, "state"),
        ({"name": "Open", "min_active_registrations": 5000}, "min_active_registrations"),
    ],
)
def test_a_view_without_a_name_or_with_bad_filters_is_refused(alice, data, field):
    with pytest.raises(ValidationError) as error:
        saved_views.deal_view_create(actor=alice, **data)
    assert field in error.value.message_dict
    assert not DealView.objects.exists()


def test_a_view_name_is_used_once_per_person(alice, charlie):
    saved_views.deal_view_create(actor=alice, name="Open", state="open")
    saved_views.deal_view_create(actor=charlie, name="Open", state="open")
    with pytest.raises(ValidationError):
        saved_views.deal_view_create(actor=alice, name="open")
    assert DealView.objects.count() == 2


def test_an_unnamed_view_from_the_page_says_so_and_saves_nothing(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("deals:view-save"), {"name": "", "active_registrations": "1"}, follow=True
    )
    assert "Name the view." in response.content.decode()
    assert not DealView.objects.exists()


def test_the_api_saves_lists_applies_and_deletes_views(client, alice, two_deals):
    client.force_login(alice)
    created = client.post(
        "/api/v1/deals/views",
        json.dumps({"name": "Registered", "min_active_registrations": 1}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    view_id = created.json()["id"]
    assert client.get("/api/v1/deals/views").json()["items"][0]["name"] == "Registered"
    deals = client.get(f"/api/v1/deals?view={view_id}").json()["items"]
    assert [d["name"] for d in deals] == ["Registered deal"]
    assert client.delete(f"/api/v1/deals/views/{view_id}").status_code == 204
    assert client.get(f"/api/v1/deals?view={view_id}").status_code == 404


def test_the_api_refuses_another_persons_view(client, alice, charlie):
    view = saved_views.deal_view_create(actor=alice, name="Mine")
    client.force_login(charlie)
    assert_not_found(client.get(f"/api/v1/deals?view={view.pk}"), "Mine")
    assert_not_found(client.delete(f"/api/v1/deals/views/{view.pk}"), "Mine")
    assert type(view).objects.filter(pk=view.pk).exists()


def test_the_deal_list_page_stays_within_a_few_queries(
    client, alice, sam_rule, django_assert_max_num_queries
):
    saved_views.deal_view_create(actor=alice, name="Registered", min_active_registrations=1)
    for n in range(5):
        create_deal(actor=alice, name=f"Deal {n}")
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("deals:list"), {"active_registrations": "1"})
    assert response.content.decode().count("Deal ") >= 5
