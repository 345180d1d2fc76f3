"""The dashboard's reports (E3, E4): the rows behind each figure, one row per ledger entry or
opportunity, unsummarized.

The figure on the dashboard, the report page, "Use in list", "Save as report" and "Export
unsummarized data" all read `report_rows`, so an export has exactly the rows the report shows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openprm.accounts.models import Organization
from openprm.core.dates import program_days
from openprm.core.money import from_minor
from openprm.core.replica import reads_reports
from openprm.crm.models import Opportunity, OpportunityKind, OpportunityState, Source
from openprm.crm.selectors import openable_opportunity_ids
from openprm.dashboard.models import ReportKind
from openprm.dashboard.periods import Period
from openprm.points.models import PointEntry, Track
from openprm.points.rules import from_hundredths

POINT_KINDS = (
    ReportKind.NEW_SOLD,
    ReportKind.LOST_SOLD,
    ReportKind.NEW_MANAGED,
    ReportKind.LOST_MANAGED,
)
SALES_KINDS = (
    ReportKind.VENDOR_DEALS_CREATED,
    ReportKind.SOURCED_IN_FLIGHT,
    ReportKind.CLOSED_WON,
)

POINT_COLUMNS: tuple[str | Promise, ...] = (
    _("Customer"), _("Customer ID"), _("Track"), _("Points"), _("Date"), _("Cause"),
    _("Rule version"),
)  # fmt: skip
SALES_COLUMNS: tuple[str | Promise, ...] = (
    _("Deal"), _("Customer"), _("Customer ID"), _("Kind"), _("Source"), _("State"), _("Amount"),
    _("MRR"), _("Currency"), _("Created"), _("Closed"),
)  # fmt: skip

Cell = str | int | Decimal | date | None

NOT_OPENABLE = _("A referral outside your scope")


@dataclass(frozen=True)
class Report:
    kind: str
    period: Period
    columns: tuple[str | Promise, ...]
    rows: list[list[Cell]]
    customer_ids: list[int]  # the customers behind the rows, first appearance first
    customers: list[tuple[int, str]]  # (id, name), the same order

    @property
    def title(self) -> str | Promise:
        return ReportKind(self.kind).label

    @property
    def total(self) -> Decimal | int:
        """Points for the tier reports, a count of deals for the shared-sales ones."""
        if self.kind not in POINT_KINDS:
            return len(self.rows)
        total = Decimal("0.00")
        for row in self.rows:
            cell = row[3]
            if isinstance(cell, Decimal):
                total += cell
        return total


def _entries(user: Any, partner: Organization) -> QuerySet[PointEntry]:
    return (
        PointEntry.objects.for_user(user)
        .filter(organization=partner)
        .select_related("customer", "rule_version")
    )


def _point_entries(kind: str, user: Any, partner: Organization, period: Period) -> QuerySet:
    entries = _entries(user, partner)
    span = (period.start, period.end)
    if kind == ReportKind.NEW_SOLD:
        return entries.filter(track=Track.SOLD, active_from__range=span)
    if kind == ReportKind.LOST_SOLD:
        return entries.filter(track=Track.SOLD, expires_on__range=span)
    if kind == ReportKind.NEW_MANAGED:
        return entries.filter(track=Track.MANAGED, active_from__range=span, points_hundredths__gt=0)
    return entries.filter(track=Track.MANAGED, active_from__range=span, points_hundredths__lt=0)


def _point_row(kind: str, entry: PointEntry) -> list[Cell]:
    # Lost points are shown as the amount lost; the ledger holds them as negative entries.
    points = from_hundredths(abs(entry.points_hundredths))
    day = entry.expires_on if kind == ReportKind.LOST_SOLD else entry.active_from
    return [
        entry.customer.name,
        entry.customer_id,
        str(Track(entry.track).label),
        points,
        day,
        entry.get_cause_kind_display(),
        entry.rule_version.version,
    ]


def _opportunities(kind: str, user: Any, partner: Organization, period: Period) -> QuerySet:
    opportunities = (
        Opportunity.objects.for_user(user).filter(organization=partner).select_related("customer")
    )
    start, end = program_days(period.start, period.end)
    opened = Q(opened_at__gte=start, opened_at__lt=end)
    if kind == ReportKind.VENDOR_DEALS_CREATED:
        return opportunities.filter(opened, kind=OpportunityKind.SHARED_DEAL)
    if kind == ReportKind.SOURCED_IN_FLIGHT:
        return opportunities.filter(opened, source=Source.SOURCED, state=OpportunityState.OPEN)
    return opportunities.filter(
        state=OpportunityState.WON, closed_on__range=(period.start, period.end)
    )


def _opportunity_row(kind: str, opportunity: Opportunity, openable: set[int]) -> list[Cell]:
    currency = opportunity.currency_id
    # The row still counts (the figure does not depend on who looks); its name is the record's.
    name = opportunity.name if opportunity.pk in openable else str(NOT_OPENABLE)
    return [
        name,
        opportunity.customer.name,
        opportunity.customer_id,
        opportunity.get_kind_display(),
        opportunity.get_source_display(),
        opportunity.get_state_display(),
        from_minor(opportunity.amount_minor, currency),
        from_minor(opportunity.mrr_minor, currency),
        currency,
        opportunity.opened_at.date(),
        opportunity.closed_on,
    ]


ORDER = {
    ReportKind.NEW_SOLD: ("active_from", "id"),
    ReportKind.LOST_SOLD: ("expires_on", "id"),
    ReportKind.NEW_MANAGED: ("active_from", "id"),
    ReportKind.LOST_MANAGED: ("active_from", "id"),
    ReportKind.VENDOR_DEALS_CREATED: ("opened_at", "id"),
    ReportKind.SOURCED_IN_FLIGHT: ("opened_at", "id"),
    ReportKind.CLOSED_WON: ("closed_on", "id"),
}


def report_queryset(*, user: Any, partner: Organization, kind: str, period: Period) -> QuerySet:
    """The records behind a report, oldest first, scoped to what `user` may see."""
    source: Callable[..., QuerySet] = _point_entries if kind in POINT_KINDS else _opportunities
    return source(kind, user, partner, period).order_by(*ORDER[ReportKind(kind)])


@reads_reports
def report_row_count(*, user: Any, partner: Organization, kind: str, period: Period) -> int:
    return report_queryset(user=user, partner=partner, kind=kind, period=period).count()


@reads_reports
def report_rows(*, user: Any, partner: Organization, kind: str, period: Period) -> Report:
    records = list(report_queryset(user=user, partner=partner, kind=kind, period=period))
    customers: dict[int, str] = {}
    for record in records:
        customers.setdefault(record.customer_id, record.customer.name)
    if kind in POINT_KINDS:
        rows = [_point_row(kind, record) for record in records]
    else:
        openable = openable_opportunity_ids(user=user, opportunity_ids=[r.pk for r in records])
        rows = [_opportunity_row(kind, record, openable) for record in records]
    return Report(
        kind=kind,
        period=period,
        columns=POINT_COLUMNS if kind in POINT_KINDS else SALES_COLUMNS,
        rows=rows,
        customer_ids=list(customers),
        customers=list(customers.items()),
    )


def cell_text(value: Cell) -> str:
    """How a cell is written to a file: ISO dates, plain decimals, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
