"""Concurrent writers: SQLite in WAL with IMMEDIATE transactions, and optimistic versions;
two workers' sweeps at once; report reads on a read replica.

Separate processes on a database of their own, configured by settings.py from DATABASE_URL:
always a SQLite file, and a PostgreSQL database too when the suite runs on PostgreSQL.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid

import psycopg
import pytest
from django.conf import settings

WRITERS = 2
SECONDS = 1.5
# How long the sweep of the sweep test takes: the other process starts well within it.
SWEEP_SECONDS = 3
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def start(database_url: str, *args: str, replica_url: str = "") -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "OPENPRM_REPLICA_DATABASE_URL": replica_url,
        "DJANGO_SETTINGS_MODULE": "openprm.settings",
        "SECRET_KEY": "concurrency-tests",
    }
    command = [sys.executable, "-m", "openprm.core.tests.db_worker", *args]
    if args[0] == "migrate":
        command = [sys.executable, "-m", "django", "migrate", "-v0"]
    return subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def result(process: subprocess.Popen) -> dict:
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0
    return json.loads(output.strip().splitlines()[-1]) if output.strip() else {}


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'openprm.sqlite3'}"
    result(start(url, "migrate"))
    return url


@pytest.fixture(scope="module")
def postgres_database():
    server = settings.DATABASES["default"]
    credentials = server["USER"] + (f":{server['PASSWORD']}" if server["PASSWORD"] else "")
    base = f"postgres://{credentials}@{server['HOST']}:{server['PORT'] or 5432}"
    name = f"openprm_concurrency_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    result(start(f"{base}/{name}", "migrate"))
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"] if ON_POSTGRES else ["sqlite"])
def database_url(request):
    fixture = "sqlite_file" if request.param == "sqlite" else "postgres_database"
    return request.getfixturevalue(fixture)


def test_sqlite_file_uses_wal_a_busy_timeout_and_immediate_transactions(sqlite_file):
    assert result(start(sqlite_file, "probe")) == {
        "journal_mode": "wal",
        "busy_timeout": 20000,
        "transaction_mode": "IMMEDIATE",
    }


def start_together(processes: list[subprocess.Popen]) -> None:
    """Once each is connected: on a loaded machine one can take seconds longer to start."""
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    start_at = time.time() + 0.2
    for process in processes:
        assert process.stdin is not None
        process.stdin.write(f"{start_at}\n")
        process.stdin.flush()


def test_concurrent_writers_of_one_row_lose_no_update_and_never_see_a_lock(database_url):
    pk = str(result(start(database_url, "create"))["pk"])
    writers = [start(database_url, "write", pk, str(SECONDS)) for _ in range(WRITERS)]
    start_together(writers)
    results = [result(writer) for writer in writers]

    assert sum(r["locked"] for r in results) == 0
    assert sum(r["stale"] for r in results) > 0, "the writers never raced; nothing was shown"
    saved = sum(r["saved"] for r in results)
    assert result(start(database_url, "version", pk))["version"] == 1 + saved


def test_two_workers_sweeping_at_once_run_the_sweep_once(database_url):
    sweeps = [start(database_url, "sweep", str(SWEEP_SECONDS)) for _ in range(2)]
    start_together(sweeps)
    assert sorted(result(process)["swept"] for process in sweeps) == [False, True]


def test_report_reads_go_to_the_replica_and_everything_else_to_the_primary(sqlite_file, tmp_path):
    replica_url = f"sqlite:///{tmp_path / 'replica.sqlite3'}"
    primary = sqlite3.connect(sqlite_file.removeprefix("sqlite:///"))
    with sqlite3.connect(replica_url.removeprefix("sqlite:///")) as copy:
        primary.backup(copy)
    primary.close()
    slug = f"replica-{uuid.uuid4().hex[:8]}"
    assert result(start(sqlite_file, "replica", slug, replica_url=replica_url)) == {
        "report_reads_the_replica": True,
        "other_reads_the_replica": False,
        "write_on_the_primary": True,
    }
