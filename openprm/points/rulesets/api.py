"""/api/v1/settings/points-rules and /api/v1/settings/tiers: the program admin reads the points
rule versions and publishes a new one, effective from a later day, as Program settings' *Rule
sets* does; a published version is never changed. New tiers are a new version too. Anyone else
gets a 403."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, IsoDate, StrictSchema
from openprm.points.rulesets import selectors, services

router = Router(tags=["settings"])

Rate = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=2)]
Points = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]


class TierIn(StrictSchema):
    name: str = Field(min_length=1, max_length=50)
    threshold: Points = Field(description="Total points the tier needs.")
    sold_minimum: Points = Decimal(0)
    managed_minimum: Points = Decimal(0)


class TierSettingOut(Schema):
    name: str
    threshold: Decimal
    sold_minimum: Decimal
    managed_minimum: Decimal


class RuleVersionIn(StrictSchema):
    effective_from: IsoDate = Field(description="Tomorrow at the earliest, after the latest's.")
    note: str = Field("", max_length=300, description="The reason for the change.")
    sourced_rate: Rate | None = None
    assisted_rate: Rate | None = None
    managed_rate: Rate | None = None
    sold_life_months: int | None = Field(None, ge=1, le=600)
    tiers: list[TierIn] | None = Field(None, max_length=50, description="Lowest first.")
    demotion_grace_months: int | None = Field(None, ge=0, le=600)
    evaluation_interval_months: int | None = Field(None, ge=1, le=120)


class TiersIn(StrictSchema):
    effective_from: IsoDate = Field(description="Tomorrow at the earliest, after the latest's.")
    note: str = Field("", max_length=300)
    tiers: list[TierIn] = Field(min_length=1, max_length=50, description="Lowest first.")


class RuleVersionOut(Schema):
    version: int
    effective_from: date
    note: str
    created_at: datetime
    sourced_rate: Decimal
    assisted_rate: Decimal
    managed_rate: Decimal
    sold_life_months: int
    tiers: list[TierSettingOut]
    demotion_grace_months: int
    evaluation_interval_months: int
    usd100_equivalents: dict[str, Decimal]
    market_multipliers: dict[str, Decimal]


def tier_configs(tiers: list[TierIn]) -> list[dict[str, str]]:
    """Tiers as a rule version keeps them, numbers as text."""
    return [{name: str(value) for name, value in tier.model_dump().items()} for tier in tiers]


def rule_changes(payload: RuleVersionIn) -> dict[str, Any]:
    changes = payload.model_dump(exclude={"effective_from", "note"}, exclude_none=True)
    if payload.tiers is not None:
        changes["tiers"] = tier_configs(payload.tiers)
    return changes


@router.get(
    "/settings/points-rules",
    response={200: list[RuleVersionOut], **ERRORS},
    summary="Every points rule version, newest first",
)
def list_rule_versions(request: MemberRequest):
    return list(selectors.rule_versions(user=request.user))


@router.post(
    "/settings/points-rules",
    response={201: RuleVersionOut, **ERRORS},
    summary="Publish a new points rule version",
)
def publish_rule_version(request: MemberRequest, payload: RuleVersionIn):
    """Settings left out keep the latest version's values."""
    published = services.ruleset_publish(
        actor=request.user,
        effective_from=payload.effective_from,
        note=payload.note,
        **rule_changes(payload),
    )
    return Status(201, published)


@router.put(
    "/settings/tiers",
    response={201: RuleVersionOut, **ERRORS},
    summary="New tier names and thresholds, as a new rule version",
)
def set_tiers(request: MemberRequest, payload: TiersIn):
    published = services.ruleset_publish(
        actor=request.user,
        effective_from=payload.effective_from,
        note=payload.note,
        tiers=tier_configs(payload.tiers),
    )
    return Status(201, published)
