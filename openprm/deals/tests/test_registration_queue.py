"""The reviewer's registrations queue: a status filter (pending unless chosen), the submitted
date, sorted either way, a page at a time, read off an index; the same in the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openprm.core.testing import assert_not_found, assert_queries_do_not_grow, query_plan
from openprm.crm.tests.factories import CustomerFactory, ProductFactory
from openprm.deals.models import Registration, RegistrationState
from openprm.deals.pages import PAGE_SIZE
from openprm.deals.registrations import selectors
from openprm.deals.tests.factories import create_deal

pytestmark = pytest.mark.django_db


def registered(actor, name: str, *, state: str = RegistrationState.SUBMITTED, days_ago: int = 0):
    """A deal's registration in `state`, submitted `days_ago` days ago."""
    registration = create_deal(actor=actor, name=name).opportunity.registrations.get()
    submitted = timezone.now() - datetime.timedelta(days=days_ago)
    Registration.objects.filter(pk=registration.pk).update(state=state, created_at=submitted)
    return registration


def names_in(html: str, *names: str) -> list[str]:
    """The names among `names` that the page shows, in the order it shows them."""
    return sorted((name for name in names if name in html), key=html.index)


def queue(client, **query) -> str:
    return client.get(reverse("deals:registrations"), query).content.decode()


def test_the_queue_shows_only_pending_registrations_by_default(client, alice, rita):
    registered(alice, "Waiting deal")
    registered(alice, "Approved deal", state=RegistrationState.APPROVED)
    client.force_login(rita)
    html = queue(client)
    assert "Waiting deal" in html
    assert "Approved deal" not in html


def test_the_status_filter_lists_the_approved_ones(client, alice, rita):
    registered(alice, "Waiting deal")
    registered(alice, "Approved deal", state=RegistrationState.APPROVED)
    client.force_login(rita)
    html = queue(client, status="approved")
    assert "Approved deal" in html
    assert "Waiting deal" not in html


def test_the_status_filter_all_lists_every_state(client, alice, rita):
    registered(alice, "Waiting deal")
    registered(alice, "Expired deal", state=RegistrationState.EXPIRED)
    client.force_login(rita)
    assert names_in(queue(client, status="all"), "Waiting deal", "Expired deal") == [
        "Waiting deal",
        "Expired deal",
    ]


def test_an_extension_request_is_pending_although_approved(client, alice, rita):
    registration = registered(alice, "Extended deal", state=RegistrationState.APPROVED)
    Registration.objects.filter(pk=registration.pk).update(extension_requested_at=timezone.now())
    client.force_login(rita)
    assert "Extended deal" in queue(client)


def test_the_queue_shows_the_oldest_submission_first(client, alice, rita):
    registered(alice, "Recent deal", days_ago=1)
    registered(alice, "Old deal", days_ago=9)
    client.force_login(rita)
    assert names_in(queue(client), "Recent deal", "Old deal") == ["Old deal", "Recent deal"]


def test_the_queue_sorts_newest_first_when_asked(client, alice, rita):
    registered(alice, "Recent deal", days_ago=1)
    registered(alice, "Old deal", days_ago=9)
    client.force_login(rita)
    html = queue(client, sort="newest")
    assert names_in(html, "Recent deal", "Old deal") == ["Recent deal", "Old deal"]


def test_each_row_shows_its_submitted_date(client, alice, rita, time_machine):
    time_machine.move_to("2026-03-10 09:00Z", tick=False)
    registered(alice, "Sakura rollout", days_ago=8)
    client.force_login(rita)
    html = queue(client)
    assert "Submitted on" in html
    assert "Mar 2, 2026" in html


def test_the_filter_form_names_status_and_sort(client, rita):
    client.force_login(rita)
    html = queue(client)
    assert '<label class="form-label" for="id_status">Status</label>' in html
    assert '<label class="form-label" for="id_sort">Sort by</label>' in html
    assert ">Filter</button>" in html


def test_an_unknown_status_is_named_on_the_form(client, alice, rita):
    registered(alice, "Waiting deal")
    client.force_login(rita)
    response = client.get(reverse("deals:registrations"), {"status": "lost"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice. lost is not one of the available choices." in html
    assert "Waiting deal" in html


def test_the_queue_pages_with_previous_and_next(client, alice, rita):
    product = ProductFactory.create(code="crm-suite", name="CRM Suite")
    for number in range(PAGE_SIZE + 1):
        create_deal(actor=alice, products=[product], name=f"Deal {number:02}")
    client.force_login(rita)
    first = queue(client)
    assert first.count('data-testid="registration-row"') == PAGE_SIZE
    assert "Page 1 of 2" in first
    assert ">Next</a>" in first
    second = queue(client, sort="oldest", status="pending", page=2)
    assert second.count('data-testid="registration-row"') == 1
    assert ">Previous</a>" in second
    assert "sort=oldest&amp;status=pending&amp;page=1" in second


def test_the_queue_is_the_reviewers_only(client, alice, charlie, sam):
    registered(charlie, "Tailspin renewal")
    for user in (alice, sam):
        client.force_login(user)
        response = client.get(reverse("deals:registrations"), {"status": "all"})
        assert_not_found(response, "Tailspin renewal")


def conflicts(alice, charlie):
    """Tailspin registers Northwind's customer and product: one conflict row each time."""

    def add(count: int) -> None:
        product = ProductFactory.create(code="crm-suite", name="CRM Suite")
        for _number in range(count):
            customer = CustomerFactory.create()
            create_deal(actor=alice, customer=customer, products=[product], name="Northwind deal")
            create_deal(actor=charlie, customer=customer, products=[product], name="Their deal")

    return add


def test_the_queue_reads_conflicts_in_queries_that_do_not_grow_with_them(
    client, alice, charlie, rita
):
    client.force_login(rita)
    _few, many = assert_queries_do_not_grow(
        lambda: client.get(reverse("deals:registrations")), conflicts(alice, charlie)
    )
    assert many.content.decode().count("Held by Northwind Traders") == 9


@pytest.mark.parametrize("sort", ["oldest", "newest"])
def test_the_pending_queue_is_read_off_its_partial_index(rita, sort):
    listed = selectors.registrations_for_user(user=rita, status="pending", sort=sort)
    found = query_plan(listed[:PAGE_SIZE])
    assert "registration_pending" in found
    assert "TEMP B-TREE" not in found
    assert "Sort" not in found


def test_a_decided_state_is_read_off_the_state_index(rita):
    listed = selectors.registrations_for_user(user=rita, status="rejected", sort="newest")
    found = query_plan(listed[:PAGE_SIZE])
    assert "registration_state_submitted" in found
    assert "TEMP B-TREE" not in found


def test_the_api_filters_by_status(client, alice, rita):
    registered(alice, "Waiting deal")
    approved = registered(alice, "Approved deal", state=RegistrationState.APPROVED)
    client.force_login(rita)
    body = client.get("/api/v1/registrations", {"status": "approved"}).json()
    assert [item["id"] for item in body["items"]] == [approved.pk]


def test_the_api_sorts_newest_first_when_asked(client, alice, rita):
    old = registered(alice, "Old deal", days_ago=9)
    recent = registered(alice, "Recent deal", days_ago=1)
    client.force_login(rita)
    body = client.get("/api/v1/registrations", {"sort": "newest"}).json()
    assert [item["id"] for item in body["items"]] == [recent.pk, old.pk]


def test_the_api_names_an_unknown_status(client, rita):
    client.force_login(rita)
    response = client.get("/api/v1/registrations", {"status": "lost"})
    assert response.status_code == 422
    assert "status" in response.content.decode()
