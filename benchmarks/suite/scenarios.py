"""What is measured: the product's pages and API reads, their hand-written SQL references,
referral send/accept at concurrency 4, and the background jobs."""

import json
import os
import subprocess
import sys
import time
from datetime import date

from suite.measure import Client, Figure, concurrent, timed

OPENPRM = [sys.executable, "-c", "from openprm.cli import main; main()"]

# (name, path, reference): read as program admin ("admin") or Northwind's partner admin.
PAGES = {
    "admin": [
        ("api me (admin)", "/api/v1/me", "healthz"),
        ("api referrals (admin)", "/api/v1/referrals", "healthz"),
        ("api deals (admin)", "/api/v1/deals", "healthz"),
        ("api ledger (admin)", "/api/v1/points/ledger", "healthz"),
        ("vendor referrals page", "/referrals/vendor/", "sql referrals newest"),
        ("vendor deals page", "/deals/vendor/", "sql deals newest"),
        ("channel dashboard", "/dashboard/channel/", "sql channel dashboard"),
    ],
    "partner": [
        ("api me (partner)", "/api/v1/me", "healthz"),
        ("api referrals (partner)", "/api/v1/referrals", "healthz"),
        ("api deals (partner)", "/api/v1/deals", "healthz"),
        ("api ledger (partner)", "/api/v1/points/ledger", "healthz"),
        ("api breakdown (partner)", "/api/v1/points/breakdown", "sql points breakdown"),
        ("referrals page (partner)", "/referrals/", "sql referrals newest (partner)"),
        ("deals page (partner)", "/deals/", "sql deals newest (partner)"),
        ("partner dashboard", "/dashboard/", "sql partner dashboard"),
        ("goals progress", "/goals/", "sql goals progress"),
        ("tier page", "/tier/", "sql points breakdown"),
        ("points breakdown page", "/tier/breakdown/", "sql points breakdown"),
    ],
}

# Hand-written SQL for what a page or list shows (%(p)s: Northwind; %(d)s: today).
SQL = {
    "sql referrals newest": "SELECT r.id, o.name, o.amount_minor, o.currency_id, r.substatus "
    "FROM referrals_referral r JOIN crm_opportunity o ON o.id = r.opportunity_id "
    "ORDER BY r.created_at DESC, r.id DESC LIMIT 50",
    "sql referrals newest (partner)": "SELECT r.id, o.name, o.amount_minor, r.substatus "
    "FROM referrals_referral r JOIN crm_opportunity o ON o.id = r.opportunity_id "
    "WHERE r.organization_id = %(p)s ORDER BY r.created_at DESC, r.id DESC LIMIT 50",
    "sql deals newest": "SELECT d.id, o.name, o.amount_minor, o.state FROM deals_deal d "
    "JOIN crm_opportunity o ON o.id = d.opportunity_id ORDER BY d.created_at DESC, d.id DESC "
    "LIMIT 50",
    "sql deals newest (partner)": "SELECT d.id, o.name, o.amount_minor, o.state FROM deals_deal d "
    "JOIN crm_opportunity o ON o.id = d.opportunity_id WHERE d.organization_id = %(p)s "
    "ORDER BY d.created_at DESC, d.id DESC LIMIT 50",
    "sql channel dashboard": "SELECT organization_id, count(*), sum(amount_minor) "
    "FROM crm_opportunity WHERE state = 'won' AND closed_on >= %(d)s::date - 365 "
    "GROUP BY organization_id ORDER BY 3 DESC LIMIT 50",
    "sql partner dashboard": "SELECT state, source, count(*), sum(amount_minor) "
    "FROM crm_opportunity WHERE organization_id = %(p)s AND opened_at >= %(d)s::date - 365 "
    "GROUP BY state, source",
    "sql goals progress": "SELECT date_trunc('month', closed_on), source, sum(amount_minor) "
    "FROM crm_opportunity WHERE organization_id = %(p)s AND state = 'won' "
    "AND closed_on >= date_trunc('year', %(d)s::date) GROUP BY 1, 2",
    "sql points breakdown": "SELECT track, customer_id, sum(points_hundredths) "
    "FROM points_pointentry WHERE organization_id = %(p)s AND active_from <= %(d)s "
    "AND (expires_on IS NULL OR expires_on > %(d)s) GROUP BY track, customer_id",
}


