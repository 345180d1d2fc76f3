"""SQLite done right: WAL, a busy timeout, IMMEDIATE transactions, and no lost updates.

These run separate processes on a SQLite file configured by settings.py, whatever database
the rest of the suite uses.
"""

import json
import os
import subprocess
import sys
import time

import pytest

WRITERS = 2
SECONDS = 1.5


def start(database_url: str, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "openprm.settings",
        "SECRET_KEY": "sqlite-tests",
    }
    command = [sys.executable, "-m", "openprm.core.tests.sqlite_worker", *args]
    if args[0] == "migrate":
        command = [sys.executable, "-m", "django", "migrate", "-v0"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def result(process: subprocess.Popen) -> dict:
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0
    return json.loads(output.strip().splitlines()[-1]) if output.strip() else {}


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'openprm.sqlite3'}"
    result(start(url, "migrate"))
    return url


def test_file_database_uses_wal_a_busy_timeout_and_immediate_transactions(sqlite_file):
    assert result(start(sqlite_file, "probe")) == {
        "journal_mode": "wal",
        "busy_timeout": 20000,
        "transaction_mode": "IMMEDIATE",
    }


def test_concurrent_writers_of_one_row_lose_no_update_and_never_see_a_lock(sqlite_file):
    pk = str(result(start(sqlite_file, "create"))["pk"])
    start_at = str(time.time() + 2)
    writers = [start(sqlite_file, "write", pk, start_at, str(SECONDS)) for _ in range(WRITERS)]
    results = [result(writer) for writer in writers]

    assert sum(r["locked"] for r in results) == 0
    assert sum(r["stale"] for r in results) > 0, "the writers never raced; nothing was shown"
    saved = sum(r["saved"] for r in results)
    assert result(start(sqlite_file, "version", pk))["version"] == 1 + saved
