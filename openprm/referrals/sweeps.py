"""Due work of referrals, found by the periodic sweep (openprm.core.sweep)."""

import datetime

from openprm.core.sweep import due_work
from openprm.referrals.lifecycle.services import referrals_expire


@due_work("referrals.expire")
def expire_referrals(now: datetime.datetime) -> int:
    return referrals_expire(now=now)
