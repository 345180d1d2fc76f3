"""`manage.py demo` (and `openprm demo`): load the demo program; see openprm.demo."""

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openprm.demo import catalog
from openprm.demo.bulk.build import load_size
from openprm.demo.bulk.sizes import SIZES
from openprm.demo.generator import DEFAULT_SEED, FIXED_LOGINS, DemoConflict, load


def positive_number(value: str) -> float | str:
    """A multiplier of the named demo, or one of the sizes' names (`--scale large`)."""
    if value in SIZES:
        return value
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be a number above 0, not {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Load the demo program (Contoso Software, its partners and two years of history). "
        "Does nothing when it is already loaded; --reset wipes the program's data first. "
        "--size builds a program for measuring, replacing the demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="wipe every organization, user and record (not the schema) and load again",
        )
        sizes = parser.add_mutually_exclusive_group()
        sizes.add_argument(
            "--scale",
            type=positive_number,
            default=1.0,
            help="multiply the partners, customers and opportunities (default 1; "
            "fractions give a small program), or a size's name, as --size",
        )
        sizes.add_argument(
            "--size",
            choices=sorted(SIZES),
            help="replace the program with the demo grown to a size for measuring: "
            + "; ".join(
                f"{s.name} {s.partners:,} partners, {s.opportunities:,} opportunities, "
                f"{s.ledger_entries:,} ledger entries"
                for s in SIZES.values()
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="with --size: replace even a real (non-demo) program",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"seed of the random data (default {DEFAULT_SEED}: the same data everywhere)",
        )

    def handle(
        self, *args: Any, reset: bool, scale: float | str, size: str | None, force: bool, seed: int,
        **options: Any,
    ) -> None:  # fmt: skip
        started = time.perf_counter()
        if isinstance(scale, str):
            size, scale = scale, 1.0
        counts: dict[str, int] | None
        try:
            if size is not None:
                counts = load_size(size=size, seed=seed, force=force, say=self.stdout.write)
            else:
                counts = load(seed=seed, scale=scale, reset=reset, say=self.stdout.write)
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        if counts is None:
            return
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded in {time.perf_counter() - started:.1f} s:")
        )
        for label, number in counts.items():
            self.stdout.write(f"  {label:<16} {number:>9}")
        self.stdout.write(
            f"Sign in as any of {', '.join(FIXED_LOGINS)} with the password {catalog.PASSWORD}."
        )
