"""/api/v1/points/ledger, /calculator, /breakdown, /customers/{id}, and /api/v1/tiers."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, IsoDate, Ref, StrictSchema
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.crm.models import MarketType, OpportunityKind, Source
from openprm.points import breakdown, calculator
from openprm.points.ledger import selectors as ledger_selectors
from openprm.points.models import (
    CauseKind,
    PointEntry,
    TierChange,
    TierChangeReason,
    Track,
    tier_label,
)
from openprm.points.rulesets.api import router as rulesets_router
from openprm.points.rulesets.selectors import rules_in_force
from openprm.points.tiers import next_tier, selectors

router = Router(tags=["points"])


class PointEntryOut(Schema):
    id: int
    partner_id: int = Field(alias="organization_id")
    customer: Ref
    track: Track
    points: Decimal
    cause_kind: CauseKind
    cause_reference: str
    active_from: date
    expires_on: date | None
    rule_version: int = Field(alias="rule_version.version")
    created_at: datetime


class CalculatorIn(StrictSchema):
    mrr: Decimal = Field(ge=0, max_digits=15, decimal_places=3, description="MRR sold")
    source: Literal["sourced", "assisted"]
    country: str = Field(min_length=2, max_length=2, description="The customer's country")
    currency: str = Field(min_length=3, max_length=3, description="The customer's currency")
    will_manage: bool = False
    other_managing_partners: int = Field(default=0, ge=0, le=1000)


class PointsEstimateOut(Schema):
    rule_version: int
    total: Decimal
    sold: Decimal
    managed: Decimal


class ConversionIn(StrictSchema):
    direction: Literal["points_to_money", "money_to_points"]
    country: str = Field(min_length=2, max_length=2)
    currency: str = Field(min_length=3, max_length=3)
    source: Literal["sourced", "assisted"] = "sourced"
    sold: Decimal = Field(default=Decimal(0), ge=0, max_digits=15, decimal_places=3)
    managed: Decimal = Field(default=Decimal(0), ge=0, max_digits=15, decimal_places=3)


class ConversionOut(Schema):
    rule_version: int
    direction: Literal["points_to_money", "money_to_points"]
    currency: str
    sold_points: Decimal
    managed_points: Decimal
    total_points: Decimal
    sold_value: Decimal
    managed_value: Decimal
    total_value: Decimal


class TierOut(Schema):
    name: str
    label: str
    threshold: Decimal
    sold_minimum: Decimal
    managed_minimum: Decimal


class ShortfallOut(Schema):
    total: Decimal
    sold: Decimal
    managed: Decimal


class TierStatusOut(Schema):
    partner_id: int
    on: date
    certified: bool
    certification_valid_until: date | None
    credited_tier: str = Field(description='The tier the partner holds; "" for none.')
    credited_tier_label: str
    credited_since: date | None
    performance_tier: str = Field(description="The tier current points would earn.")
    performance_tier_label: str
    total_points: Decimal
    sold_points: Decimal
    sourced_points: Decimal
    assisted_points: Decimal
    managed_points: Decimal
    next_tier: str
    next_tier_threshold: Decimal | None
    to_next_tier: ShortfallOut | None
    to_keep_tier: ShortfallOut | None
    below_credited_since: date | None
    demotion_due_on: date | None
    at_risk: bool


class TierChangeOut(Schema):
    id: int
    from_tier: str
    to_tier: str
    changed_on: date
    reason: TierChangeReason
    rule_version: int = Field(alias="rule_version.version")


class TiersOut(Schema):
    rule_version: int
    effective_from: date
    sold_life_months: int
    demotion_grace_months: int
    evaluation_interval_months: int
    tiers: list[TierOut]
    partner: TierStatusOut | None = Field(
        description="The requester's own tier figures, or the `partner` asked for by vendor staff."
    )
    history: list[TierChangeOut]


class PathOpportunityOut(Schema):
    opportunity_id: int
    name: str
    customer_name: str
    source: Source
    mrr: Decimal
    currency: str
    estimated_points: Decimal
    lifts_alone: bool
    lifts_with_larger: bool


class ExpiringOut(Schema):
    entry_id: int
    customer_id: int
    customer_name: str
    points: Decimal
    expires_on: date


class TierPathOut(Schema):
    partner: TierStatusOut
    opportunities: list[PathOpportunityOut]
    sold_cannot_close: bool
    expiring: list[ExpiringOut]
    expiring_total: Decimal
    horizon: date
    performance_after_expiry: str
    drops_credited_tier: bool


class BreakdownRowOut(Schema):
    customer: Ref
    market_type: MarketType
    sold: Decimal
    managed: Decimal
    total: Decimal
    expired_sold: Decimal


class CustomerEntryOut(Schema):
    id: int
    track: Track
    points: Decimal
    cause_kind: CauseKind
    cause_reference: str
    deal_name: str
    deal_type: OpportunityKind | Literal[""]
    source: Source | Literal[""]
    active_from: date
    expires_on: date | None
    rule_version: int
    status: Literal["active", "expired", "upcoming"]


class CustomerPointsOut(Schema):
    customer: Ref
    market_type: MarketType
    on: date
    active_sold: Decimal
    expired_sold: Decimal
    active_managed: Decimal
    active_total: Decimal
    sold_history: list[CustomerEntryOut]
    managed_history: list[CustomerEntryOut]


@router.get("/points/ledger", response={200: list[PointEntryOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_entries(
    request: MemberRequest,
    partner: int | None = None,
    customer: int | None = None,
    track: Literal["sold", "managed"] | None = None,
    active_on: IsoDate | None = None,
):
    """Partners get their own entries; the program admin all; a PDM their partners'.

    `active_on` keeps the entries that count on that day, so their sum is the day's total.
    """
    return ledger_selectors.point_entries_for_user(
        user=request.user,
        partner_id=partner,
        customer_id=customer,
        track=track,
        active_on=active_on,
    )


@router.get("/points/ledger/{entry_id}", response={200: PointEntryOut, **ERRORS})
def get_entry(request: MemberRequest, entry_id: int, response: HttpResponse) -> PointEntry:
    entry = ledger_selectors.point_entry_get(user=request.user, entry_id=entry_id)
    response["ETag"] = f'"{entry.pk}.1"'  # entries never change
    return entry


@router.post("/points/calculator", response={200: PointsEstimateOut, **ERRORS})
def calculate(request: MemberRequest, payload: CalculatorIn):
    """Estimated total, sold and managed points of a sale, by the ledger's own rules."""
    ruleset = rules_in_force()
    result = calculator.estimate(rules=ruleset.to_rules(), **payload.dict())
    return {"rule_version": ruleset.version, **result.__dict__}


