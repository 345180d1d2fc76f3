"""`load_size`: the named demo, then the bulk steps up to a named size, in one transaction."""

import random
from collections.abc import Callable
from datetime import date
from typing import TextIO

from django.db import connection, transaction
from django.utils import timezone

from openprm.accounts.models import Membership, Organization, User
from openprm.accounts.roles import OrganizationKind, Role
from openprm.demo import catalog
from openprm.demo.bulk.context import Program
from openprm.demo.bulk.managed import build_subscriptions
from openprm.demo.bulk.people import build_customers, build_partners, build_users
from openprm.demo.bulk.plans import build_tasks
from openprm.demo.bulk.sales import build_sales
from openprm.demo.bulk.sizes import SIZES
from openprm.demo.bulk.writer import BulkWriter, Progress
from openprm.demo.generator import FIXED_LOGINS, DemoConflict, generate, wipe_program_data
from openprm.points.models import PointEntry


def real_program() -> str | None:
    """The name of the program this database runs when it is not the demo's."""
    vendor = Organization.objects.filter(kind=OrganizationKind.VENDOR).first()
    if vendor is not None and vendor.slug != catalog.VENDOR_SLUG:
        return vendor.name
    if vendor is None and User.objects.exists():
        return "an installation without a vendor (its users would be wiped)"
    return None


def refuse_real_program(force: bool) -> None:
    name = real_program()
    if name is not None and not force:
        raise DemoConflict(
            f"This database holds a real program ({name}), not the demo; it would be wiped. "
            "Run against another database, or add --force to replace it."
        )


def _bulk(program: Program) -> None:
    vendor = Organization.objects.get(kind=OrganizationKind.VENDOR)
    program.vendor_id = vendor.pk
    program.rep_ids = list(
        Membership.objects.filter(role=Role.SALES_REP).order_by("pk").values_list("user", flat=True)
    )
    password_hash = User.objects.get(email=FIXED_LOGINS[0]).password
    build_partners(program)
    build_users(program, password_hash)
    build_customers(program)
    won = build_sales(program)
    build_subscriptions(program, won)
    build_tasks(program)
    program.writer.finish()
    program.count("ledger entries", PointEntry.objects.count())


def load_size(
    *,
    size: str,
    seed: int,
    force: bool = False,
    today: date | None = None,
    say: Callable[[str], None] = print,
    stream: TextIO | None = None,
) -> dict[str, int]:
    """Replace the program with the demo at `size` (a real program only with `force`)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        refuse_real_program(force)
        wipe_program_data()
        counts = generate(seed=seed, scale=1.0, today=today, say=say)
        say(f"Growing the demo to the {size} size…")
        program = Program(
            rng=random.Random(seed + 1),
            today=today,
            size=SIZES[size],
            writer=BulkWriter(),
            progress=Progress(stream),
        )
        _bulk(program)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {**counts, **program.counts}
