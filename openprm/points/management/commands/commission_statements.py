"""Write the commission statements of every closed quarter that has none yet (idempotent)."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openprm.core.dates import program_today
from openprm.points.commissions.services import statements_generate


class Command(BaseCommand):
    help = "Write the missing commission statements of closed quarters; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=datetime.date.fromisoformat, help="Today, by default.")

    def handle(self, *args: Any, **options: Any) -> None:
        written = statements_generate(on=options["on"] or program_today())
        self.stdout.write(f"Commission statements written: {written}")
