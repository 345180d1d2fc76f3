"""`openprm points verify`: recompute the ledger from the source records and report differences."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openprm.core.dates import program_today
from openprm.points.ledger.verify import ledger_differences


class Command(BaseCommand):
    help = "Recompute point entries from opportunities and subscriptions; exit 1 on a difference."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="Check as of this day (ISO)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or program_today()
        differences = ledger_differences(as_of)
        for difference in differences:
            self.stdout.write(str(difference))
        if differences:
            raise CommandError(
                f"{len(differences)} difference(s) between the ledger and the sources."
            )
        self.stdout.write(
            self.style.SUCCESS(f"The ledger matches the source records as of {as_of}.")
        )
