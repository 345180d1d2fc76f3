"""The benchmark suite (issue 13): one command against a chosen database.

    .venv/bin/python benchmarks/run.py --database-url postgres://postgres@127.0.0.1:5432/bench \
        --repeat 20 [--workers 2] [--out results.json] [--only pages,referrals,jobs] \
        [--pages dashboard,goals]

Load the program first (`openprm demo --size medium`). The run starts `openprm serve` on the
database, measures the references in the same run (GET /healthz: the whole middleware stack and
a one-row primary-key read; hand-written SQL for what each list, dashboard and points page
shows), then the pages and API reads as the program admin and as the partner admin of the
biggest partner (Northwind Traders), referral send/accept at concurrency 4, the idle sweep, a
full tier evaluation and `openprm points verify` (time and peak memory). It prints each
figure's median and p95 and its ratio to its reference, and writes them to a JSON file.
A database holding a real program (not the demo) is refused without --force.
"""

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from suite.measure import Client, Figure, timed  # noqa: E402
from suite.scenarios import OPENPRM, job_figures, page_figures, referral_figures, sql_references  # noqa: E402


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openprm.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The sweep sends the program's due emails: kept in memory, not printed among the figures.
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()


def refuse_real_program(force: bool) -> None:
    from openprm.demo.bulk.build import real_program

    name = real_program()
    if name is not None and not force:
        sys.exit(
            f"This database holds a real program ({name}): the benchmark writes to it. "
            "Run against a demo database, or add --force."
        )


def sign_in() -> dict:
    """Session cookies and API tokens of the program admin and Northwind's partner admin."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from openprm.accounts.models import Membership, User
    from openprm.accounts.services import api_token_create
    from openprm.crm.models import Opportunity

    found = {}
    for who, email in (("admin", "admin@openprm.example"), ("partner", "admin@northwind.example")):
        user = User.objects.get(email=email)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        _, secret = api_token_create(user=user, name="benchmarks/run.py")
        found[who] = (session.session_key, secret)
    partner_id = Membership.objects.get(user__email="admin@northwind.example").organization_id
    customers = list(
        Opportunity.objects.filter(organization_id=partner_id, customer__currency="USD")
        .values_list("customer_id", flat=True)
        .distinct()[:200]
    )
    return {"sessions": found, "partner_id": partner_id, "customers": customers}


def start_server(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url}
    server = subprocess.Popen(
        [*OPENPRM, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("openprm serve did not answer /healthz in 180 s")


def report(figures: list[Figure]) -> list[dict]:
    by_name = {f.name: f for f in figures}
    rows = []
    print(f"{'figure':<40} {'median ms':>10} {'p95 ms':>10} {'ratio':>8}  reference / notes")
    for figure in figures:
        reference = by_name.get(figure.reference or "")
        ratio = figure.median_ms / reference.median_ms if reference else None
        notes = " ".join(f"{k}={v}" for k, v in figure.extra.items())
        shown = f"{ratio:8.1f}" if ratio is not None else " " * 8
        print(
            f"{figure.name:<40} {figure.median_ms:10.1f} {figure.p95_ms:10.1f} {shown}  "
            f"{figure.reference or ''} {notes}"
        )
        rows.append(
            {
                "name": figure.name,
                "median_ms": round(figure.median_ms, 2),
                "p95_ms": round(figure.p95_ms, 2),
                "runs": len(figure.seconds),
                "reference": figure.reference,
                "ratio": round(ratio, 2) if ratio is not None else None,
                **figure.extra,
            }
        )
    return rows


PARTS = ("pages", "referrals", "jobs")


def served_figures(args: argparse.Namespace, parts: set[str]) -> list[Figure]:
    """The references, pages and referral writes, against `openprm serve` on the database."""
    signed = sign_in()
    server, base = start_server(args.database_url, args.workers)
    try:
        anonymous = Client(base)
        clients = {
            who: Client(base, cookie=cookie) for who, (cookie, _) in signed["sessions"].items()
        }
        tokens = {who: Client(base, token=token) for who, (_, token) in signed["sessions"].items()}
        figures = [Figure("healthz", timed(lambda: anonymous.get("/healthz"), args.repeat))]
        if "pages" in parts:
            figures += sql_references(args.database_url, signed["partner_id"], args.repeat)
            words = [word.strip() for word in args.pages.split(",") if word.strip()]
            figures += page_figures(clients, args.repeat, words)
        if "referrals" in parts:
            figures += referral_figures(
                tokens["admin"],
                tokens["partner"],
                signed["partner_id"],
                signed["customers"],
                args.referrals,
            )
    finally:
        server.terminate()
        server.wait(30)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2)")
    parser.add_argument("--referrals", type=int, default=40, help="referrals sent and accepted")
    parser.add_argument(
        "--out", default=f"benchmarks/results-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    )
    parser.add_argument("--force", action="store_true", help="run against a real program too")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to run, of {', '.join(PARTS)} (default all)",
    )
    parser.add_argument(
        "--pages", default="", help="comma-separated words: only the pages whose name has one"
    )
    args = parser.parse_args()
    parts = {part.strip() for part in args.only.split(",") if part.strip()}
    if not parts or parts - set(PARTS):
        parser.error(f"--only: choose among {', '.join(PARTS)}")
    setup_django(args.database_url)
    refuse_real_program(args.force)
    figures = served_figures(args, parts) if parts & {"pages", "referrals"} else []
    if "jobs" in parts:
        figures += job_figures(args.repeat, {**os.environ, "DATABASE_URL": args.database_url})
    rows = report(figures)
    Path(args.out).write_text(
        json.dumps(
            {
                "date": datetime.now(UTC).isoformat(),
                "machine": platform.platform(),
                "cores": os.cpu_count(),
                "workers": args.workers,
                "repeat": args.repeat,
                "figures": rows,
            },
            indent=2,
        )
    )
    print(f"Results written to {args.out}")


if __name__ == "__main__":
    main()
