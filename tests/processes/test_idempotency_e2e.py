"""Idempotency-Key through a real `openprm serve` whose worker dies or dawdles mid-request.

The request hangs after its view created the contact (tests.processes.hanging), so a worker
killed there has done the work and written no response. Runs on the test run's database engine.
"""

import http.client
import json
import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from openprm.core.idempotency import LEASE
from tests.processes.hanging import hanging_marker
from tests.processes.support import PYTHON, django, run, serving

CREATE_TOKEN = (
    "from openprm.accounts.models import User;"
    "from openprm.accounts.services import api_token_create;"
    "print(api_token_create(user=User.objects.get(email='alice@northwind.example'), name='e2e')[1])"
)
COUNT_CONTACTS = "from openprm.crm.models import Contact; print(Contact.objects.count())"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: dict


@dataclass
class Server:
    address: str
    token: str
    var_dir: str

    def create_contact(self, key: str, hang: float | None = None) -> Answer:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                   "Idempotency-Key": key}  # fmt: skip
        if hang is not None:
            headers["X-Test-Hang"] = str(hang)
        request = urllib.request.Request(
            f"{self.address}/api/v1/contacts", data=b'{"first_name": "Naomi"}', headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return Answer(response.status, dict(response.headers), json.load(response))
        except urllib.error.HTTPError as failed:
            return Answer(failed.code, dict(failed.headers), json.load(failed))

    def hanging_pid(self, timeout: float = 60) -> int:
        marker = hanging_marker(self.var_dir)
        deadline = time.monotonic() + timeout
        while not marker.exists():
            assert time.monotonic() < deadline, "the request never reached its hang"
            time.sleep(0.05)
        return int(marker.read_text())


def contacts(env: dict[str, str]) -> int:
    return int(django(env, "shell", "-c", COUNT_CONTACTS).strip().splitlines()[-1])


@pytest.fixture
def env(scratch_env: dict[str, str]) -> dict[str, str]:
    run([PYTHON, "-m", "tests.processes.worker_steps", "setup"], scratch_env)
    return {**scratch_env, "DJANGO_SETTINGS_MODULE": "tests.processes.hanging_settings"}


@pytest.fixture
def server(env: dict[str, str]) -> Iterator[Server]:
    token = django(env, "shell", "-c", CREATE_TOKEN).strip().splitlines()[-1]
    with serving(env, workers=2) as address:
        yield Server(address, token, env["OPENPRM_VAR_DIR"])


def test_a_key_whose_worker_was_killed_mid_request_is_retried_and_creates_once(env, server):
    with ThreadPoolExecutor() as pool:
        first = pool.submit(server.create_contact, "killed", hang=600)
        os.kill(server.hanging_pid(), signal.SIGKILL)
        assert isinstance(first.exception(timeout=60), (OSError, http.client.HTTPException))
    # gunicorn replaces the worker; the key answers 409 until its lease runs out.
    deadline = time.monotonic() + LEASE.total_seconds() + 60
    while (retry := server.create_contact("killed")).status == 409:
        assert retry.body["code"] == "in_progress"
        assert time.monotonic() < deadline, "the key of the killed request never came free"
        time.sleep(0.5)
    again = server.create_contact("killed")
    assert retry.status == again.status == 201
    assert "Idempotent-Replayed" not in retry.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.body == retry.body
    assert contacts(env) == 1


def test_a_request_that_outlives_its_lease_is_not_run_again_by_a_retry(env, server):
    with ThreadPoolExecutor() as pool:
        first = pool.submit(server.create_contact, "slow", hang=LEASE.total_seconds() + 10)
        server.hanging_pid()
        time.sleep(LEASE.total_seconds() + 1)
        retry = server.create_contact("slow")
        answer = first.result(timeout=60)
    again = server.create_contact("slow")
    assert retry.status == 409
    assert retry.body["code"] == "in_progress"
    assert answer.status == again.status == 201
    assert again.body == answer.body
    assert contacts(env) == 1
