"""The demo program: load it once, or wipe the program's data and load it again.

Everything random comes from one seeded `random.Random` and every date is counted back from
"today", so the same seed gives the same program on every installation (shifted to the day it
is loaded). Rows are written with `bulk_create`, which bypasses `save()`: the generator fills
the folded `search_name` columns itself and writes no history rows for its own inserts.

To add an area (goals, deals, points…), write a module beside these with a `build_*(demo)`
step and call it from `generate()`; `Demo` carries everything built before it.
"""

import random
from collections.abc import Callable
from datetime import date

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from openprm.accounts.models import Organization, User
from openprm.accounts.roles import OrganizationKind
from openprm.demo import catalog
from openprm.demo.context import Demo
from openprm.demo.dashboard import build_dashboard
from openprm.demo.deals import build_shared_deals
from openprm.demo.directory import (
    assign_books,
    build_contacts_and_notes,
    build_customers,
    ensure_configuration,
)
from openprm.demo.goals import build_goals
from openprm.demo.opportunities import build_opportunities
from openprm.demo.organizations import build_certifications, build_partners, build_vendor
from openprm.demo.points import build_points
from openprm.demo.referrals import build_referrals
from openprm.demo.subscriptions import build_subscriptions, build_usage

DEFAULT_SEED = 20240401

# Configuration the migrations load and the program keeps across a reset (model labels).
KEEP_ON_RESET = frozenset(
    {
        "crm.currency",
        "crm.market",
        "deals.pipelinestage",
        "referrals.salesstage",
        "referrals.solutiontype",
    }
)

FIXED_LOGINS = (
    "admin@openprm.example",
    "pdm@openprm.example",
    "rep@openprm.example",
    "reviewer@openprm.example",
    "admin@northwind.example",
    "user@northwind.example",
    "admin@tailspin.example",
)


class DemoConflict(Exception):
    """The database holds a program that is not the demo; it is left alone."""


def demo_loaded() -> bool:
    return Organization.objects.filter(
        kind=OrganizationKind.VENDOR, slug=catalog.VENDOR_SLUG
    ).exists()


def _check_empty() -> None:
    vendor = Organization.objects.filter(kind=OrganizationKind.VENDOR).first()
    if vendor is not None:
        raise DemoConflict(
            f"This installation already runs the program of {vendor.name}; the demo needs an "
            "empty program (--reset wipes it)."
        )
    taken = sorted(User.objects.filter(email__in=FIXED_LOGINS).values_list("email", flat=True))
    if taken:
        raise DemoConflict(
            f"The demo's logins already exist: {', '.join(taken)} (--reset wipes them)."
        )


def wipe_program_data() -> None:
    """Empty every table of OpenPRM's own apps except the kept configuration; the schema and
    Django's own tables stay (rows pointing at wiped users, such as admin log entries, go)."""
    tables = sorted(
        {
            model._meta.db_table
            for config in apps.get_app_configs()
            if config.name.startswith("openprm.")
            for model in config.get_models(include_auto_created=True)
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label_lower not in KEEP_ON_RESET
        }
    )
    # PostgreSQL refuses to TRUNCATE tables with deferred foreign-key checks still pending
    # in the transaction; running the checks now clears them.
    connection.check_constraints()
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    )


def generate(
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    today: date | None = None,
    say: Callable[[str], None] = print,
) -> dict[str, int]:
    """Write the whole demo program into an empty one; returns how many rows of each kind."""
    demo = Demo(
        rng=random.Random(seed),
        today=today or timezone.localdate(),
        scale=scale,
        say=say,
        password_hash=make_password(catalog.PASSWORD),
    )
    with transaction.atomic():
        build_vendor(demo)
        build_partners(demo)
        build_certifications(demo)
        ensure_configuration(demo)
        build_customers(demo)
        assign_books(demo)
        build_contacts_and_notes(demo)
        won = build_opportunities(demo)
        build_shared_deals(demo)
        build_referrals(demo)
        plans = build_subscriptions(demo, won)
        build_usage(demo, plans)
        build_points(demo)
        build_goals(demo)
        build_dashboard(demo)
    return demo.counts


def load(
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    reset: bool = False,
    today: date | None = None,
    say: Callable[[str], None] = print,
) -> dict[str, int] | None:
    """Load the demo unless it is already there (None then); with `reset`, replace whatever
    program the database holds. One transaction: a failure leaves the database as it was."""
    with transaction.atomic():
        if reset:
            wipe_program_data()
            say("Wiped the program's data.")
        elif demo_loaded():
            say(f"The demo program ({catalog.VENDOR_NAME}) is already loaded; nothing to do.")
            return None
        else:
            _check_empty()
        return generate(seed=seed, scale=scale, today=today, say=say)
