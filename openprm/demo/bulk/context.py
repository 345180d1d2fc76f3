"""What the steps of the measuring program share: compact rows, not model instances, since
millions of them are drawn."""

import random
from dataclasses import dataclass, field
from datetime import date

from openprm.demo.bulk.sizes import Size
from openprm.demo.bulk.writer import BulkWriter, Progress


@dataclass
class Partner:
    """One partner as the bulk steps see it; `share` is its fraction of the program's volume."""

    id: int
    share: float
    countries: list[str]
    locations: dict[str, int]  # country -> location id
    domain: str
    admin_id: int
    user_ids: list[int] = field(default_factory=list)
    customers: list[int] = field(default_factory=list)  # indexes into Program.customers


@dataclass(frozen=True)
class CustomerRow:
    id: int
    name: str
    currency: str
    country: str


@dataclass
class Program:
    rng: random.Random
    today: date
    size: Size
    writer: BulkWriter
    progress: Progress
    vendor_id: int = 0
    rep_ids: list[int] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    customers: list[CustomerRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, label: str, number: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + number
