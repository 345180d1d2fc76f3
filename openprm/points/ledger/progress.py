"""Points by month (SPEC E7's tier progress chart and E9's progress over time).

One read of the partner's ledger rows, folded month by month in Python: points added (sales,
managed increases) and removed (sold points expiring, managed decreases) per track, and the
active points at each month's end, by the same "counts on a day" rule as every total.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from openprm.accounts.models import Organization
from openprm.core.dates import program_today
from openprm.points.models import PointEntry
from openprm.points.rules import add_months, from_hundredths

MONTHS = 12


@dataclass(frozen=True)
class MonthPoints:
    month: date  # the first of the month
    end: date  # the month's last day, or `on` for the current month
    sold_added: Decimal
    sold_removed: Decimal  # zero or negative
    managed_added: Decimal
    managed_removed: Decimal  # zero or negative
    sold_active: Decimal
    managed_active: Decimal

    @property
    def total_active(self) -> Decimal:
        return self.sold_active + self.managed_active


Row = tuple[str, int, date, date | None]


def month_starts(on: date, months: int) -> list[date]:
    first = on.replace(day=1)
    return [add_months(first, -offset) for offset in range(months - 1, -1, -1)]


def fold_months(rows: list[Row], *, on: date, months: int = MONTHS) -> list[MonthPoints]:
    """The pure fold: `rows` are (track, hundredths, active_from, expires_on)."""
    result = []
    for start in month_starts(on, months):
        end = min(start.replace(day=calendar.monthrange(start.year, start.month)[1]), on)
        sums = dict.fromkeys(
            ("sold_added", "sold_removed", "managed_added", "managed_removed", "sold", "managed"),
            0,
        )
        for track, hundredths, active_from, expires_on in rows:
            if start <= active_from <= end:
                sign = "added" if hundredths > 0 else "removed"
                sums[f"{track}_{sign}"] += hundredths
            if expires_on is not None and start <= expires_on <= end:
                sums[f"{track}_removed"] -= hundredths
            if active_from <= end and (expires_on is None or expires_on > end):
                sums[track] += hundredths
        result.append(
            MonthPoints(
                month=start,
                end=end,
                sold_added=from_hundredths(sums["sold_added"]),
                sold_removed=from_hundredths(sums["sold_removed"]),
                managed_added=from_hundredths(sums["managed_added"]),
                managed_removed=from_hundredths(sums["managed_removed"]),
                sold_active=from_hundredths(sums["sold"]),
                managed_active=from_hundredths(sums["managed"]),
            )
        )
    return result


def ledger_rows(entries: QuerySet[PointEntry], *, on: date, months: int) -> list[Row]:
    """The rows that can matter to the window: started by `on`, not expired before it."""
    first = month_starts(on, months)[0]
    return [
        (track, hundredths, active_from, expires_on)
        for track, hundredths, active_from, expires_on in entries.filter(active_from__lte=on)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=first))
        .values_list("track", "points_hundredths", "active_from", "expires_on")
    ]


def points_by_month(
    *, partner: Organization, on: date | None = None, months: int = MONTHS
) -> list[MonthPoints]:
    day = on or program_today()
    entries = PointEntry.objects.filter(organization=partner)
    return fold_months(ledger_rows(entries, on=day, months=months), on=day, months=months)
