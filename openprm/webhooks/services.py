"""Writes for webhooks: subscriptions, test pings and redeliveries.

A URL is checked (and its host resolved) before any transaction begins, so a slow resolver
holds no lock, and a refused URL writes nothing.
"""

import secrets
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.core.errors import Conflict, NotFound, field_error
from openprm.core.events import record_event
from openprm.webhooks.addresses import AddressRefused, target
from openprm.webhooks.models import PING, Delivery, DeliveryState, EventType, Webhook
from openprm.webhooks.payloads import encode, utc
from openprm.webhooks.selectors import can_manage_webhooks
from openprm.webhooks.tasks import schedule_chain_on_commit

SECRET_PREFIX = "whsec_"
URL_MAX_LENGTH = 2000


def require_manager(actor: User) -> Organization:
    organization = actor.organization
    if organization is None or not can_manage_webhooks(actor):
        raise NotFound()
    return organization


def checked_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise field_error("url", _("This field is required."), "required")
    if len(url) > URL_MAX_LENGTH:
        raise field_error("url", _("The URL is too long."), "too_long")
    try:
        target(url)
    except AddressRefused as exc:
        raise field_error("url", exc.message, exc.code) from None
    return url


def checked_event_types(event_types: list[str]) -> list[str]:
    chosen = set(event_types or [])
    if not chosen:
        raise field_error("event_types", _("Choose at least one event."), "required")
    unknown = chosen - set(EventType.values)
    if unknown:
        raise field_error("event_types", _("Unknown event: %(event)s") % {"event": min(unknown)})
    return [value for value in EventType.values if value in chosen]


def checked(**values: Any) -> dict[str, Any]:
    """Every given field checked at once, so one answer names every bad one."""
    checks: dict[str, Callable[[Any], Any]] = {
        "url": checked_url,
        "event_types": checked_event_types,
    }
    clean: dict[str, Any] = {}
    errors: dict[str, list[ValidationError]] = {}
    for field, value in values.items():
        try:
            clean[field] = checks[field](value) if field in checks else value
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    return clean


def webhook_create(
    *, actor: User, url: str, event_types: list[str], description: str = ""
) -> tuple[Webhook, str]:
    """Returns the subscription and its signing secret, which is shown this once."""
    organization = require_manager(actor)
    values = checked(url=url, event_types=event_types, description=(description or "").strip())
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        webhook = Webhook(organization=organization, secret=secret, created_by=actor, **values)
        webhook.full_clean()
        webhook.save()
        record_event(
            kind="webhook.created",
            obj=webhook,
            actor=actor,
            organization=organization,
            data={"event_types": webhook.event_types},
        )
    return webhook, secret


UPDATABLE = ("url", "event_types", "description", "is_active")


def webhook_update(
    *, actor: User, webhook: Webhook, expected_version: int | None = None, **changes: Any
) -> Webhook:
    """Enabling a subscription again clears its failures and sends what waited meanwhile."""
    require_manager(actor)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be set."), "unknown_field")
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
    values = checked(**changes)
    with transaction.atomic():
        webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
        webhook.check_version(expected_version)
        enabled = values.get("is_active") is True and not webhook.is_active
        changed = sorted(f for f, v in values.items() if getattr(webhook, f) != v)
        for field, value in values.items():
            setattr(webhook, field, value)
        if enabled:
            webhook.failed_deliveries = 0
            webhook.disabled_at = None
            for chain in pending_chains(webhook):
                schedule_chain_on_commit(webhook.pk, chain)
        webhook.bump_version()
        webhook.full_clean()
        webhook.save()
        record_event(
            kind="webhook.updated",
            obj=webhook,
            actor=actor,
            organization=webhook.organization,
            data={"fields": changed},
        )
    return webhook


def pending_chains(webhook: Webhook) -> list[str]:
    pending = Delivery.objects.filter(webhook=webhook, state=DeliveryState.PENDING)
    return list(pending.order_by().values_list("chain", flat=True).distinct())


@transaction.atomic
def webhook_delete(*, actor: User, webhook: Webhook) -> None:
    """Its deliveries and their log go with it; pending ones are never sent."""
    require_manager(actor)
    record_event(
        kind="webhook.deleted",
        obj=webhook,
        actor=actor,
        organization=webhook.organization,
        data={"url": webhook.url},
    )
    webhook.delete()


@transaction.atomic
def webhook_ping(*, actor: User, webhook: Webhook) -> Delivery:
    """A test delivery, sent once by the worker (also to a disabled subscription); its result
    is in the delivery log. It changes nothing about the subscription's failures."""
    require_manager(actor)
    event = record_event(
        kind="webhook.pinged", obj=webhook, actor=actor, organization=webhook.organization
    )
    body = encode(
        {
            "id": event.pk,
            "type": PING,
            "occurred_at": utc(event.created_at),
            "organization_id": webhook.organization_id,
            "object": {
                "type": "webhook",
                "id": webhook.pk,
                "url": webhook.url,
                "event_types": webhook.event_types,
            },
        }
    )
    delivery = Delivery.objects.create(
        webhook=webhook,
        event=event,
        event_type=PING,
        chain=f"{event.object_type}:{event.object_id}",
        body=body,
        attempts_left=1,
        next_attempt_at=timezone.now(),
    )
    schedule_chain_on_commit(webhook.pk, delivery.chain)
    return delivery


@transaction.atomic
def delivery_redeliver(*, actor: User, delivery: Delivery) -> Delivery:
    """One more attempt, as soon as the worker gets to it, with the same delivery id and body;
    it goes out in its place in its object's order."""
    require_manager(actor)
    delivery = Delivery.objects.select_for_update().select_related("webhook").get(pk=delivery.pk)
    if not (delivery.webhook.is_active or delivery.is_ping):
        raise Conflict(
            _("This webhook is disabled; enable it first."), field="webhook", code="disabled"
        )
    if delivery.state != DeliveryState.PENDING:
        delivery.attempts_left = 1
    delivery.state = DeliveryState.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.delivered_at = None
    delivery.save()
    record_event(
        kind="webhook.redelivered",
        obj=delivery,
        actor=actor,
        organization=delivery.webhook.organization,
        data={"event": delivery.event_id},
    )
    schedule_chain_on_commit(delivery.webhook_id, delivery.chain)
    return delivery
