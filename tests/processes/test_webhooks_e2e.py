"""A webhook delivery through real worker processes to a real receiver on 127.0.0.1: the worker
is killed while the receiver holds the request, and after the restart the delivery arrives
again with the same delivery id and body, signed afresh.

Runs on the test run's database engine: DATABASE_URL=postgres://... makes it use PostgreSQL.
"""

import json
import signal
import subprocess
import time

import pytest

from openprm.webhooks.tests.receiver import Receiver, guide_receiver
from tests.processes.support import OPENPRM, PYTHON, ROOT, run


def step(env: dict[str, str], *args: str):
    return json.loads(run([PYTHON, "-m", "tests.processes.webhook_steps", *args], env).stdout)


@pytest.fixture
def receiver():
    started = Receiver(answers=[("hang", 60)]).start()
    yield started
    started.stop()


@pytest.fixture
def env(scratch_env: dict[str, str]):
    """The receiver is on 127.0.0.1, which only an operator's setting allows; a claim or task
    is taken to be a dead worker's after 3 seconds."""
    return {
        **scratch_env,
        "OPENPRM_WEBHOOKS_ALLOW_PRIVATE": "true",
        "OPENPRM_STALE_TASK_MINUTES": "0.05",
        "OPENPRM_SWEEP_SECONDS": "1",
    }


def test_a_worker_killed_mid_delivery_delivers_after_restart_with_the_same_delivery_id(
    env, receiver
):
    subscription = step(env, "subscribe", receiver.url)
    step(env, "deal")
    [delivery] = step(env, "state")["deliveries"]

    # 1. A worker sends it; the receiver holds the request; the worker is killed.
    worker = subprocess.Popen(
        [PYTHON, "-m", "django", "db_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.1"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        receiver.wait_for(1)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    state = step(env, "state")
    assert state["deliveries"] == [
        {"id": delivery["id"], "state": "pending", "claimed": True, "attempts": []}
    ]
    sends = [t["status"] for t in state["tasks"] if t["task"] == "send_webhook_chain"]
    assert sends == ["RUNNING"]

    # 2. `openprm worker`: its sweep requeues the dead task, whose claim is stale by then.
    worker = subprocess.Popen(
        [*OPENPRM, "worker"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        receiver.wait_for(2)
        deadline = time.monotonic() + 60
        while step(env, "state")["deliveries"][0]["state"] != "delivered":
            assert time.monotonic() < deadline, "the delivery was never recorded as delivered"
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0

    first, again = receiver.requests
    assert first.headers["OpenPRM-Delivery"] == again.headers["OpenPRM-Delivery"]
    assert again.headers["OpenPRM-Delivery"] == str(delivery["id"])
    assert first.body == again.body
    verify = guide_receiver().verify
    for request in (first, again):
        assert verify(subscription["secret"], request.headers["OpenPRM-Signature"], request.body)
    assert step(env, "state")["deliveries"][0]["attempts"] == [200]
    assert len(receiver.requests) == 2
