"""Due work of shared deals, found by the periodic sweep (openprm.core.sweep)."""

import datetime

from openprm.core.sweep import due_work
from openprm.deals.extensions import registrations_warn
from openprm.deals.registrations import registrations_expire


@due_work("deals.registrations_expire")
def expire_registrations(now: datetime.datetime) -> int:
    return registrations_expire(now=now)


@due_work("deals.registrations_warn")
def warn_before_expiry(now: datetime.datetime) -> int:
    return registrations_warn(now=now)
