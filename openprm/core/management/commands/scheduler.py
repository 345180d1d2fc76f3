"""The scheduler process: it only enqueues the sweep; the task worker runs it."""

import signal
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from openprm.core import leases
from openprm.core.tasks import sweep_due_work

# Every `openprm worker` runs a scheduler: the first of them in each period enqueues.
ENQUEUE_LEASE = "core.sweep.enqueue"
# The share of the period the lease lasts: a little less than one, so that the scheduler that
# enqueued last time wins again next time despite jitter, and another takes over within one
# period when it stops.
ENQUEUE_LEASE_SHARE = 0.9


def enqueue_sweep() -> None:
    """Once per period across all schedulers, and not while a sweep is already waiting, so a
    stopped worker does not pile them up."""
    if not leases.acquire(ENQUEUE_LEASE, settings.OPENPRM_SWEEP_SECONDS * ENQUEUE_LEASE_SHARE):
        return
    waiting = DBTaskResult.objects.filter(
        task_path=sweep_due_work.module_path, status=TaskResultStatus.READY
    ).exists()
    if not waiting:
        sweep_due_work.enqueue()


def scheduled_sweep() -> None:
    """The job runs in a scheduler thread: its connection is checked like a request's."""
    close_old_connections()
    try:
        enqueue_sweep()
    finally:
        close_old_connections()


def stop(signum: int, frame: Any) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Enqueue the periodic sweep every OPENPRM_SWEEP_SECONDS (run beside db_worker)."

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = BlockingScheduler(timezone="UTC")
        scheduler.add_job(
            scheduled_sweep,
            IntervalTrigger(seconds=settings.OPENPRM_SWEEP_SECONDS),
            id="sweep",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=30,
            next_run_time=datetime.now(UTC),
        )
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Scheduler: sweep every {settings.OPENPRM_SWEEP_SECONDS} s.")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
