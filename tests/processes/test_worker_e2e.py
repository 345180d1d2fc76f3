"""Notification mail through real worker processes, a killed worker, and the sweep.

Exactly once in the inbox; at least once by mail, every copy with the same Message-ID.
Runs on the test run's database engine: DATABASE_URL=postgres://... makes it use PostgreSQL.
"""

import json
import signal
import subprocess
import time
from collections import Counter

import pytest

from tests.processes.support import OPENPRM, PYTHON, ROOT, django, mails, run

BATCH_WORKER = ("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")


def step(env: dict[str, str], *args: str):
    return json.loads(run([PYTHON, "-m", "tests.processes.worker_steps", *args], env).stdout)


def message_ids(env: dict[str, str]) -> Counter:
    return Counter(message["Message-ID"] for message in mails(env))


def wait_for_mails(env: dict[str, str], count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(mails(env)) < count:
        assert time.monotonic() < deadline, "the worker sent no mail in time"
        time.sleep(0.1)


@pytest.fixture
def env(scratch_env: dict[str, str]):
    step(scratch_env, "setup")
    return scratch_env


def test_killed_worker_mail_is_resent_by_sweep_and_inbox_has_each_cause_once(env):
    # 1. Queued on commit, sent by a real worker process; a repeated notify changes nothing.
    first, again = step(env, "notify", "reminder:1")
    assert first == again
    assert [t["status"] for t in step(env, "state")["tasks"]] == ["READY"]
    django(env, *BATCH_WORKER)
    state = step(env, "state")
    reminder_1 = state["notifications"][0]["message_id"]
    assert state["notifications"][0]["emailed"] is True
    assert message_ids(env) == Counter({reminder_1: 1})
    step(env, "notify", "reminder:1")
    assert len(step(env, "state")["tasks"]) == 1

    # 2. A worker is killed after the mail left and before it recorded that.
    step(env, "notify", "reminder:2")
    hanging = subprocess.Popen(
        [PYTHON, "-m", "django", "db_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.1"],
        env={**env, "OPENPRM_TEST_HANG_AFTER_SEND": "1"}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_mails(env, 2)
    finally:
        hanging.send_signal(signal.SIGKILL)
        hanging.wait()
    state = step(env, "state")
    reminder_2 = state["notifications"][1]["message_id"]
    assert state["notifications"][1]["emailed"] is False
    assert state["tasks"][-1]["status"] == "RUNNING"

    # 3. No worker ever takes a RUNNING row by itself.
    django(env, *BATCH_WORKER)
    assert step(env, "state")["tasks"][-1]["status"] == "RUNNING"
    assert len(mails(env)) == 2

    # 4. Once it is stale, `openprm worker` (its scheduler enqueues the sweep, which requeues
    #    the task) sends the mail again.
    step(env, "age-running", "11")
    worker = subprocess.Popen(
        [*OPENPRM, "worker"], env={**env, "OPENPRM_SWEEP_SECONDS": "1"}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_mails(env, 3)
        deadline = time.monotonic() + 60
        while not all(n["emailed"] for n in step(env, "state")["notifications"]):
            assert time.monotonic() < deadline, "the resent mail was never recorded"
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    state = step(env, "state")
    email_tasks = [t for t in state["tasks"] if t["task"] == "send_notification_email"]
    assert [t["status"] for t in email_tasks] == ["SUCCESSFUL", "SUCCESSFUL"]
    sweeps = [t for t in state["tasks"] if t["task"] == "sweep_due_work"]
    assert sum(t["return_value"]["requeued_tasks"] for t in sweeps if t["return_value"]) == 1
    assert message_ids(env) == Counter({reminder_1: 1, reminder_2: 2})

    # 5. Further sweeps find nothing left to do; the inbox holds each cause once.
    step(env, "enqueue-sweep")
    django(env, *BATCH_WORKER)
    assert message_ids(env) == Counter({reminder_1: 1, reminder_2: 2})
    causes = [n["cause"] for n in step(env, "state")["notifications"]]
    assert causes == ["reminder:1", "reminder:2"]
