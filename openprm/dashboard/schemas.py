"""The request and response bodies of the dashboard's API (`api.py`): the figures, saved
reports, static customer lists and exports."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from openprm.core.api import IsoDate, PatchSchema, StrictSchema
from openprm.core.pagination import MAX_OFFSET
from openprm.dashboard.models import Export, ExportStatus

KindName = Literal[
    "new_sold", "lost_sold", "new_managed", "lost_managed",
    "vendor_deals_created", "sourced_in_flight", "closed_won",
]  # fmt: skip


class MoneyOut(Schema):
    amount: Decimal
    currency: str
    unconverted: int


class ProgramOut(Schema):
    credited_tier: str | None
    tier_performance: str | None
    total_points: Decimal
    sold_points: Decimal
    managed_points: Decimal
    certified: bool
    next_tier: str | None
    points_to_next_tier: Decimal
    sourced_revenue: MoneyOut
    sourced_mrr: MoneyOut
    retention_percent: Decimal | None = Field(description="12-month average C$R, in percent.")


class MeasureOut(Schema):
    current: Decimal
    required: Decimal
    remaining: Decimal


class TierProgressOut(Schema):
    target: str
    total: MeasureOut
    sold_minimum: MeasureOut
    managed_minimum: MeasureOut


class FigureOut(Schema):
    kind: KindName
    value: Decimal
    customers: int


class RenewalOut(Schema):
    customer_id: int
    customer_name: str
    product: str
    currency: str
    mrr: Decimal
    mrr_change: Decimal
    last_active_user: str
    renewal_manager: str
    renewal_on: IsoDate


class StatementOut(Schema):
    id: int
    quarter_start: IsoDate
    quarter_end: IsoDate
    currency: str = Field(alias="currency_id")
    rate_percent: Decimal
    revenue: Decimal
    commission: Decimal
    payable_on: IsoDate


class CommissionEstimateOut(Schema):
    quarter_start: IsoDate
    quarter_end: IsoDate
    currency: str
    commission: Decimal
    payable_on: IsoDate


class CommissionsOut(Schema):
    past: list[StatementOut]
    upcoming: list[StatementOut]
    current_quarter: list[CommissionEstimateOut]


class VendorTeamOut(Schema):
    pdm_name: str | None
    pdm_email: str | None
    description: str


class DashboardOut(Schema):
    partner_id: int
    start: IsoDate
    end: IsoDate
    program: ProgramOut
    tier_progress: TierProgressOut
    point_changes: list[FigureOut]
    shared_sales: list[FigureOut]
    commissions: CommissionsOut
    renewals: list[RenewalOut]
    vendor_team: VendorTeamOut


class DashboardQuery(Schema):
    partner_id: int | None = Field(None, description="For vendor staff: whose dashboard.")
    start: IsoDate | None = Field(None, description="Start of the sections' date range.")
    end: IsoDate | None = Field(None, description="End of the range (included).")
    tier: str | None = Field(None, max_length=80, description="Target tier of tier progress.")


class SavedReportOut(Schema):
    id: int
    name: str
    description: str
    kind: KindName
    start: IsoDate
    end: IsoDate
    on_dashboard: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class SavedReportIn(StrictSchema):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=2000)
    kind: KindName
    start: IsoDate
    end: IsoDate
    on_dashboard: bool = False


class SavedReportPatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=2000)
    start: IsoDate | None = None
    end: IsoDate | None = None
    on_dashboard: bool | None = None


class ReportRowOut(Schema):
    cells: list[str]


class ReportRunOut(Schema):
    kind: KindName
    start: IsoDate
    end: IsoDate
    columns: list[str]
    total: Decimal
    customer_ids: list[int]
    rows: list[ReportRowOut]


class RunQuery(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ListOut(Schema):
    id: int
    name: str
    member_count: int
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ReportSourceIn(StrictSchema):
    kind: KindName
    start: IsoDate
    end: IsoDate


class ListIn(StrictSchema):
    name: str = Field(min_length=1, max_length=120)
    customer_ids: list[int] = Field(default_factory=list, max_length=10000)
    from_report: ReportSourceIn | None = Field(
        None, description='Add the customers behind this report ("Use in list").'
    )


class ListPatch(StrictSchema):
    name: str = Field(min_length=1, max_length=120)


class MembersIn(StrictSchema):
    customer_ids: list[int] = Field(default_factory=list, max_length=10000)
    from_report: ReportSourceIn | None = None


class MemberOut(Schema):
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    added_at: datetime.datetime


class MembersAddedOut(Schema):
    added: int


class ExportOut(Schema):
    id: int
    name: str
    file_format: Literal["csv", "xlsx"]
    kind: KindName
    start: IsoDate
    end: IsoDate
    status: Literal["queued", "ready", "failed"]
    row_count: int | None
    download_url: str | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_download_url(obj: Export) -> str | None:
        if obj.status != ExportStatus.READY:
            return None
        return f"/api/v1/exports/{obj.pk}/download"


class ExportIn(StrictSchema):
    name: str = Field(min_length=1, max_length=100)
    file_format: Literal["csv", "xlsx"]
    kind: KindName
    start: IsoDate
    end: IsoDate