@router.post("/points/calculator/currency", response={200: ConversionOut, **ERRORS})
def convert(request: MemberRequest, payload: ConversionIn):
    """Points to money (the MRR that earns them) or money to points, per track."""
    ruleset = rules_in_force()
    result = calculator.convert(rules=ruleset.to_rules(), **payload.dict())
    return {
        "rule_version": ruleset.version,
        "total_points": result.total_points,
        "total_value": result.total_value,
        **result.__dict__,
    }


def status_out(status: selectors.TierStatus) -> dict:
    def shortfall(value: selectors.Shortfall | None) -> dict | None:
        return value.__dict__ if value else None

    return {
        **{
            name: getattr(status, name)
            for name in TierStatusOut.model_fields
            if hasattr(status, name)
        },
        "sourced_points": status.points.sourced,
        "assisted_points": status.points.assisted,
        "to_next_tier": shortfall(status.to_next_tier),
        "to_keep_tier": shortfall(status.to_keep_tier),
    }


@router.get("/tiers", response={200: TiersOut, **ERRORS})
def tiers(request: MemberRequest, partner: int | None = None):
    """The tier definitions in force today; with them the requester's own credited tier,
    tier performance and tier changes (vendor staff name a partner they look after)."""
    ruleset = rules_in_force()
    rules = ruleset.to_rules()
    subject = None
    if request.user.is_partner or partner is not None:
        subject = selectors.partner_for(user=request.user, partner_id=partner)
    changes: list[TierChange] = selectors.tier_changes(partner=subject) if subject else []
    return {
        "rule_version": ruleset.version,
        "effective_from": ruleset.effective_from,
        "sold_life_months": rules.sold_life_months,
        "demotion_grace_months": rules.demotion_grace_months,
        "evaluation_interval_months": rules.evaluation_interval_months,
        "tiers": [{**tier.__dict__, "label": str(tier_label(tier.name))} for tier in rules.tiers],
        "partner": status_out(selectors.tier_status_for(partner=subject)) if subject else None,
        "history": changes,
    }


