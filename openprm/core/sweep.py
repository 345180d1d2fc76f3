"""The periodic sweep: correctness never depends on the task queue alone.

A worker killed mid-task leaves its row RUNNING for good, and a queue can lose or delay work.
So every few minutes the sweep (1) requeues tasks that have been running for too long,
(2) asks every registered due-work finder to do what is due and was not done, and (3) purges
housekeeping rows. Apps register finders with `@due_work("name")` in a module their
AppConfig.ready() imports; the sweep itself never changes when a feature adds one.
"""

import logging
import time
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
MIN_SWEEP_LEASE_SECONDS = 60
clock = time.monotonic  # when the lease was last renewed
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


def sweep_lease_seconds() -> float:
    """Long enough for any one step of a sweep (the lease is renewed before each), short
    enough that a worker killed mid-sweep holds up the next sweeps for two periods at most,
    and never longer than a task may run before it is taken for dead."""
    stale = settings.OPENPRM_STALE_TASK_MINUTES * 60
    return min(stale, max(MIN_SWEEP_LEASE_SECONDS, 2 * settings.OPENPRM_SWEEP_SECONDS))


def run_sweep(now: datetime | None = None, *, current_task_id: str | None = None) -> dict:
    """One sweep, unless another process is sweeping right now: that one does the work, and
    this one answers `{"skipped": True}`."""
    holder = leases.acquire(SWEEP_LEASE, sweep_lease_seconds())
    if holder is None:
        logger.info("Sweep skipped: another process is sweeping")
        return {"skipped": True}
    try:
        return sweep_once(now or timezone.now(), holder=holder, current_task_id=current_task_id)
    finally:
        leases.release(SWEEP_LEASE, holder)


def sweep_once(now: datetime, *, holder: str, current_task_id: str | None) -> dict:
    """A failing finder is logged and reported, and never stops the others."""
    report: dict = {
        "skipped": False,
        "requeued_tasks": requeue_stale_tasks(now, exclude_id=current_task_id),
    }
    done: dict[str, int] = {}
    failed: list[str] = []
    lease_seconds, renewed = sweep_lease_seconds(), clock()
    for name, finder in registered_finders().items():
        if clock() - renewed > lease_seconds / 2:
            leases.renew(SWEEP_LEASE, holder, lease_seconds)
            renewed = clock()
        try:
            done[name] = finder(now)
        except Exception:
            logger.exception("Due-work finder %s failed", name)
            failed.append(name)
    report["due_work"] = done
    report["failed"] = failed
    report["purged_idempotency_keys"] = purge_idempotency_keys(now)
    return report
