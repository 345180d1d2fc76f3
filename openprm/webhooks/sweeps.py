"""Due work for the periodic sweep: deliveries whose task was lost, and old delivery logs."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from openprm.core.sweep import due_work
from openprm.webhooks.delivery import claimable
from openprm.webhooks.models import PING, Delivery, DeliveryState
from openprm.webhooks.tasks import schedule_chain

BATCH = 200


def due_chains(now: datetime) -> list[tuple[int, str]]:
    """Chains with a delivery due and no live claim: their task never ran, or died."""
    due = (
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .filter(Q(webhook__is_active=True) | Q(event_type=PING))
        .filter(claimable(now))
        .order_by()
        .values_list("webhook_id", "chain")
        .distinct()
    )
    return list(due[:BATCH])


@due_work("webhook_deliveries")
def send_due_webhook_deliveries(now: datetime) -> int:
    chains = due_chains(now)
    for webhook_id, chain in chains:
        schedule_chain(webhook_id, chain)
    kept_from = now - timedelta(days=settings.OPENPRM_WEBHOOKS_KEEP_DAYS)
    Delivery.objects.exclude(state=DeliveryState.PENDING).filter(created_at__lt=kept_from).delete()
    return len(chains)
