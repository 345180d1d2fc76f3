"""`openprm points post`: bring the ledger level with the source records (run by the worker)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openprm.core.dates import program_today
from openprm.points.ledger.services import ledger_catch_up


class Command(BaseCommand):
    help = "Post the points of won sales and managed subscriptions the ledger does not hold yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on", type=date.fromisoformat, default=None, help="Post up to this day (ISO)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["on"] or program_today()
        done = ledger_catch_up(on=on)
        self.stdout.write(
            f"Posted {done.sales} sale entries and {done.managed} managed entries up to {on}."
        )
        for reference in done.skipped:
            self.stderr.write(f"Skipped {reference}: no rule version in force can price it.")
