"""The first rule version (SPEC E12); the program admin publishes new versions from it.

Tier thresholds are configuration the seed leaves to the vendor; these follow the shape of the
best-known program (each tier roughly two and a half times the one below, a fifth of it sold
and two fifths managed).
"""

import datetime
from decimal import Decimal
from typing import Any

SOURCED_RATE = Decimal("5")
ASSISTED_RATE = Decimal("3")
MANAGED_RATE = Decimal("1")
SOLD_LIFE_MONTHS = 12
DEMOTION_GRACE_MONTHS = 3  # one quarter
# Monthly; not in first_version(): migration 0002's historical model has no such field, and
# the model field's default gives version 1 this value.
EVALUATION_INTERVAL_MONTHS = 1

TIERS = [
    {"name": "Gold", "threshold": "150", "sold_minimum": "30", "managed_minimum": "60"},
    {"name": "Platinum", "threshold": "400", "sold_minimum": "80", "managed_minimum": "160"},
    {"name": "Diamond", "threshold": "1250", "sold_minimum": "250", "managed_minimum": "500"},
    {"name": "Elite", "threshold": "3500", "sold_minimum": "700", "managed_minimum": "1400"},
]

# Before any sale the program could have: every past close date has rules.
FIRST_EFFECTIVE_FROM = datetime.date(2000, 1, 1)


def first_version(currency_model: Any, market_model: Any) -> dict[str, Any]:
    """Version 1's values, with the currency and growth-market tables as they stand.

    Takes the models as arguments so the data migration can pass its historical ones.
    """
    return {
        "version": 1,
        "effective_from": FIRST_EFFECTIVE_FROM,
        "note": "Default rules (SPEC E12).",
        "sourced_rate": SOURCED_RATE,
        "assisted_rate": ASSISTED_RATE,
        "managed_rate": MANAGED_RATE,
        "usd100_equivalents": {
            c.code: str(c.usd100_equivalent) for c in currency_model.objects.all()
        },
        "market_multipliers": {
            str(m.country): str(m.point_multiplier)
            for m in market_model.objects.filter(is_growth=True)
        },
        "sold_life_months": SOLD_LIFE_MONTHS,
        "tiers": TIERS,
        "demotion_grace_months": DEMOTION_GRACE_MONTHS,
    }
