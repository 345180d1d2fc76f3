"""Due work of commissions, found by the periodic sweep (openprm.core.sweep): the statements of
quarters that closed since the last run."""

import datetime

from openprm.core.sweep import due_work
from openprm.points.commissions.services import statements_generate_due


@due_work("points.commission_statements")
def write_commission_statements(now: datetime.datetime) -> int:
    return statements_generate_due(now=now)