def sql_references(url: str, partner_id: int, repeat: int) -> list[Figure]:
    import psycopg

    params = {"p": partner_id, "d": date.today()}
    figures = []
    with psycopg.connect(url) as conn:
        for name, sql in SQL.items():
            figures.append(
                Figure(name, timed(lambda s=sql: conn.execute(s, params).fetchall(), repeat))
            )
    return figures


def page_figures(clients: dict[str, Client], repeat: int, words: list[str]) -> list[Figure]:
    """Every page, or those whose name has one of `words`."""
    figures = []
    for who, pages in PAGES.items():
        for name, path, reference in pages:
            if words and not any(word in name for word in words):
                continue
            body = clients[who].get(path)
            figure = Figure(name, timed(lambda p=path, c=clients[who]: c.get(p), repeat), reference)
            figure.extra["bytes"] = len(body)
            figures.append(figure)
    return figures


def referral_figures(
    admin: Client, partner: Client, partner_id: int, customers: list[int], total: int
) -> list[Figure]:
    """The program admin sends referrals to Northwind, whose admin accepts them: 4 at a time."""
    sent: list[tuple[int, str]] = []

    def send(index: int) -> None:
        body = {
            "partner_id": partner_id,
            "customer_id": customers[index % len(customers)],
            "name": f"Benchmark referral {index}",
            "value": "12000",
            "currency": "USD",
            "notes": "Sent by benchmarks/run.py.",
        }
        status, headers, payload = admin.request(
            "/api/v1/referrals/send", json.dumps(body).encode()
        )
        if status != 201:
            raise RuntimeError(f"send answered {status}")
        sent.append((json.loads(payload)["id"], headers.get("ETag", "")))

    def accept(index: int) -> None:
        referral_id, etag = sent[index]
        body = json.dumps({"notes": "Accepted by benchmarks/run.py."}).encode()
        status, _, _ = partner.request(
            f"/api/v1/referrals/{referral_id}/accept", body, {"If-Match": etag}
        )
        if status != 200:
            raise RuntimeError(f"accept answered {status}")

    send_times = concurrent(send, total)
    return [
        Figure("referral send (c=4)", send_times, "healthz"),
        Figure("referral accept (c=4)", concurrent(accept, len(sent)), "healthz"),
    ]


def peak_rss_run(command: list[str], env: dict) -> Figure:
    """One run of a command: its time and peak memory (its own, not the runner's)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    figure = Figure(" ".join(command[3:]), [time.perf_counter() - started])
    figure.extra = {
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "exit": os.waitstatus_to_exitcode(status),
        "output": output.decode(errors="replace").strip().splitlines()[-1:],
    }
    return figure


def sweep_until_idle(run_sweep, limit: int = 1000) -> Figure:
    """The sweeps that follow the first while it left work due (a demo's first sweep writes
    thousands of notifications whose mail goes 200 a sweep): the idle sweep is measured once
    nothing is due, so it measures finding no work, not doing some."""
    times = []
    for _ in range(limit):
        started = time.perf_counter()
        report = run_sweep()
        times.append(time.perf_counter() - started)
        if not report["requeued_tasks"] and not any(report["due_work"].values()):
            break
    figure = Figure("sweep, backlog runs until idle", times)
    figure.extra["runs"] = len(times)
    figure.extra["total_s"] = round(sum(times), 1)
    return figure


def job_figures(repeat: int, env: dict) -> list[Figure]:
    """In this process (Django set up on the same database): the sweep, a full tier
    evaluation (rolled back), then `openprm points verify` as its own process."""
    from django.db import transaction
    from django.utils import timezone

    from openprm.accounts.models import Organization
    from openprm.accounts.roles import OrganizationKind
    from openprm.core.sweep import run_sweep
    from openprm.points.tiers.services import tier_evaluate

    first = Figure("sweep, first run (ledger catch-up)", timed(run_sweep, 1, warmup=0))
    backlog = sweep_until_idle(run_sweep)
    idle = Figure("sweep, idle", timed(run_sweep, repeat, warmup=0))
    day = timezone.localdate().replace(day=1)

    def evaluate_all() -> None:
        with transaction.atomic():
            for partner in Organization.objects.filter(kind=OrganizationKind.PARTNER).order_by(
                "pk"
            ):
                tier_evaluate(partner=partner, on=day)
            transaction.set_rollback(True)

    tiers = Figure("full tier evaluation (all partners)", timed(evaluate_all, 1, warmup=0))
    verify = peak_rss_run([*OPENPRM, "points", "verify"], env)
    return [first, backlog, idle, tiers, verify]
