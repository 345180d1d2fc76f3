"""A separate process on the database DATABASE_URL names, configured exactly as settings.py does.

    python -m openprm.core.tests.db_worker probe
    python -m openprm.core.tests.db_worker create
    python -m openprm.core.tests.db_worker version PK
    python -m openprm.core.tests.db_worker write PK SECONDS
    python -m openprm.core.tests.db_worker sweep SECONDS
    python -m openprm.core.tests.db_worker replica SLUG

Each prints one JSON object; test_concurrency.py runs two writers at once against one row, and
two sweeps at once (two workers of one installation). A writer or sweep first prints "ready"
once it is connected, then waits for its start time on stdin: on a loaded machine one process
can take seconds longer to start than the other, and processes that begin apart never race.
"""

import json
import sys
import time

import django


def probe() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]
    return {
        "journal_mode": journal_mode,
        "busy_timeout": busy_timeout,
        "transaction_mode": getattr(connection, "transaction_mode", None),
    }


def create() -> dict:
    from openprm.accounts.models import Organization

    organization = Organization.objects.create(name="Contended", slug="contended", kind="partner")
    return {"pk": organization.pk}


def version(pk: int) -> dict:
    from openprm.accounts.models import Organization

    return {"version": Organization.objects.values_list("version", flat=True).get(pk=pk)}


def write(pk: int, seconds: float) -> dict:
    """Read the version, then check and bump it in a transaction: optimistic concurrency."""
    from django.db import OperationalError, transaction

    from openprm.accounts.models import Organization
    from openprm.core.errors import PreconditionFailed

    counts = {"saved": 0, "stale": 0, "locked": 0}
    Organization.objects.filter(pk=pk).exists()
    start_at = wait_for_start()
    while time.time() < start_at + seconds:
        seen = Organization.objects.values_list("version", flat=True).get(pk=pk)
        time.sleep(0.002)  # a user reading the form before saving: widens the race
        try:
            with transaction.atomic():
                organization = Organization.objects.select_for_update().get(pk=pk)
                organization.check_version(seen)
                organization.bump_version()
                organization.save(update_fields=["version", "updated_at"])
            counts["saved"] += 1
        except PreconditionFailed:
            counts["stale"] += 1
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            counts["locked"] += 1
    return counts


def wait_for_start() -> float:
    """Says "ready", then sleeps until the start time the test sends, and answers it."""
    print("ready", flush=True)
    start_at = float(sys.stdin.readline())
    time.sleep(max(0.0, start_at - time.time()))
    return start_at


def sweep(seconds: float) -> dict:
    """The sweep with one due-work finder that takes SECONDS: did this process sweep?"""
    from openprm.core import sweep as sweeping
    from openprm.core.models import Lease

    sweeping._finders.clear()

    @sweeping.due_work("slow")
    def slow(now: object) -> int:
        time.sleep(seconds)
        return 1

    Lease.objects.exists()
    wait_for_start()
    report = sweeping.run_sweep()
    return {"swept": not report["skipped"]}


def replica(slug: str) -> dict:
    """With OPENPRM_REPLICA_DATABASE_URL set: an organization only the replica holds, seen by a
    report read and not elsewhere; a write during a report lands on the primary."""
    from openprm.accounts.models import Organization
    from openprm.core.replica import report_reads

    Organization.objects.using("replica").create(name=slug, slug=slug, kind="partner")
    with report_reads():
        in_report = Organization.objects.filter(slug=slug).exists()
        Organization.objects.create(name=f"{slug} written", slug=f"{slug}-written", kind="partner")
    return {
        "report_reads_the_replica": in_report,
        "other_reads_the_replica": Organization.objects.filter(slug=slug).exists(),
        "write_on_the_primary": Organization.objects.using("default")
        .filter(slug=f"{slug}-written")
        .exists(),
    }


if __name__ == "__main__":
    django.setup()
    command, *args = sys.argv[1:]
    if command == "probe":
        result = probe()
    elif command == "create":
        result = create()
    elif command == "version":
        result = version(int(args[0]))
    elif command == "sweep":
        result = sweep(float(args[0]))
    elif command == "replica":
        result = replica(args[0])
    else:
        result = write(int(args[0]), float(args[1]))
    print(json.dumps(result))
