"""Sending to a real HTTP receiver on 127.0.0.1: signatures, retries with backoff, order per
object, disabling after failures, timeouts, refused addresses, pings and redeliveries."""

import datetime as dt
import json
import socket
import time

import pytest
from django_tasks_db.models import DBTaskResult

from openprm.core.sweep import run_sweep
from openprm.deals import services as deal_services
from openprm.deals.tests.factories import create_deal
from openprm.notifications.models import Notification
from openprm.webhooks import delivery as delivery_module
from openprm.webhooks import services
from openprm.webhooks.delivery import deliver_chain
from openprm.webhooks.models import Delivery, DeliveryState, Webhook
from openprm.webhooks.tests.conftest import PUBLIC_ADDRESS, subscribe
from openprm.webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


def seconds(n: float) -> dt.timedelta:
    return dt.timedelta(seconds=n)


def send(delivery: Delivery) -> str:
    return deliver_chain(delivery.webhook_id, delivery.chain).status


def sent_ids(receiver: Receiver) -> list[tuple[str, int]]:
    bodies = [json.loads(request.body) for request in receiver.requests]
    return [(body["type"], body["object"]["id"]) for body in bodies]


def test_a_delivery_is_signed_so_that_the_guides_receiver_verifies_it(
    alice, receiver, example_receiver
):
    _webhook, secret = subscribe(alice, receiver.url, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()

    assert send(delivery) == "done"

    [request] = receiver.requests
    signature = request.headers["OpenPRM-Signature"]
    assert example_receiver.verify(secret, signature, request.body)
    assert not example_receiver.verify(secret, signature, request.body.replace(b"USD", b"EUR"))
    assert not example_receiver.verify("whsec_another", signature, request.body)
    assert not example_receiver.verify(secret, signature, request.body, now=time.time() + 301)
    assert request.headers["OpenPRM-Delivery"] == str(delivery.pk)
    assert request.headers["OpenPRM-Event"] == "deal.created"
    assert request.headers["Content-Type"] == "application/json"
    assert request.path == "/hooks"
    assert json.loads(request.body)["id"] == delivery.event_id
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    [attempt] = delivery.attempts.all()
    assert (attempt.succeeded, attempt.response_code, attempt.error) == (True, 200, "")
    assert attempt.duration_ms < 10_000


def test_a_failed_attempt_is_retried_with_exponential_backoff(alice, receiver, time_machine):
    receiver.answers = [500, 503, 200]
    time_machine.move_to(T0, tick=False)
    subscribe(alice, receiver.url, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()

    first = deliver_chain(delivery.webhook_id, delivery.chain)
    assert (first.status, first.retry_at) == ("retrying", T0 + seconds(30))
    time_machine.move_to(T0 + seconds(29), tick=False)
    assert send(delivery) == "waiting"
    assert len(receiver.requests) == 1
    time_machine.move_to(T0 + seconds(30), tick=False)
    second = deliver_chain(delivery.webhook_id, delivery.chain)
    assert (second.status, second.retry_at) == ("retrying", T0 + seconds(90))
    time_machine.move_to(T0 + seconds(90), tick=False)
    assert send(delivery) == "done"

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    attempts = list(delivery.attempts.all())
    assert [a.response_code for a in attempts] == [500, 503, 200]
    assert [a.started_at for a in attempts] == [T0, T0 + seconds(30), T0 + seconds(90)]
    assert {r.headers["OpenPRM-Delivery"] for r in receiver.requests} == {str(delivery.pk)}
    assert len({r.body for r in receiver.requests}) == 1


def test_a_delivery_that_used_its_attempts_has_failed(alice, receiver, settings, time_machine):
    settings.OPENPRM_WEBHOOKS_MAX_ATTEMPTS = 2
    receiver.answers = [500, 500]
    time_machine.move_to(T0, tick=False)
    subscribe(alice, receiver.url, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()

    assert send(delivery) == "retrying"
    time_machine.move_to(T0 + seconds(30), tick=False)
    assert send(delivery) == "done"

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts_left) == (DeliveryState.FAILED, 0)
    assert Webhook.objects.get().failed_deliveries == 1


def test_deliveries_of_one_object_go_in_order_and_a_failing_one_holds_back_only_its_object(
    alice, receiver, time_machine
):
    receiver.answers = [500]
    time_machine.move_to(T0, tick=False)
    subscribe(alice, receiver.url, "deal.created", "deal.updated")
    first = create_deal(actor=alice, name="First")
    deal_services.deal_update(deal=first, actor=alice, name="First renamed")
    second = create_deal(actor=alice, name="Second")
    first_chain = Delivery.objects.filter(event__kind="deal.created").earliest("event_id")
    second_chain = Delivery.objects.get(chain=f"deals.deal:{second.pk}")

    assert send(first_chain) == "retrying"
    assert send(first_chain) == "waiting"
    assert send(second_chain) == "done"
    time_machine.move_to(T0 + seconds(30), tick=False)
    assert send(first_chain) == "done"

    assert sent_ids(receiver) == [
        ("deal.created", first.pk),
        ("deal.created", second.pk),
        ("deal.created", first.pk),
        ("deal.updated", first.pk),
    ]


def test_a_webhook_is_disabled_after_repeated_failures_and_its_owner_is_told(
    alice, receiver, settings
):
    settings.OPENPRM_WEBHOOKS_MAX_ATTEMPTS = 1
    settings.OPENPRM_WEBHOOKS_DISABLE_AFTER = 2
    receiver.answers = [500, 500, 500]
    webhook, _secret = subscribe(alice, receiver.url, "deal.created")
    for _n in range(3):
        create_deal(actor=alice)
    deliveries = list(Delivery.objects.order_by("event_id"))

    assert [send(delivery) for delivery in deliveries] == ["done", "done", "disabled"]

    webhook.refresh_from_db()
    assert (webhook.is_active, webhook.failed_deliveries) == (False, 2)
    assert webhook.disabled_at is not None
    assert len(receiver.requests) == 2
    notification = Notification.objects.get(kind="webhook_disabled")
    assert notification.recipient == alice
    assert notification.title == f"Webhook disabled: {receiver.url}"
    assert notification.link == f"/settings/webhooks/{webhook.pk}/"
    create_deal(actor=alice)
    assert Delivery.objects.count() == 3


def test_a_delivered_one_ends_a_run_of_failures(alice, receiver, settings):
    settings.OPENPRM_WEBHOOKS_MAX_ATTEMPTS = 1
    settings.OPENPRM_WEBHOOKS_DISABLE_AFTER = 2
    receiver.answers = [500, 200, 500]
    subscribe(alice, receiver.url, "deal.created")
    for _n in range(3):
        create_deal(actor=alice)

    for delivery in Delivery.objects.order_by("event_id"):
        send(delivery)

    webhook = Webhook.objects.get()
    assert (webhook.is_active, webhook.failed_deliveries) == (True, 1)


def test_a_receiver_that_hangs_is_a_timeout_and_the_delivery_waits_for_its_retry(
    alice, receiver, settings
):
    settings.OPENPRM_WEBHOOKS_READ_TIMEOUT = 0.5
    receiver.answers = [("hang", 5)]
    subscribe(alice, receiver.url, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()

    started = time.monotonic()
    assert send(delivery) == "retrying"
    assert time.monotonic() - started < 4

    [attempt] = delivery.attempts.all()
    assert (attempt.succeeded, attempt.response_code, attempt.error) == (False, None, "timeout")
    delivery.refresh_from_db()
    assert (delivery.state, delivery.claimed_at) == (DeliveryState.PENDING, None)


def test_an_unreachable_receiver_is_a_connection_error(alice, allow_private):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    subscribe(alice, f"http://127.0.0.1:{port}/hooks", "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()

    assert send(delivery) == "retrying"

    [attempt] = delivery.attempts.all()
    assert attempt.error == "connect"
    assert "refused" in attempt.detail.lower()


def test_a_host_that_moved_to_a_private_address_is_refused_when_sending(alice, dns):
    """DNS rebinding: public when subscribed, loopback when the worker sends."""
    receiver = Receiver().start()
    try:
        port = receiver.server.server_address[1]
        dns["rebind.example.com"] = [PUBLIC_ADDRESS]
        subscribe(alice, f"http://rebind.example.com:{port}/hooks", "deal.created")
        create_deal(actor=alice)
        dns["rebind.example.com"] = ["127.0.0.1"]

        assert send(Delivery.objects.get()) == "retrying"
    finally:
        receiver.stop()

    assert receiver.requests == []
    [attempt] = Delivery.objects.get().attempts.all()
    assert (attempt.error, attempt.detail) == ("refused_address", "127.0.0.1")


def test_a_ping_is_sent_once_and_never_counts_towards_disabling(alice, receiver, settings):
    settings.OPENPRM_WEBHOOKS_DISABLE_AFTER = 1
    receiver.answers = [500]
    webhook, _secret = subscribe(alice, receiver.url, "deal.created")

    ping = services.webhook_ping(actor=alice, webhook=webhook)
    assert send(ping) == "done"

    [request] = receiver.requests
    body = json.loads(request.body)
    assert (body["type"], body["object"]["id"]) == ("ping", webhook.pk)
    ping.refresh_from_db()
    assert ping.state == DeliveryState.FAILED
    webhook.refresh_from_db()
    assert (webhook.is_active, webhook.failed_deliveries) == (True, 0)


def test_redeliver_sends_the_same_delivery_again(alice, receiver):
    subscribe(alice, receiver.url, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()
    send(delivery)

    services.delivery_redeliver(actor=alice, delivery=delivery)
    assert send(delivery) == "done"

    first, again = receiver.requests
    assert first.body == again.body
    assert first.headers["OpenPRM-Delivery"] == again.headers["OpenPRM-Delivery"]
    assert delivery.attempts.count() == 2


def test_a_claim_left_by_a_dead_worker_is_taken_over_once_it_is_stale(
    alice, receiver, settings, time_machine
):
    time_machine.move_to(T0, tick=False)
    subscribe(alice, receiver.url, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=T0)

    assert send(delivery) == "in_progress"
    stale = settings.OPENPRM_STALE_TASK_MINUTES * 60 + 1
    time_machine.move_to(T0 + seconds(stale), tick=False)
    assert send(delivery) == "done"

    [request] = receiver.requests
    assert request.headers["OpenPRM-Delivery"] == str(delivery.pk)


def test_the_sweep_queues_chains_whose_task_was_lost_and_purges_old_logs(alice, receiver, settings):
    subscribe(alice, receiver.url, "deal.created")
    create_deal(actor=alice)
    create_deal(actor=alice)
    old, pending = Delivery.objects.order_by("event_id")
    send(old)
    long_ago = T0 - dt.timedelta(days=settings.OPENPRM_WEBHOOKS_KEEP_DAYS + 1)
    Delivery.objects.filter(pk=old.pk).update(created_at=long_ago)

    report = run_sweep()

    assert report["due_work"]["webhook_deliveries"] == 1
    [task] = DBTaskResult.objects.filter(task_path__endswith="send_webhook_chain")
    assert task.args_kwargs["args"] == [pending.webhook_id, pending.chain]
    assert list(Delivery.objects.all()) == [pending]


def test_a_webhook_deleted_while_its_delivery_is_on_the_way_ends_the_chain(
    alice, receiver, monkeypatch
):
    webhook, _secret = subscribe(alice, receiver.url, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()
    real_post = delivery_module.post

    def post_then_delete(*args, **kwargs):
        outcome = real_post(*args, **kwargs)
        services.webhook_delete(actor=alice, webhook=webhook)
        return outcome

    monkeypatch.setattr(delivery_module, "post", post_then_delete)

    assert send(delivery) == "done"

    assert len(receiver.requests) == 1
    assert not Delivery.objects.exists()