@router.get("/tiers/path", response={200: TierPathOut, **ERRORS})
def tier_path(request: MemberRequest, partner: int | None = None):
    """The path to the next tier: open opportunities that would lift the partner if won
    (priced by the ledger's own rules), and the points expiring in the next 90 days."""
    subject = selectors.partner_for(user=request.user, partner_id=partner)
    path = next_tier.tier_path(partner=subject)
    return {
        **path.__dict__,
        "partner": status_out(path.status),
        "opportunities": [row.__dict__ for row in path.opportunities],
        "expiring": [row.__dict__ for row in path.expiring],
    }


@router.get("/points/breakdown", response={200: list[BreakdownRowOut], **ERRORS})
@paginate(LimitOffsetPagination)
def points_breakdown(
    request: MemberRequest,
    partner: int | None = None,
    deal_type: OpportunityKind | None = None,
    market_type: MarketType | None = None,
    on: IsoDate | None = None,
):
    """Points by customer (E8): active sold and managed points and expired sold points,
    largest first; `deal_type` keeps customers won with that kind of deal."""
    subject = selectors.partner_for(user=request.user, partner_id=partner)
    rows = breakdown.points_breakdown(
        partner=subject, deal_type=deal_type, market_type=market_type, on=on
    )
    return [
        {
            "customer": {"id": row.customer_id, "name": row.customer_name},
            "market_type": row.market_type,
            "sold": row.sold,
            "managed": row.managed,
            "total": row.total,
            "expired_sold": row.expired_sold,
        }
        for row in rows
    ]


def entry_out(row: breakdown.CustomerEntry) -> dict:
    entry = row.entry
    status = "active" if row.is_active else "expired" if row.is_expired else "upcoming"
    return {
        "id": entry.pk,
        "track": entry.track,
        "points": entry.points,
        "cause_kind": entry.cause_kind,
        "cause_reference": entry.cause_reference,
        "deal_name": row.deal_name,
        "deal_type": entry.opportunity.kind if entry.opportunity else "",
        "source": entry.opportunity.source if entry.opportunity else "",
        "active_from": entry.active_from,
        "expires_on": entry.expires_on,
        "rule_version": entry.rule_version.version,
        "status": status,
    }


@router.get("/points/customers/{customer_id}", response={200: CustomerPointsOut, **ERRORS})
def customer_points(
    request: MemberRequest,
    customer_id: int,
    response: HttpResponse,
    partner: int | None = None,
    on: IsoDate | None = None,
):
    """A customer's sold and managed history for the partner, and which points are active
    or expired; a customer the partner holds no points for answers 404."""
    subject = selectors.partner_for(user=request.user, partner_id=partner)
    detail = breakdown.customer_points_detail(partner=subject, customer_id=customer_id, on=on)
    # The ledger only grows: its newest entry for the customer versions this view of it.
    response["ETag"] = f'"{customer_id}.{detail.latest_entry_id}"'
    return {
        "customer": {"id": detail.customer.pk, "name": detail.customer.name},
        "market_type": detail.customer.market_type,
        "on": detail.on,
        "active_sold": detail.active_sold,
        "expired_sold": detail.expired_sold,
        "active_managed": detail.active_managed,
        "active_total": detail.active_total,
        "sold_history": [entry_out(row) for row in detail.sold],
        "managed_history": [entry_out(row) for row in detail.managed],
    }


router.add_router("", rulesets_router)
