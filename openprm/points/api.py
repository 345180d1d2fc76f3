"""/api/v1/points/ledger, /api/v1/points/calculator and /api/v1/tiers."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, StrictSchema
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.points import calculator, selectors
from openprm.points.models import PointEntry, tier_label

router = Router(tags=["points"])


class CustomerRef(Schema):
    id: int
    name: str


class PointEntryOut(Schema):
    id: int
    partner_id: int = Field(alias="organization_id")
    customer: CustomerRef
    track: str
    points: Decimal
    cause_kind: str
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


class EstimateOut(Schema):
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
    direction: str
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


class TiersOut(Schema):
    rule_version: int
    effective_from: date
    sold_life_months: int
    demotion_grace_months: int
    tiers: list[TierOut]


@router.get("/points/ledger", response={200: list[PointEntryOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_entries(
    request: MemberRequest,
    partner: int | None = None,
    customer: int | None = None,
    track: Literal["sold", "managed"] | None = None,
    active_on: date | None = None,
):
    """Partners get their own entries; the program admin all; a PDM their partners'.

    `active_on` keeps the entries that count on that day, so their sum is the day's total.
    """
    return selectors.point_entries_for_user(
        user=request.user,
        partner_id=partner,
        customer_id=customer,
        track=track,
        active_on=active_on,
    )


@router.get("/points/ledger/{entry_id}", response={200: PointEntryOut, **ERRORS})
def get_entry(request: MemberRequest, entry_id: int, response: HttpResponse) -> PointEntry:
    entry = selectors.point_entry_get(user=request.user, entry_id=entry_id)
    response["ETag"] = f'"{entry.pk}.1"'  # entries never change
    return entry


@router.post("/points/calculator", response={200: EstimateOut, **ERRORS})
def calculate(request: MemberRequest, payload: CalculatorIn):
    """Estimated total, sold and managed points of a sale, by the ledger's own rules."""
    ruleset = selectors.rules_in_force()
    result = calculator.estimate(rules=ruleset.to_rules(), **payload.dict())
    return {"rule_version": ruleset.version, **result.__dict__}


@router.post("/points/calculator/currency", response={200: ConversionOut, **ERRORS})
def convert(request: MemberRequest, payload: ConversionIn):
    """Points to money (the MRR that earns them) or money to points, per track."""
    ruleset = selectors.rules_in_force()
    result = calculator.convert(rules=ruleset.to_rules(), **payload.dict())
    return {
        "rule_version": ruleset.version,
        "total_points": result.total_points,
        "total_value": result.total_value,
        **result.__dict__,
    }


@router.get("/tiers", response={200: TiersOut, **ERRORS})
def tiers(request: MemberRequest):
    """The tier definitions of the rule version in force today."""
    ruleset = selectors.rules_in_force()
    rules = ruleset.to_rules()
    return {
        "rule_version": ruleset.version,
        "effective_from": ruleset.effective_from,
        "sold_life_months": rules.sold_life_months,
        "demotion_grace_months": rules.demotion_grace_months,
        "tiers": [{**tier.__dict__, "label": str(tier_label(tier.name))} for tier in rules.tiers],
    }
