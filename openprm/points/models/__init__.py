"""The points app's models, one module per sub-domain: rule versions, the ledger, tiers and
commissions.

Django registers an app's models from its `models` module, so every model is imported here, and
callers import them from `openprm.points.models`.
"""

from openprm.points.models.commissions import (
    CommissionLine,
    CommissionProgram,
    CommissionSettlement,
    CommissionStatement,
    ImmutableStatement,
)
from openprm.points.models.ledger import (
    CauseKind,
    ExpiryWarning,
    LedgerWatermark,
    PointEntry,
    Track,
    counts_on,
    expires_within,
)
from openprm.points.models.rulesets import ImmutableRow, RuleSet
from openprm.points.models.tiers import TierChange, TierChangeReason, TierEvaluation, tier_label

__all__ = [
    "CauseKind",
    "CommissionLine",
    "CommissionProgram",
    "CommissionSettlement",
    "CommissionStatement",
    "ExpiryWarning",
    "ImmutableRow",
    "ImmutableStatement",
    "LedgerWatermark",
    "PointEntry",
    "RuleSet",
    "TierChange",
    "TierChangeReason",
    "TierEvaluation",
    "Track",
    "counts_on",
    "expires_within",
    "tier_label",
]
