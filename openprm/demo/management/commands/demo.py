"""`manage.py demo` (and `openprm demo`): load the demo program; see openprm.demo."""

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openprm.demo import catalog
from openprm.demo.generator import DEFAULT_SEED, FIXED_LOGINS, DemoConflict, load


def positive_number(value: str) -> float:
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
        "Does nothing when it is already loaded; --reset wipes the program's data first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="wipe every organization, user and record (not the schema) and load again",
        )
        parser.add_argument(
            "--scale",
            type=positive_number,
            default=1.0,
            help="multiply the partners, customers and opportunities (default 1; "
            "fractions give a small program)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"seed of the random data (default {DEFAULT_SEED}: the same data everywhere)",
        )

    def handle(self, *args: Any, reset: bool, scale: float, seed: int, **options: Any) -> None:
        started = time.perf_counter()
        try:
            counts = load(seed=seed, scale=scale, reset=reset, say=self.stdout.write)
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        if counts is None:
            return
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded in {time.perf_counter() - started:.1f} s:")
        )
        for label, number in counts.items():
            self.stdout.write(f"  {label:<16} {number:>7}")
        self.stdout.write(
            f"Sign in as any of {', '.join(FIXED_LOGINS)} with the password {catalog.PASSWORD}."
        )
