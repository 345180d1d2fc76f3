"""Sending deliveries: at least once, in event order per object, with retries and backoff.

A subscription's deliveries about one object form a chain (`Delivery.chain`); only the oldest
pending one of a chain is sent, so a failing delivery holds back the later ones until it is
delivered or has used its attempts. Each attempt is claimed first (`claimed_at`) so two workers
do not send it at once; a claim older than OPENPRM_STALE_TASK_MINUTES is taken to belong to a
dead worker and is taken over, which is how a worker killed mid-attempt gets its delivery sent
again, with the same delivery id and body, once the sweep requeues its task.

After a failed attempt the next waits OPENPRM_WEBHOOKS_RETRY_SECONDS, doubling each time (at
most an hour); after OPENPRM_WEBHOOKS_MAX_ATTEMPTS the delivery has failed. A subscription
whose deliveries failed OPENPRM_WEBHOOKS_DISABLE_AFTER times in a row is disabled and its
owner notified; its pending deliveries wait until it is enabled again.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openprm.accounts.models import Membership, User
from openprm.accounts.roles import Role
from openprm.core.events import record_event
from openprm.core.sweep import stale_task_cutoff
from openprm.notifications.services import notify
from openprm.webhooks.models import Attempt, Delivery, DeliveryState, Webhook
from openprm.webhooks.notices import WEBHOOK_DISABLED
from openprm.webhooks.transport import Outcome, post

# Deliveries one task sends before it hands the rest of its chain to a new task, so that a
# task stays far below OPENPRM_STALE_TASK_MINUTES even when every attempt runs into a timeout.
CHAIN_BATCH = 10
LONGEST_RETRY = timedelta(hours=1)
USER_AGENT = "OpenPRM-Webhooks/1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver checks both, and
    refuses a t older than its replay window (docs/api.md)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def request_headers(delivery: Delivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Connection": "close",
        "OpenPRM-Event": delivery.event_type,
        "OpenPRM-Delivery": str(delivery.pk),
        "OpenPRM-Signature": signature(delivery.webhook.secret, int(time.time()), body),
    }


def retry_delay(failures: int) -> timedelta:
    seconds = settings.OPENPRM_WEBHOOKS_RETRY_SECONDS * 2 ** max(failures - 1, 0)
    return min(timedelta(seconds=seconds), LONGEST_RETRY)


def chain_head(webhook_id: int, chain: str) -> Delivery | None:
    return (
        Delivery.objects.filter(webhook_id=webhook_id, chain=chain, state=DeliveryState.PENDING)
        .select_related("webhook")
        .order_by("event_id")
        .first()
    )


def claimable(now: datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_task_cutoff(now))


def claim(delivery: Delivery, now: datetime) -> bool:
    claimed = (
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING)
        .filter(claimable(now))
        .update(claimed_at=now)
    )
    return bool(claimed)


def owners(webhook: Webhook) -> list[User]:
    """Who made the subscription, or, once they are gone, their organization's admins."""
    creator = webhook.created_by
    if creator is not None and creator.is_active and creator.organization == webhook.organization:
        return [creator]
    admins = Membership.objects.filter(
        organization=webhook.organization_id,
        role__in=(Role.PARTNER_ADMIN, Role.PROGRAM_ADMIN),
        user__is_active=True,
    ).select_related("user")
    return [membership.user for membership in admins]


def disable(webhook: Webhook, now: datetime) -> None:
    """Called with the webhook's row locked."""
    webhook.is_active = False
    webhook.disabled_at = now
    webhook.bump_version()
    webhook.save(update_fields=["is_active", "disabled_at", "version", "updated_at"])
    record_event(
        kind="webhook.disabled",
        obj=webhook,
        organization=webhook.organization,
        data={"failed_deliveries": webhook.failed_deliveries},
    )
    link = reverse("webhooks:detail", args=[webhook.pk])
    for user in owners(webhook):
        with translation.override(user.language or None):
            notify(
                recipient=user,
                kind=WEBHOOK_DISABLED,
                cause=f"webhook-disabled:{webhook.pk}:{now.isoformat()}",
                title=_("Webhook disabled: %(url)s") % {"url": webhook.url},
                body=_(
                    "Its deliveries failed repeatedly. Fix the receiver, then enable the webhook "
                    "again: the deliveries that waited are sent then."
                ),
                link=link,
            )


@transaction.atomic
def record(delivery_id: int, outcome: Outcome) -> Delivery | None:
    """The attempt, the delivery's new state and the subscription's run of failures, at once;
    nothing when the webhook was deleted while the attempt was on its way."""
    delivery = (
        Delivery.objects.select_for_update().select_related("webhook").filter(pk=delivery_id)
    ).first()
    if delivery is None:
        return None
    Attempt.objects.create(
        delivery=delivery,
        started_at=outcome.started_at,
        duration_ms=outcome.duration_ms,
        response_code=outcome.response_code,
        succeeded=outcome.succeeded,
        error=outcome.error,
        detail=outcome.detail,
    )
    if delivery.state != DeliveryState.PENDING:
        return delivery  # another worker took over a claim it thought dead, and finished
    now = timezone.now()
    delivery.claimed_at = None
    if outcome.succeeded:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = now
    else:
        delivery.attempts_left = max(delivery.attempts_left - 1, 0)
        if delivery.attempts_left == 0:
            delivery.state = DeliveryState.FAILED
        else:
            failures = delivery.attempts.filter(succeeded=False).count()
            delivery.next_attempt_at = now + retry_delay(failures)
    delivery.save()
    if not delivery.is_ping and delivery.state != DeliveryState.PENDING:
        count_outcome(delivery, now)
    return delivery


def count_outcome(delivery: Delivery, now: datetime) -> None:
    if delivery.state == DeliveryState.DELIVERED:
        Webhook.objects.filter(pk=delivery.webhook_id, failed_deliveries__gt=0).update(
            failed_deliveries=0
        )
        return
    webhook = Webhook.objects.select_for_update().get(pk=delivery.webhook_id)
    webhook.failed_deliveries += 1
    webhook.save(update_fields=["failed_deliveries"])
    if webhook.is_active and webhook.failed_deliveries >= settings.OPENPRM_WEBHOOKS_DISABLE_AFTER:
        disable(webhook, now)


def send(delivery: Delivery) -> Delivery | None:
    """One attempt at a delivery this process has claimed."""
    body = delivery.body.encode()
    outcome = post(delivery.webhook.url, body, request_headers(delivery, body))
    return record(delivery.pk, outcome)


@dataclass(frozen=True)
class ChainResult:
    status: str  # done, disabled, waiting, in_progress, retrying, more
    retry_at: datetime | None = None


def deliver_chain(webhook_id: int, chain: str) -> ChainResult:
    """Send a chain's due deliveries in order until one fails or none is left. Safe to call
    any number of times, from any number of workers."""
    for _sent in range(CHAIN_BATCH):
        now = timezone.now()
        head = chain_head(webhook_id, chain)
        if head is None:
            return ChainResult("done")
        if not (head.webhook.is_active or head.is_ping):
            return ChainResult("disabled")
        if head.next_attempt_at > now:
            return ChainResult("waiting", head.next_attempt_at)
        if not claim(head, now):
            return ChainResult("in_progress")
        sent = send(head)
        if sent is None:
            return ChainResult("done")
        if sent.state == DeliveryState.PENDING:
            return ChainResult("retrying", sent.next_attempt_at)
    return ChainResult("more")
