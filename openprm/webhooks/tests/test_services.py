"""Subscriptions: who may manage them, which URLs are accepted (SSRF), the secret."""

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from openprm.core.errors import Conflict, NotFound, PreconditionFailed
from openprm.core.models import Event
from openprm.deals.tests.factories import create_deal
from openprm.webhooks import services
from openprm.webhooks.models import Delivery, DeliveryState, Webhook
from openprm.webhooks.tests.conftest import PUBLIC_ADDRESS, subscribe

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/openprm"


def refused_code(actor, url: str) -> str:
    with pytest.raises(ValidationError) as raised:
        subscribe(actor, url, "deal.created")
    [error] = raised.value.error_dict["url"]
    return str(error.code)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",
        "http://localhost/hooks",
        "http://10.1.2.3/hooks",
        "http://192.168.0.10/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hooks",
        "http://[::ffff:127.0.0.1]/hooks",
        "http://0.0.0.0/hooks",
        "http://224.0.0.1/hooks",
    ],
)
def test_a_private_or_reserved_address_is_refused_by_default_and_nothing_is_written(alice, url):
    assert refused_code(alice, url) == "refused_address"
    assert not Webhook.objects.exists()
    assert not Event.objects.filter(kind="webhook.created").exists()


def test_a_host_name_that_resolves_to_a_private_address_is_refused(alice, dns):
    dns["intranet.example.com"] = [PUBLIC_ADDRESS, "10.0.0.7"]
    assert refused_code(alice, "https://intranet.example.com/hooks") == "refused_address"


def test_the_operator_may_allow_private_addresses(alice, allow_private):
    webhook, _secret = subscribe(alice, "http://127.0.0.1:8080/hooks", "deal.created")
    assert webhook.url == "http://127.0.0.1:8080/hooks"


@pytest.mark.parametrize(
    "url",
    ["ftp://hooks.example.com/x", "file:///etc/passwd", "javascript:alert(1)", "hooks.example.com"],
)
def test_only_http_and_https_urls_are_accepted(alice, url):
    assert refused_code(alice, url) == "invalid"


def test_a_url_with_a_user_name_and_password_is_refused(alice):
    assert refused_code(alice, "https://user:pass@hooks.example.com/x") == "invalid"


def test_a_host_that_does_not_resolve_is_a_clear_error(alice):
    assert refused_code(alice, "https://nowhere.example.com/hooks") == "dns"
    assert not Webhook.objects.exists()


def test_every_bad_field_is_named_at_once(alice):
    with pytest.raises(ValidationError) as raised:
        services.webhook_create(actor=alice, url="ftp://x", event_types=["deal.exploded"])
    assert set(raised.value.error_dict) == {"url", "event_types"}


def test_at_least_one_event_type_is_required(alice):
    with pytest.raises(ValidationError) as raised:
        services.webhook_create(actor=alice, url=URL, event_types=[])
    assert [e.code for e in raised.value.error_dict["event_types"]] == ["required"]


def test_the_secret_is_returned_once_and_kept_to_sign(alice):
    webhook, secret = subscribe(alice, URL, "deal.created", "deal.won")
    assert secret.startswith("whsec_")
    assert len(secret) > 40
    assert webhook.secret == secret
    assert webhook.secret_hint == secret[:10] + "…"
    assert webhook.organization == alice.organization
    assert webhook.event_types == ["deal.created", "deal.won"]


@pytest.mark.parametrize("role", ["bob", "pam"])
def test_only_admins_manage_webhooks(request, role):
    with pytest.raises(NotFound):
        subscribe(request.getfixturevalue(role), URL, "deal.created")


def test_a_stale_version_changes_nothing(alice):
    webhook, _secret = subscribe(alice, URL, "deal.created")
    services.webhook_update(actor=alice, webhook=webhook, description="CRM sync")
    with pytest.raises(PreconditionFailed):
        services.webhook_update(
            actor=alice, webhook=webhook, expected_version=webhook.version, description="Old"
        )
    webhook.refresh_from_db()
    assert webhook.description == "CRM sync"


def test_changing_the_url_checks_it_again(alice):
    webhook, _secret = subscribe(alice, URL, "deal.created")
    with pytest.raises(ValidationError):
        services.webhook_update(actor=alice, webhook=webhook, url="http://127.0.0.1/")
    webhook.refresh_from_db()
    assert webhook.url == URL


def test_enabling_a_disabled_webhook_clears_its_failures_and_sends_what_waited(
    alice, django_capture_on_commit_callbacks
):
    webhook, _secret = subscribe(alice, URL, "deal.created")
    pinged = services.webhook_ping(actor=alice, webhook=webhook)
    Webhook.objects.filter(pk=webhook.pk).update(is_active=False, failed_deliveries=5)
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_update(actor=alice, webhook=webhook, is_active=True)

    webhook.refresh_from_db()
    assert (webhook.is_active, webhook.failed_deliveries, webhook.disabled_at) == (True, 0, None)
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [webhook.pk, pinged.chain]


def test_a_redelivery_to_a_disabled_webhook_is_refused(alice):
    webhook, _secret = subscribe(alice, URL, "deal.created")
    create_deal(actor=alice)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED, attempts_left=0)
    services.webhook_update(actor=alice, webhook=webhook, is_active=False)
    with pytest.raises(Conflict):
        services.delivery_redeliver(actor=alice, delivery=Delivery.objects.get(pk=delivery.pk))
    assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.FAILED
