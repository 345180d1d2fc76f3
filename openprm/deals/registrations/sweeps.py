"""Due work of registrations, found by the periodic sweep (openprm.core.sweep)."""

import datetime

from openprm.core.sweep import due_work
from openprm.deals.registrations.services import registrations_expire, registrations_warn


@due_work("deals.registrations_expire")
def expire_registrations(now: datetime.datetime) -> int:
    return registrations_expire(now=now)


@due_work("deals.registrations_warn")
def warn_before_expiry(now: datetime.datetime) -> int:
    return registrations_warn(now=now)
