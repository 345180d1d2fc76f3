"""The periodic sweep: correctness never depends on the task queue alone.

A worker killed mid-task leaves its row RUNNING for good, and a queue can lose or delay work.
So every few minutes the sweep (1) requeues tasks that have been running for too long,
(2) asks every registered due-work finder to do what is due and was not done, and (3) purges
housekeeping rows. Apps register finders with `@due_work("name")` in a module their
AppConfig.ready() imports; the sweep itself never changes when a feature adds one.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from openprm.core import leases
from openprm.core.models import IdempotencyKey

logger = logging.getLogger(__name__)

DueWorkFinder = Callable[[datetime], int]

IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=24)
# One sweep at a time across every worker of the installation (openprm.core.leases).
SWEEP_LEASE = "core.sweep"
# A task that was started this many times and never finished is taken to kill its worker.
MAX_TASK_ATTEMPTS = 5

_finders: dict[str, DueWorkFinder] = {}


def due_work(name: str) -> Callable[[DueWorkFinder], DueWorkFinder]:
    """Register a finder: given `now`, it does the due work that was not done, idempotently,
    and returns how many items it handled."""

    def register(finder: DueWorkFinder) -> DueWorkFinder:
        _finders[name] = finder
        return finder

    return register


def registered_finders() -> dict[str, DueWorkFinder]:
    return dict(_finders)


class TaskAbandoned(Exception):
    """Recorded on a task that kept dying mid-run, so the sweep stops requeueing it."""


def stale_task_cutoff(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.OPENPRM_STALE_TASK_MINUTES)


def requeue_stale_tasks(now: datetime, *, exclude_id: str | None = None) -> int:
    """READY again for every task RUNNING since before the cutoff (its worker is gone)."""
    stale = DBTaskResult.objects.running().filter(started_at__lt=stale_task_cutoff(now))
    if exclude_id:
        stale = stale.exclude(id=exclude_id)
    requeued = 0
    for row in stale.only("id", "worker_ids"):
        still_stale = DBTaskResult.objects.running().filter(id=row.id)
        if len(row.worker_ids) >= MAX_TASK_ATTEMPTS:
            still_stale.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{TaskAbandoned.__module__}.{TaskAbandoned.__qualname__}",
                traceback=f"Abandoned after {len(row.worker_ids)} attempts that never finished.",
            )
            logger.error("Task %s abandoned after %d attempts", row.id, len(row.worker_ids))
        else:
            requeued += still_stale.update(status=TaskResultStatus.READY, started_at=None)
    return requeued


def purge_idempotency_keys(now: datetime) -> int:
    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lt=now - IDEMPOTENCY_KEY_LIFETIME
    ).delete()
    return deleted


def run_sweep(now: datetime | None = None, *, current_task_id: str | None = None) -> dict:
    """One sweep, unless another process is sweeping right now: that one does the work, and
    this one answers `{"skipped": True}`. The lease lasts as long as a task may run before the
    sweep takes its worker for dead, and is released as soon as the sweep ends."""
    holder = leases.acquire(SWEEP_LEASE, settings.OPENPRM_STALE_TASK_MINUTES * 60)
    if holder is None:
        logger.info("Sweep skipped: another process is sweeping")
        return {"skipped": True}
    try:
        return sweep_once(now or timezone.now(), current_task_id=current_task_id)
    finally:
        leases.release(SWEEP_LEASE, holder)


def sweep_once(now: datetime, *, current_task_id: str | None) -> dict:
    """A failing finder is logged and reported, and never stops the others."""
    report: dict = {
        "skipped": False,
        "requeued_tasks": requeue_stale_tasks(now, exclude_id=current_task_id),
    }
    done: dict[str, int] = {}
    failed: list[str] = []
    for name, finder in registered_finders().items():
        try:
            done[name] = finder(now)
        except Exception:
            logger.exception("Due-work finder %s failed", name)
            failed.append(name)
    report["due_work"] = done
    report["failed"] = failed
    report["purged_idempotency_keys"] = purge_idempotency_keys(now)
    return report
