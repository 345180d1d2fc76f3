"""Settings > Webhooks: create with the secret shown once, edit, delete, ping, and the delivery
log with every attempt and "Redeliver"."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from openprm.core.testing import assert_not_found
from openprm.deals.tests.factories import create_deal
from openprm.webhooks.models import Delivery, DeliveryState, Webhook
from openprm.webhooks.tests.conftest import subscribe

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/openprm"


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize(("role", "shown"), [("alice", True), ("victor", True), ("bob", False)])
def test_settings_link_webhooks_for_admins_only(client, request, role, shown):
    page = as_user(client, request.getfixturevalue(role)).get(reverse("accounts:settings"))

    assert (reverse("webhooks:list") in page.content.decode()) is shown


def test_creating_shows_the_secret_once(client, alice):
    as_user(client, alice)
    response = client.post(
        reverse("webhooks:create"),
        {"url": URL, "description": "CRM sync", "event_types": ["deal.created", "deal.won"]},
    )

    webhook = Webhook.objects.get()
    assert response.status_code == 200
    assert webhook.secret in response.content.decode()
    assert webhook.event_types == ["deal.created", "deal.won"]
    detail = client.get(reverse("webhooks:detail", args=[webhook.pk])).content.decode()
    assert webhook.secret not in detail
    assert webhook.secret_hint in detail
    assert "Deal created, Deal won" in detail


def test_a_private_url_is_a_form_error_and_nothing_is_written(client, alice):
    response = as_user(client, alice).post(
        reverse("webhooks:create"), {"url": "http://127.0.0.1:9000/", "event_types": ["task.due"]}
    )

    assert response.status_code == 422
    assert "private, loopback or reserved address (127.0.0.1)" in response.content.decode()
    assert not Webhook.objects.exists()


def test_the_event_checkboxes_have_labels(client, alice):
    page = as_user(client, alice).get(reverse("webhooks:create")).content.decode()

    assert '<label class="form-check-label" for="id_event_types_0">Deal created</label>' in page
    assert '<label class="form-label" for="id_url">' in page


def test_the_delivery_log_shows_each_attempt_and_offers_redeliver(client, alice):
    webhook, _secret = subscribe(alice, URL, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()
    delivery.attempts.create(
        started_at=dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), duration_ms=12034,
        response_code=503, succeeded=False, error="http_status", detail="HTTP 503",
    )  # fmt: skip
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED, attempts_left=0)

    page = as_user(client, alice).get(reverse("webhooks:detail", args=[webhook.pk]))

    text = page.content.decode()
    assert "The receiver answered with an error status" in text
    assert "HTTP 503" in text
    assert "12034 ms" in text
    assert reverse("webhooks:redeliver", args=[delivery.pk]) in text


def test_redeliver_queues_the_delivery_again(client, alice):
    subscribe(alice, URL, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED, attempts_left=0)

    response = as_user(client, alice).post(reverse("webhooks:redeliver", args=[delivery.pk]))

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts_left) == (DeliveryState.PENDING, 1)


def test_send_test_ping_queues_a_ping(client, alice):
    webhook, _secret = subscribe(alice, URL, "deal.created")

    response = as_user(client, alice).post(reverse("webhooks:ping", args=[webhook.pk]))

    assert response.status_code == 302
    assert Delivery.objects.get().event_type == "ping"
    page = client.get(response["Location"]).content.decode()
    assert "Test ping queued" in page
    assert "Test ping" in page


def test_editing_enables_a_disabled_webhook_again(client, alice):
    webhook, _secret = subscribe(alice, URL, "deal.created")
    Webhook.objects.filter(pk=webhook.pk).update(
        is_active=False, failed_deliveries=5, disabled_at=dt.datetime(2026, 5, 4, tzinfo=dt.UTC)
    )
    webhook.refresh_from_db()
    as_user(client, alice)
    detail = client.get(reverse("webhooks:detail", args=[webhook.pk])).content.decode()
    assert "after repeated failed deliveries" in detail

    data = {"url": URL, "event_types": ["deal.created"], "is_active": "on"}
    response = client.post(
        reverse("webhooks:edit", args=[webhook.pk]), {**data, "version": webhook.version}
    )

    assert response.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.is_active, webhook.failed_deliveries, webhook.disabled_at) == (True, 0, None)


def test_an_edit_of_a_stale_version_is_refused(client, alice):
    webhook, _secret = subscribe(alice, URL, "deal.created")
    as_user(client, alice)
    data = {"url": URL, "event_types": ["deal.won"], "version": webhook.version}
    client.post(reverse("webhooks:edit", args=[webhook.pk]), data)

    edit = reverse("webhooks:edit", args=[webhook.pk])
    response = client.post(edit, {**data, "description": "x"})

    assert response.status_code == 422
    assert "Someone changed this webhook" in response.content.decode()
    assert Webhook.objects.get().description == ""


def test_delete_removes_the_webhook_and_its_log(client, alice):
    webhook, _secret = subscribe(alice, URL, "deal.created")
    create_deal(actor=alice)

    response = as_user(client, alice).post(reverse("webhooks:delete", args=[webhook.pk]))

    assert response.status_code == 302
    assert not Webhook.objects.exists()
    assert not Delivery.objects.exists()


def test_another_partners_webhook_is_a_404(client, alice, charlie):
    webhook, _secret = subscribe(charlie, URL, "deal.created")

    response = as_user(client, alice).get(reverse("webhooks:detail", args=[webhook.pk]))

    assert_not_found(response, URL)
