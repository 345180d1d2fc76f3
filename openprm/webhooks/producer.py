"""Deliveries made from domain events, in the transaction that records the event.

`record_event` calls this listener (registered in AppConfig.ready()) right after it writes the
event row, inside the service's transaction: the change, its event and its deliveries commit
together or not at all, so no event is lost between the change and its delivery, and the
feature apps never know webhooks exist. (An outbox cursor over the event table, read later by
the sweep, would keep even this listener out of the write path, but on PostgreSQL event ids are
handed out before their transactions commit, in another order than the commits, so a cursor
that moved past id 41 could miss an event 40 committed a moment later.)

Who gets what: a partner's subscription the events of its own organization only; the vendor's
subscription (the program admin's) the events of every partner. The body is the same for both
(see `payloads`), built from fields both sides see.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from openprm.accounts.roles import OrganizationKind
from openprm.core.events import event_listener
from openprm.core.models import Event
from openprm.webhooks.models import Delivery, Webhook
from openprm.webhooks.payloads import event_body, webhook_event_type
from openprm.webhooks.tasks import schedule_chain_on_commit


def subscribers(event: Event, event_type: str) -> list[Webhook]:
    candidates = Webhook.objects.filter(is_active=True).filter(
        Q(organization_id=event.organization_id) | Q(organization__kind=OrganizationKind.VENDOR)
    )
    return [webhook for webhook in candidates if event_type in webhook.event_types]


@event_listener("webhooks")
def produce_deliveries(event: Event, obj: models.Model) -> None:
    event_type = webhook_event_type(event)
    if event_type is None or event.organization_id is None:
        return
    webhooks = subscribers(event, event_type)
    if not webhooks:
        return
    body = event_body(event, event_type, obj)
    chain = f"{event.object_type}:{event.object_id}"
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(
            webhook=webhook,
            event=event,
            event_type=event_type,
            chain=chain,
            body=body,
            attempts_left=settings.OPENPRM_WEBHOOKS_MAX_ATTEMPTS,
            next_attempt_at=now,
        )
        for webhook in webhooks
    )
    for webhook in webhooks:
        schedule_chain_on_commit(webhook.pk, chain)
