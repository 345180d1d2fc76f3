"""The first rule version (SPEC E12); the program admin publishes new versions from it.

Tier thresholds are configuration the seed leaves to the vendor; these follow the shape of the
best-known program (each tier roughly two and a half times the one below, a fifth of it sold
and two fifths managed).
"""

from decimal import Decimal

SOURCED_RATE = Decimal("5")
ASSISTED_RATE = Decimal("3")
MANAGED_RATE = Decimal("1")
SOLD_LIFE_MONTHS = 12
DEMOTION_GRACE_MONTHS = 3  # one quarter

TIERS = [
    {"name": "Gold", "threshold": "150", "sold_minimum": "30", "managed_minimum": "60"},
    {"name": "Platinum", "threshold": "400", "sold_minimum": "80", "managed_minimum": "160"},
    {"name": "Diamond", "threshold": "1250", "sold_minimum": "250", "managed_minimum": "500"},
    {"name": "Elite", "threshold": "3500", "sold_minimum": "700", "managed_minimum": "1400"},
]
