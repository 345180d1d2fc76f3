"""Concurrent accept and decline of one received referral: exactly one succeeds.

Separate processes on a database of their own, as openprm/core/tests/test_concurrency.py does:
always a SQLite file, and a PostgreSQL database too when the suite runs on PostgreSQL.
"""

import json
import os
import subprocess
import sys
import time

import pytest

from openprm.core.tests.test_concurrency import (  # noqa: F401 -- fixtures
    ON_POSTGRES,
    postgres_database,
    sqlite_file,
)

ROUNDS = 2


@pytest.fixture(params=["sqlite", "postgresql"] if ON_POSTGRES else ["sqlite"])
def database_url(request):
    fixture = "sqlite_file" if request.param == "sqlite" else "postgres_database"
    return request.getfixturevalue(fixture)


def run(database_url: str, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "openprm.settings",
        "SECRET_KEY": "concurrency-tests",
    }
    command = [sys.executable, "-m", "openprm.referrals.tests.race", *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def result(process: subprocess.Popen) -> dict:
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_exactly_one_of_a_concurrent_accept_and_decline_succeeds(database_url, round_number):
    built = result(run(database_url, "setup"))
    pk, (first, second) = str(built["referral"]), built["users"]
    start_at = str(time.time() + 3)
    racers = [
        run(database_url, "act", "accept", pk, str(first), start_at),
        run(database_url, "act", "decline", pk, str(second), start_at),
    ]
    accept, decline = (result(racer) for racer in racers)

    assert [accept["ok"], decline["ok"]].count(True) == 1, (accept, decline)
    loser = decline if accept["ok"] else accept
    assert loser["code"] == "invalid_transition"
    final = result(run(database_url, "state", pk))
    assert final["substatus"] == ("accepted" if accept["ok"] else "declined")
    assert final["transitions"] == 2  # sent, then the one winning move
