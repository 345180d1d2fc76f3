"""Writes under load while server and worker processes are killed with SIGKILL at random moments
and restarted: every acknowledged write is there and whole, written once, no Idempotency-Key
stays stuck, every due reminder is one notification in the inbox and every notification's mail
left at least once, always with its one Message-ID.

On PostgreSQL: two server processes and two workers; on SQLite one worker.
"""

import contextlib
import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.processes.support import OPENPRM, PYTHON, ROOT, free_port, mails, postgres_url, run

SEED = 20261205
LOAD_SECONDS = 30
WRITERS = 4
# A write is retried with its key until it is acknowledged; longer than any restart.
RETRY_SECONDS = 120
DELIVERY_SECONDS = 120


def step(env: dict[str, str], name: str, payload: object = None) -> dict:
    result = subprocess.run(
        [PYTHON, "-m", "tests.processes.chaos_steps", name],
        input=json.dumps(payload), env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(child) for child in text.split()]


def descendants(pid: int) -> list[int]:
    found = children(pid)
    return found + [grandchild for child in found for grandchild in descendants(child)]


def sigkill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


class Unit:
    """A command in its own process group, restarted when the test kills it."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path):
        self.name, self.command, self.env, self.log = name, command, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                self.command, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        """The whole unit at once, as a machine losing it would: `openprm worker` starts its
        children in sessions of their own, so they are named one by one."""
        assert self.process is not None
        sigkill([self.process.pid, *descendants(self.process.pid)])
        self.process.wait()

    def kill_a_child(self, rng: random.Random) -> bool:
        """SIGKILL one process under the unit: a gunicorn worker, or the task worker."""
        assert self.process is not None
        found = children(self.process.pid)
        if not found:
            return False
        os.kill(rng.choice(found), signal.SIGKILL)
        return True

    def ensure_running(self) -> None:
        """A worker unit whose child died stops itself (exit status not 0): start it again."""
        if self.process is None or self.process.poll() is not None:
            self.start()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        leftovers = descendants(self.process.pid)
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.kill()
        sigkill(leftovers)


@dataclass
class Load:
    base: str
    token: str
    ids: dict
    acknowledged: dict[str, list[dict]] = field(
        default_factory=lambda: {"contacts": [], "tasks": [], "deals": []}
    )
    retries: Counter = field(default_factory=Counter)
    last_reminder: float = 0.0
    failures: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def body(self, kind: str, key: str, rng: random.Random) -> dict:
        if kind == "contacts":
            return {"first_name": key, "email": f"{key}@customer.example"}
        if kind == "tasks":
            # Ahead by more than a restart takes, since a retry must send the same body.
            remind_at = datetime.now(UTC) + timedelta(seconds=rng.randint(25, 40))
            self.last_reminder = max(self.last_reminder, remind_at.timestamp())
            return {"plan_id": self.ids["plan_id"], "title": key, "reminder": "custom",
                    "assignee_id": self.ids["assignee_id"],
                    "due_at": (remind_at + timedelta(hours=1)).isoformat(),
                    "remind_at": remind_at.isoformat()}  # fmt: skip
        # One customer per deal: a second registration of a customer and product is refused.
        with self.lock:
            customer_id = self.ids["customer_ids"].pop()
        return {"name": key, "customer_id": customer_id, "amount": "1200.00",
                "mrr": "100.00", "currency": "USD", "close_date": "2027-06-30",
                "products": [self.ids["product_id"]]}  # fmt: skip

    def write(self, kind: str, rng: random.Random) -> None:
        key = f"{kind}-{uuid.uuid4().hex[:12]}"
        data = json.dumps(self.body(kind, key, rng)).encode()
        deadline = time.monotonic() + RETRY_SECONDS
        while time.monotonic() < deadline:
            request = urllib.request.Request(
                f"{self.base}/api/v1/{kind}", data=data, method="POST",
                headers={"Authorization": f"Bearer {self.token}", "Idempotency-Key": key,
                         "Content-Type": "application/json"},
            )  # fmt: skip
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    created = json.loads(response.read())
                with self.lock:
                    self.acknowledged[kind].append({"id": created["id"], "key": key})
                return
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and exc.code != 409:
                    answer = exc.read()
                    if b"reminder_in_past" in answer:
                        # Retried past its reminder time: refused whole, so nothing is written.
                        self.refused.append(key)
                    else:
                        self.failures.append(f"{kind} {key}: {exc.code} {answer[:300]!r}")
                    return
            except (OSError, ValueError):
                pass  # the server died under the request: retry with the same key
            with self.lock:
                self.retries[kind] += 1
            time.sleep(0.3)
        self.failures.append(f"{kind} {key}: never acknowledged (stuck key?)")


def wait_until_serving(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=5):
                return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.3)
    raise AssertionError("the server did not start")


@pytest.fixture
def env(scratch_env: dict[str, str]):
    return {
        **scratch_env,
        "OPENPRM_SWEEP_SECONDS": "1",
        # A killed worker's task is requeued after 3 s; tasks here take milliseconds.
        "OPENPRM_STALE_TASK_MINUTES": "0.05",
    }


def kill_at_random(units: list[Unit], kills: Counter) -> None:
    """For LOAD_SECONDS, every few seconds a server, a worker or one of their children is
    killed; whatever died is started again."""
    rng = random.Random(SEED)
    end = time.monotonic() + LOAD_SECONDS
    while time.monotonic() < end:
        time.sleep(rng.uniform(1.5, 4.0))
        unit = rng.choice(units)
        if rng.random() < 0.5 and unit.kill_a_child(rng):
            kills[f"{unit.name} child"] += 1
        else:
            unit.kill()
            kills[unit.name] += 1
        for each in units:
            each.ensure_running()


def wait_for_delivery(env: dict[str, str], units: list[Unit], load: Load) -> dict:
    """Lets the workers deliver: every reminder notified, every notification mailed (or the
    time is up); the state read last."""
    time.sleep(max(0.0, load.last_reminder - datetime.now(UTC).timestamp()))
    deadline = time.monotonic() + DELIVERY_SECONDS
    while True:
        for unit in units:
            unit.ensure_running()
        state = step(env, "state", load.acknowledged)
        causes = {n["cause"] for n in state["notifications"]}
        done = all(r["cause"] in causes for r in state["reminders_due"]) and all(
            n["emailed"] for n in state["notifications"]
        )
        if done or time.monotonic() > deadline:
            return state
        time.sleep(1)


@pytest.mark.slow
def test_killed_servers_and_workers_lose_no_acknowledged_write(env, tmp_path):
    ids = step(env, "setup")
    run([*OPENPRM, "manage", "collectstatic", "--no-input", "-v", "0"], env)
    on_postgres = postgres_url() is not None
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Unit("server", [*OPENPRM, "serve", "--port", str(port), "--workers", "2"],
                  env, tmp_path / "server.log")  # fmt: skip
    workers = [
        Unit(f"worker-{n}", [*OPENPRM, "worker"], env, tmp_path / f"worker-{n}.log")
        for n in range(2 if on_postgres else 1)
    ]
    units = [server, *workers]
    for unit in units:
        unit.start()
    wait_until_serving(base)

    load = Load(base=base, token=ids["token"], ids=ids)
    stop_load = threading.Event()
    kills: Counter = Counter()

    def writer(number: int) -> None:
        rng = random.Random(SEED + number)
        while not stop_load.is_set():
            load.write(rng.choice(["contacts", "tasks", "tasks", "deals"]), rng)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    try:
        for thread in threads:
            thread.start()
        kill_at_random(units, kills)
        stop_load.set()
        for thread in threads:
            thread.join(timeout=RETRY_SECONDS + 60)
        print(f"kills: {dict(kills)}; retries: {dict(load.retries)}; refused: {len(load.refused)}; "
              "acknowledged: "
              f"{ {kind: len(w) for kind, w in load.acknowledged.items()} }")  # fmt: skip
        assert not load.failures, load.failures

        state = wait_for_delivery(env, units, load)
    finally:
        stop_load.set()
        for unit in units:
            unit.stop()

    assert sum(kills.values()) >= 8
    assert state["missing"] == []
    for kind, writes in load.acknowledged.items():
        written = Counter(name for name in state["names"][kind] if name.startswith(kind))
        assert written == Counter(write["key"] for write in writes), f"{kind} written twice"
    assert not set(load.refused) & set(state["names"]["tasks"]), "a refused write was written"
    assert state["keys_in_progress"] == 0
    assert state["duplicate_causes"] == []
    causes = {n["cause"] for n in state["notifications"]}
    missing_reminders = [r for r in state["reminders_due"] if r["cause"] not in causes]
    assert missing_reminders == []
    assert all(n["emailed"] for n in state["notifications"]), "a notification was never mailed"
    mailed = Counter(message["Message-ID"] for message in mails(env))
    assert set(mailed) == {n["message_id"] for n in state["notifications"]}
