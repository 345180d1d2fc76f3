"""Task reminders (SPEC B7) through real worker processes: sent at their time once, also when
the worker runs again, and by the sweep after a worker was killed inside the reminder job."""

import json
import time
from collections import Counter
from datetime import datetime

import pytest

from tests.processes.support import PYTHON, django, mails, run

BATCH_WORKER = ("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
# Far enough ahead that a worker started on a loaded 2-core machine still runs before it.
LEAD_SECONDS = 20


def step(env: dict[str, str], *args: str):
    return json.loads(run([PYTHON, "-m", "tests.processes.reminder_steps", *args], env).stdout)


@pytest.fixture
def env(scratch_env: dict[str, str]):
    step(scratch_env, "setup")
    return scratch_env


def test_reminder_is_sent_once_across_restarts_and_by_the_sweep_after_a_kill(env):
    # 1. Queued for its time: a worker that runs before then leaves it waiting.
    call = step(env, "task", "Call Contoso", str(LEAD_SECONDS))
    remind_at = datetime.fromisoformat(call["remind_at"]).timestamp()
    django(env, *BATCH_WORKER)
    assert time.time() < remind_at, "the worker took longer than the lead time to run"
    assert step(env, "state")["notifications"] == []

    # 2. At its time the worker sends it: one notification, one mail; a restarted worker and
    #    a sweep send nothing more.
    time.sleep(max(0.0, remind_at - time.time()) + 1)
    django(env, *BATCH_WORKER)
    django(env, *BATCH_WORKER)
    step(env, "enqueue-sweep")
    django(env, *BATCH_WORKER)
    state = step(env, "state")
    assert [n["cause"] for n in state["notifications"]] == [
        f"task-reminder:{call['id']}:{call['remind_at']}"
    ]
    assert state["notifications"][0]["emailed"] is True
    assert Counter(m["Message-ID"] for m in mails(env)) == Counter(
        {state["notifications"][0]["message_id"]: 1}
    )

    # 3. A worker killed inside the next reminder's job leaves its row RUNNING; the sweep both
    #    sends the missed reminder and requeues the job, which then finds it sent.
    email = step(env, "task", "Email the pricing sheet", "1")
    time.sleep(2)
    step(env, "killed-while-running")
    step(env, "enqueue-sweep")
    django(env, *BATCH_WORKER)
    state = step(env, "state")
    assert state["sent"] == ["Call Contoso", "Email the pricing sheet"]
    assert [n["cause"] for n in state["notifications"]][1] == (
        f"task-reminder:{email['id']}:{email['remind_at']}"
    )
    assert all(n["emailed"] for n in state["notifications"])
    assert len(mails(env)) == 2
    sweeps = [t for t in state["tasks"] if t["task"] == "sweep_due_work" and t["return_value"]]
    assert sum(s["return_value"]["due_work"].get("task_reminders", 0) for s in sweeps) == 1
