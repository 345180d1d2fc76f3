"""Due work of tiers for the periodic sweep: the scheduled evaluation and certification alerts."""

from datetime import datetime

from openprm.core.sweep import due_work
from openprm.points.tier_services import certification_alerts_send, tiers_evaluate_due


@due_work("points.tiers_evaluate")
def evaluate_tiers(now: datetime) -> int:
    return tiers_evaluate_due(now=now)


@due_work("points.certification_alerts")
def alert_certification_lapse(now: datetime) -> int:
    return certification_alerts_send(now=now)
