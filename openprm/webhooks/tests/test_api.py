"""/api/v1/webhooks: the same subscriptions, pings and redeliveries as Settings > Webhooks,
with the other partner in every case."""

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.core.testing import assert_not_found
from openprm.deals.tests.factories import create_deal
from openprm.webhooks.models import Delivery, Webhook
from openprm.webhooks.tests.conftest import subscribe

pytestmark = pytest.mark.django_db

JSON = "application/json"
URL = "https://hooks.example.com/openprm"


def create(client, headers, **body):
    payload = {"url": URL, "event_types": ["deal.created"], **body}
    return client.post("/api/v1/webhooks", payload, content_type=JSON, **headers)


def test_creating_answers_the_secret_once_and_never_again(client, alice):
    headers = bearer(client, alice)
    response = create(client, headers, description="CRM sync")

    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    created = response.json()
    assert created["secret"] == Webhook.objects.get().secret
    assert (created["url"], created["event_types"], created["is_active"]) == (
        URL, ["deal.created"], True,
    )  # fmt: skip
    again = client.get(f"/api/v1/webhooks/{created['id']}", **headers)
    assert again.status_code == 200
    assert "secret" not in again.json()
    assert again.json()["secret_hint"] == created["secret"][:10] + "…"
    assert created["secret"] not in client.get("/api/v1/webhooks", **headers).content.decode()


def test_a_private_url_is_a_422_naming_the_url_and_nothing_is_written(client, alice):
    response = create(client, bearer(client, alice), url="http://169.254.169.254/latest/")

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("url", "refused_address")
    assert "169.254.169.254" in error["message"]
    assert not Webhook.objects.exists()


def test_an_unknown_event_type_is_a_422(client, alice):
    response = create(client, bearer(client, alice), event_types=["deal.exploded"])

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "event_types.0"
    assert not Webhook.objects.exists()


def test_an_update_with_a_stale_etag_is_a_412(client, alice):
    headers = bearer(client, alice)
    webhook_id = create(client, headers).json()["id"]
    etag = client.get(f"/api/v1/webhooks/{webhook_id}", **headers)["ETag"]
    path = f"/api/v1/webhooks/{webhook_id}"

    first = client.patch(
        path, {"is_active": False}, content_type=JSON, HTTP_IF_MATCH=etag, **headers
    )
    stale = client.patch(
        path, {"description": "Late"}, content_type=JSON, HTTP_IF_MATCH=etag, **headers
    )

    assert first.status_code == 200
    assert first.json()["is_active"] is False
    assert first["ETag"] != etag
    assert stale.status_code == 412
    assert Webhook.objects.get().description == ""


def test_another_partners_webhook_is_a_404(client, alice, charlie):
    webhook, _secret = subscribe(charlie, URL, "deal.created")
    headers = bearer(client, alice)

    assert client.get(f"/api/v1/webhooks/{webhook.pk}", **headers).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{webhook.pk}", **headers).status_code == 404
    assert client.get("/api/v1/webhooks", **headers).json() == {"items": [], "count": 0}
    assert Webhook.objects.filter(pk=webhook.pk).exists()


def test_a_partner_user_gets_a_404(client, bob):
    assert_not_found(client.get("/api/v1/webhooks", **bearer(client, bob)))


def test_a_ping_is_queued_and_shows_in_the_delivery_log(client, alice):
    headers = bearer(client, alice)
    webhook_id = create(client, headers).json()["id"]

    ping = client.post(f"/api/v1/webhooks/{webhook_id}/ping", **headers)
    log = client.get(f"/api/v1/webhooks/{webhook_id}/deliveries", **headers)

    assert ping.status_code == 202
    assert (ping.json()["event_type"], ping.json()["state"]) == ("ping", "pending")
    assert ping.json()["payload"]["object"] == {
        "type": "webhook", "id": webhook_id, "url": URL, "event_types": ["deal.created"],
    }  # fmt: skip
    assert [d["id"] for d in log.json()["items"]] == [ping.json()["id"]]


def test_the_delivery_log_shows_each_attempt_and_a_redelivery_is_queued(client, alice):
    headers = bearer(client, alice)
    webhook, _secret = subscribe(alice, URL, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()
    delivery.attempts.create(
        started_at=delivery.created_at, duration_ms=12, response_code=500, succeeded=False,
        error="http_status", detail="HTTP 500",
    )  # fmt: skip
    Delivery.objects.filter(pk=delivery.pk).update(state="failed", attempts_left=0)

    [item] = client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries", **headers).json()["items"]
    redelivered = client.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver", **headers)

    assert item["state"] == "failed"
    assert item["payload"]["type"] == "deal.created"
    assert [(a["response_code"], a["duration_ms"], a["error"]) for a in item["attempts"]] == [
        (500, 12, "http_status")
    ]
    assert redelivered.status_code == 202
    assert redelivered.json()["state"] == "pending"
    assert redelivered.json()["id"] == delivery.pk


def test_another_partners_delivery_cannot_be_redelivered(client, alice, charlie):
    subscribe(charlie, URL, "deal.created")
    create_deal(actor=charlie)
    delivery = Delivery.objects.get()

    response = client.post(
        f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver", **bearer(client, alice)
    )

    assert response.status_code == 404
    assert Delivery.objects.get().state == "pending"
