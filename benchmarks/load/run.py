"""Load test: the demo program on PostgreSQL, served by `openprm serve`, under locust.

    .venv/bin/python benchmarks/load/run.py --locust /path/to/locust [--users 50] [--seconds 60]

Creates the database named by DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
openprm_load), refusing one that already has tables unless --force is given, loads the demo,
starts `openprm serve` and `openprm worker`, runs benchmarks/load/locustfile.py headless and
prints throughput, p50 and p99 per request and in total, counted for --seconds from the moment
every user has signed in (sign-ins hash passwords on purpose: they would dominate the figures).
Exits 1 when any request failed. --workers sets the server processes, --task-workers how many
`openprm worker` processes run (each a task worker and a scheduler, as on several hosts).
locust lives in a virtualenv of its own (`python3.11 -m venv .locust && .locust/bin/pip install
locust==2.47.0`): its dependencies are not the product's.
"""

import argparse
import csv
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
OPENPRM = [sys.executable, "-c", "from openprm.cli import main; main()"]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/openprm_load"


def prepare_database(url: str, force: bool) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists:
        with psycopg.connect(url) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()
        if tables and tables[0] and not force:
            sys.exit(f"{name} already holds tables: give --force to replace it.")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"{url} did not answer in {timeout:.0f} s")


def summary(stats_csv: Path) -> tuple[list[dict[str, str]], dict[str, str]]:
    with stats_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return [row for row in rows if row["Name"] != "Aggregated"], total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locust", default=shutil.which("locust"), help="the locust command")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--task-workers", type=int, default=1, help="`openprm worker` processes")
    parser.add_argument(
        "--sign-in-seconds", type=int, default=600, help="how long signing every user in may take"
    )
    parser.add_argument("--force", action="store_true", help="replace a database with tables")
    args = parser.parse_args()
    if not args.locust:
        sys.exit("locust not found: give --locust PATH (see this script's docstring).")
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    prepare_database(url, args.force)
    folder = Path(tempfile.mkdtemp(prefix="openprm-load-"))
    # Every locust user comes from 127.0.0.1 and shares a few demo accounts: the API rate limits
    # would cap the throughput this measures.
    env = {**os.environ, "DATABASE_URL": url, "OPENPRM_VAR_DIR": str(folder / "var"),
           "PYTHONPATH": str(ROOT), "OPENPRM_API_RATE_USER": "1000000/min",
           "OPENPRM_API_RATE_ANONYMOUS": "1000000/min",
           "OPENPRM_LOAD_SECONDS": str(args.seconds)}  # fmt: skip
    subprocess.run([*OPENPRM, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*OPENPRM, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    log = (folder / "server.log").open("w")
    serve = [*OPENPRM, "serve", "--port", str(port), "--workers", str(args.workers)]
    processes = [subprocess.Popen(serve, env=env, stdout=log, stderr=subprocess.STDOUT)] + [
        subprocess.Popen([*OPENPRM, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(args.task_workers)
    ]
    spawn_rate = max(1, args.users // 10)  # sign-ins hash passwords: spread them over 10 s
    try:
        wait_for(f"{host}/login/")
        subprocess.run(
            [args.locust, "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
             "--host", host, "--users", str(args.users), "--spawn-rate", str(spawn_rate),
             "--run-time", f"{args.seconds + args.sign_in_seconds}s", "--csv",
             str(folder / "load"), "--only-summary"],
            check=False,
        )  # fmt: skip
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
    rows, total = summary(folder / "load_stats.csv")
    print(f"\n{datetime.now(UTC):%Y-%m-%d} on {platform.node()} ({os.cpu_count()} cores, "
          f"{platform.python_version()}): {args.users} users for {args.seconds} s, "
          f"{args.workers} server processes, {args.task_workers} workers")  # fmt: skip
    print(f"{'request':45} {'count':>7} {'fails':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
    for row in [*sorted(rows, key=lambda r: r["Name"]), total]:
        print(f"{row['Type'] + ' ' + row['Name']:45} {row['Request Count']:>7} "
              f"{row['Failure Count']:>6} {float(row['Requests/s']):>7.1f} {row['50%']:>7} "
              f"{row['99%']:>7}")  # fmt: skip
    print(f"Files: {folder}")
    # A user whose sign-in failed raised before the figures were reset: that is an exception.
    with (folder / "load_exceptions.csv").open() as handle:
        exceptions = list(csv.DictReader(handle))
    for row in exceptions:
        print(f"Exception ({row['Count']}x): {row['Message']}")
    sys.exit(1 if int(total["Failure Count"]) or exceptions else 0)


if __name__ == "__main__":
    main()
