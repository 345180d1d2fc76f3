"""Due work of the dashboard, found by the periodic sweep (openprm.core.sweep)."""

import datetime

from django.utils import timezone

from openprm.core.sweep import due_work
from openprm.dashboard.commissions import statements_generate


@due_work("dashboard.commission_statements")
def write_commission_statements(now: datetime.datetime) -> int:
    return statements_generate(on=timezone.localdate(now))
