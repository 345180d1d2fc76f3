"""Background tasks of webhooks: send a chain's due deliveries; each re-checks the state."""

from datetime import datetime

from django.db import transaction
from django_tasks import task

from openprm.webhooks.delivery import deliver_chain


@task()
def send_webhook_chain(webhook_id: int, chain: str) -> str:
    result = deliver_chain(webhook_id, chain)
    if result.status in ("retrying", "more"):
        schedule_chain(webhook_id, chain, run_after=result.retry_at)
    return result.status


def schedule_chain(webhook_id: int, chain: str, *, run_after: datetime | None = None) -> None:
    queued = send_webhook_chain.using(run_after=run_after) if run_after else send_webhook_chain
    queued.enqueue(webhook_id, chain)


def schedule_chain_on_commit(webhook_id: int, chain: str) -> None:
    transaction.on_commit(lambda: schedule_chain(webhook_id, chain))
