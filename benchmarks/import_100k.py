"""A 100,000-row customers file through the import's worker path on SQLite (issue 12 item 2:
"files of 100,000 rows run in the worker with a progress bar, and finish in under 2 minutes on
SQLite").

    .venv/bin/python benchmarks/import_100k.py [--rows 100000] [--profile out.prof]

It makes a fresh SQLite database in a temporary folder (WAL, as the product runs it), migrates
it, creates the vendor and its program admin, builds a CSV of unique DUNS numbers, names and
domains, then times what the program admin and the worker do: the upload, the check (queued,
then run by django-tasks-db's `db_worker --batch`, the worker's own command) and the import
(likewise). It prints each step's seconds and the total, and exits non-zero when the import
did not end "done" with every row written.
"""

import argparse
import cProfile
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COUNTRIES = (("US", "USD"), ("JP", "JPY"), ("DE", "EUR"), ("TH", "THB"), ("TW", "TWD"))
WORDS = (
    "Blue", "Summit", "River", "Cedar", "Harbor", "Nova", "Granite", "Lotus", "Aurora", "Falcon",
    "Maple", "Orbit", "Pioneer", "Quartz", "Sakura", "Tidal", "Vertex", "Willow", "Zenith",
)  # fmt: skip
TRADES = ("Logistics", "Foods", "Robotics", "Clinics", "Textiles", "Software", "Energy", "Retail")


def customers_csv(rows: int, seed: int = 12) -> bytes:
    """Unique 9-digit DUNS numbers, names and domains, in several countries and currencies."""
    chooser = random.Random(seed)
    duns = chooser.sample(range(100_000_000, 1_000_000_000), rows)
    lines = ["duns,name,country,currency,domain,address,city,postal_code"]
    for number, value in enumerate(duns):
        first, second = chooser.choice(WORDS), chooser.choice(WORDS)
        trade = chooser.choice(TRADES)
        country, currency = chooser.choice(COUNTRIES)
        name = f"{first} {second} {trade} {number}"
        domain = f"{first}{second}{trade}{number}.example".lower()
        street = f"{chooser.randint(1, 999)} {second} Street"
        lines.append(
            f"{value},{name},{country},{currency},{domain},{street},{first} City,"
            f"{chooser.randint(10000, 99999)}"
        )
    return ("\n".join(lines) + "\n").encode()


def setup_django(var_dir: str) -> None:
    os.environ["OPENPRM_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "openprm.settings"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()


def program_admin() -> Any:
    from django.core.management import call_command

    from openprm.accounts.models import User

    call_command("migrate", verbosity=0)
    os.environ["OPENPRM_ADMIN_PASSWORD"] = "bench-" + os.urandom(12).hex()
    call_command(
        "createadmin",
        email="admin@bench.example",
        name="Bench Admin",
        vendor="Bench Software",
        interactive=False,
        verbosity=0,
    )
    return User.objects.get(email="admin@bench.example")


def run_worker() -> None:
    from django.core.management import call_command

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def timed(label: str, step: Callable[[], Any], profiler: cProfile.Profile | None) -> Any:
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = step()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds:8.1f} s", flush=True)
    return result, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", help="write a cProfile of the timed steps to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="import100k-") as var_dir:
        setup_django(var_dir)
        from django.core.files.uploadedfile import SimpleUploadedFile

        from openprm.crm.models import Customer
        from openprm.imports import services
        from openprm.imports.models import ImportJob

        admin = program_admin()
        content = customers_csv(args.rows)
        print(f"{args.rows} customers, {len(content) / 2**20:.1f} MB of CSV, SQLite in {var_dir}")
        profiler = cProfile.Profile() if args.profile else None
        upload = SimpleUploadedFile("customers.csv", content)

        def upload_step() -> ImportJob:
            return services.import_upload(actor=admin, kind="customers", upload=upload)

        def check_step() -> ImportJob:
            services.import_check(actor=admin, job=job, mapping=job.mapping)
            run_worker()
            return ImportJob.objects.get(pk=job.pk)

        def import_step() -> ImportJob:
            services.import_start(actor=admin, job=job)
            run_worker()
            return ImportJob.objects.get(pk=job.pk)

        job, upload_s = timed("upload", upload_step, profiler)
        job, check_s = timed("check (worker)", check_step, profiler)
        job, import_s = timed("import (worker)", import_step, profiler)
        print(f"{'total':<28} {upload_s + check_s + import_s:8.1f} s")
        written = Customer.objects.count()
        print(f"status {job.status}, created {job.created_count}, customers {written}")
        if profiler:
            profiler.dump_stats(args.profile)
        return 0 if job.status == "done" and written == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
