"""A real database, outside pytest-django's, that worker and CLI processes started by a test share.

SQLite: a file in a temporary folder. PostgreSQL (the test run's DATABASE_URL names one): a new
database on that server, dropped afterwards.
"""

import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
OPENPRM = [PYTHON, "-c", "from openprm.cli import main; main()"]


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def environment(folder: Path) -> dict[str, str]:
    (folder / "mail").mkdir(exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openprm.settings",
        "SECRET_KEY": "test-only-secret",
        "OPENPRM_VAR_DIR": str(folder / "var"),
        "OPENPRM_DEBUG": "false",
        "PYTHONPATH": str(ROOT),
        "EMAIL_BACKEND": "tests.processes.mail_backends.DirectoryBackend",
        "OPENPRM_TEST_MAIL_DIR": str(folder / "mail"),
        # These processes are loaded and fuzzed from one address as a few users: the API rate
        # limits (openprm/core/tests/test_rate_limits.py) would answer most of it with a 429.
        "OPENPRM_API_RATE_USER": "1000000/min",
        "OPENPRM_API_RATE_ANONYMOUS": "1000000/min",
    }


@contextmanager
def scratch_database(folder: Path, template: str | None = None) -> Iterator[dict[str, str]]:
    """Yields the environment for processes that use a fresh database: empty, or a copy of
    `template` (another scratch database's DATABASE_URL) when given."""
    env = environment(folder)
    server = postgres_url()
    if server is None:
        path = folder / "openprm.sqlite3"
        if template:
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
        env["DATABASE_URL"] = f"sqlite:///{path}"
        yield env
        return
    name = f"openprm_scratch_{uuid.uuid4().hex[:12]}"
    admin_url = with_database(server, "postgres")
    source = f' TEMPLATE "{urlsplit(template).path.lstrip("/")}"' if template else ""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{source}')
    env["DATABASE_URL"] = with_database(server, name)
    try:
        yield env
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Caps against a hung child, not speed checks: a migration took over 120 s on a loaded machine.
def run(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def django(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    return run([PYTHON, "-m", "django", *args], env, timeout).stdout


def mails(env: dict[str, str]) -> list[Message]:
    folder = Path(env["OPENPRM_TEST_MAIL_DIR"])
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(env: dict[str, str], workers: int = 1, log: Path | None = None) -> Iterator[str]:
    """`openprm serve` on a free port; yields its address once it answers. Its access log goes
    to `log` when given."""
    port = free_port()
    address = f"http://127.0.0.1:{port}"
    output = log.open("w") if log else None
    server = subprocess.Popen(
        [*OPENPRM, "serve", "--port", str(port), "--workers", str(workers)],
        env=env, cwd=ROOT, stdout=output or subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{address}/login/", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None, "openprm serve exited"
                assert time.monotonic() < deadline, "openprm serve never answered"
                time.sleep(0.2)
        yield address
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if output:
            output.close()
