"""Due work of points and tiers for the periodic sweep: posting the ledger, the scheduled
evaluation, certification alerts and warnings of expiring sold points.

The ledger is brought level first, and the evaluation waits until it is, so an evaluation
counts every sale and subscription change recorded up to that sweep.
"""

from datetime import datetime

from openprm.core.dates import program_today
from openprm.core.sweep import due_work
from openprm.points.ledger.services import expiring_points_warn, ledger_catch_up
from openprm.points.tiers.selectors import partners_due_evaluation
from openprm.points.tiers.services import certification_alerts_send, tiers_evaluate_due

# Subscriptions replayed per sweep: a first posting of a large import spreads over several
# sweeps instead of holding one task past OPENPRM_STALE_TASK_MINUTES.
SUBSCRIPTIONS_PER_SWEEP = 200


@due_work("points.ledger_post")
def post_ledger(now: datetime) -> int:
    return ledger_catch_up(on=program_today(now), max_subscriptions=SUBSCRIPTIONS_PER_SWEEP).posted


@due_work("points.tiers_evaluate")
def evaluate_tiers(now: datetime) -> int:
    """Only on a level ledger: while a large import's subscriptions are still being replayed
    (a few hundred per sweep), an evaluation would judge partners on part of their points."""
    _day, due = partners_due_evaluation(now=now)
    if not due.exists():
        return 0
    if ledger_catch_up(on=program_today(now), max_subscriptions=0).deferred:
        return 0
    return tiers_evaluate_due(now=now)


@due_work("points.certification_alerts")
def alert_certification_lapse(now: datetime) -> int:
    return certification_alerts_send(now=now)


@due_work("points.expiry_warnings")
def warn_expiring_points(now: datetime) -> int:
    return expiring_points_warn(now=now)
