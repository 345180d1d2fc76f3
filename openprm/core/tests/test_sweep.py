"""The periodic sweep of openprm.core: stale tasks, the due-work registry, housekeeping."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openprm.core import leases, sweep
from openprm.core.management.commands.scheduler import enqueue_sweep
from openprm.core.models import IdempotencyKey, Lease
from openprm.core.tasks import sweep_due_work

pytestmark = pytest.mark.django_db


def running_task(started_minutes_ago: int, attempts: int = 1) -> DBTaskResult:
    row = DBTaskResult.objects.get(id=sweep_due_work.enqueue().id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="RUNNING",
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
        worker_ids=[f"w{n}" for n in range(attempts)],
    )
    return row


def test_stale_running_task_is_requeued(settings):
    stale = running_task(settings.OPENPRM_STALE_TASK_MINUTES + 1)
    assert sweep.run_sweep()["requeued_tasks"] == 1
    stale.refresh_from_db()
    assert stale.status == "READY"
    assert stale.started_at is None


def test_task_running_for_less_than_the_limit_is_left_alone(settings):
    recent = running_task(settings.OPENPRM_STALE_TASK_MINUTES - 1)
    assert sweep.run_sweep()["requeued_tasks"] == 0
    recent.refresh_from_db()
    assert recent.status == "RUNNING"


def test_task_that_keeps_dying_is_abandoned_not_requeued_forever(settings):
    poison = running_task(settings.OPENPRM_STALE_TASK_MINUTES + 1, attempts=sweep.MAX_TASK_ATTEMPTS)
    assert sweep.run_sweep()["requeued_tasks"] == 0
    poison.refresh_from_db()
    assert poison.status == "FAILED"
    assert poison.exception_class_path == "openprm.core.sweep.TaskAbandoned"


def test_registered_finders_run_and_a_failing_one_does_not_stop_the_others(monkeypatch):
    monkeypatch.setattr(sweep, "_finders", dict(sweep._finders))
    calls = []

    @sweep.due_work("broken")
    def broken(now):
        raise RuntimeError("boom")

    @sweep.due_work("reminders")
    def reminders(now):
        calls.append(now)
        return 3

    report = sweep.run_sweep()
    assert report["failed"] == ["broken"]
    assert report["due_work"]["reminders"] == 3
    assert len(calls) == 1


def test_idempotency_keys_older_than_a_day_are_purged():
    now = timezone.now()
    old = IdempotencyKey.objects.create(
        identity="user:1", key="old", fingerprint="f", locked_until=now
    )
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=now - timedelta(hours=25))
    IdempotencyKey.objects.create(identity="user:1", key="new", fingerprint="f", locked_until=now)
    assert sweep.run_sweep()["purged_idempotency_keys"] == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_scheduler_enqueues_one_sweep_while_one_is_waiting():
    enqueue_sweep()
    Lease.objects.update(expires_at=leases.RELEASED)  # the next period
    enqueue_sweep()
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_two_schedulers_enqueue_one_sweep_per_period():
    enqueue_sweep()
    DBTaskResult.objects.update(status="SUCCESSFUL")  # a worker ran it at once
    enqueue_sweep()  # the other scheduler, within the same period
    assert DBTaskResult.objects.count() == 1


def test_the_next_period_enqueues_again():
    enqueue_sweep()
    DBTaskResult.objects.update(status="SUCCESSFUL")
    Lease.objects.update(expires_at=leases.RELEASED)
    enqueue_sweep()
    assert DBTaskResult.objects.count() == 2


def test_a_sweep_is_skipped_while_another_holds_the_lease(monkeypatch):
    monkeypatch.setattr(sweep, "_finders", {})
    holder = leases.acquire(sweep.SWEEP_LEASE, 60)
    assert holder is not None
    assert sweep.run_sweep() == {"skipped": True}
    leases.release(sweep.SWEEP_LEASE, holder)
    assert sweep.run_sweep()["skipped"] is False


def test_a_sweep_whose_holder_died_is_taken_over_when_its_lease_expires(monkeypatch):
    monkeypatch.setattr(sweep, "_finders", {})
    leases.acquire(sweep.SWEEP_LEASE, 60)  # never released: its process was killed
    Lease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert sweep.run_sweep()["skipped"] is False


def test_sweep_task_does_not_requeue_itself(settings):
    settings.OPENPRM_STALE_TASK_MINUTES = 0
    row = DBTaskResult.objects.get(id=sweep_due_work.enqueue().id)
    row.claim("worker-1")
    assert sweep.run_sweep(current_task_id=str(row.id))["requeued_tasks"] == 0


def test_a_long_sweep_keeps_its_lease_from_one_finder_to_the_next(monkeypatch, settings):
    """Each finder takes 40 s of a 60-second lease: renewed, the next still has 60 s."""
    settings.OPENPRM_STALE_TASK_MINUTES = 1
    clock = iter([0.0, 0.0, 40.0, 40.0, 80.0, 80.0])
    monkeypatch.setattr(sweep, "clock", lambda: next(clock))
    left: list[float] = []

    def finder(now):
        lease = Lease.objects.get(name=sweep.SWEEP_LEASE)
        left.append((lease.expires_at - timezone.now()).total_seconds())
        Lease.objects.update(expires_at=F("expires_at") - timedelta(seconds=40))
        return 0

    monkeypatch.setattr(sweep, "_finders", {"first": finder, "second": finder, "third": finder})
    sweep.run_sweep()
    assert [round(seconds) for seconds in left] == [60, 60, 60]


def test_a_sweep_killed_midway_holds_up_the_next_for_two_periods_at_most(settings):
    settings.OPENPRM_SWEEP_SECONDS = 60
    assert sweep.sweep_lease_seconds() == 120
    settings.OPENPRM_STALE_TASK_MINUTES = 0.05
    assert sweep.sweep_lease_seconds() == 3
