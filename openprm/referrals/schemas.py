"""The schemas of /api/v1/referrals: the D9 resource out, the wizard and the actions in."""

import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from openprm.core.api import IsoDate, PatchSchema, Ref, StrictSchema
from openprm.core.money import from_minor
from openprm.crm.models import OpportunityKind
from openprm.deals.models import RegistrationState
from openprm.referrals import selectors
from openprm.referrals.crm_stages.selectors import standard_stage_of
from openprm.referrals.models import (
    DeclineReason,
    Direction,
    LostReason,
    PurchaseTimeframe,
    Referral,
    ReferralRegistration,
    Status,
    Substatus,
)
from openprm.referrals.selectors import ReferralFilters
from openprm.referrals.transitions import API_ACTIONS

# --- output ------------------------------------------------------------------------------------


class ReferralLocationOut(Schema):
    id: int
    name: str
    country: str

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country)


class ReferralStageOut(Schema):
    code: str
    name: str = Field(alias="label")
    percentage: int


class CustomerProfileOut(Schema):
    id: int
    name: str
    duns: str
    domain: str
    address: str
    city: str
    country: str

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country)


class ReferralContactOut(Schema):
    name: str
    phone: str
    email: str
    erased_at: datetime.datetime | None = Field(
        description="When a privacy request erased the contact's data; the consent stays."
    )


class ConsentOut(Schema):
    given: bool
    recorded_by_id: int | None
    recorded_at: datetime.datetime | None


class DetailsOut(Schema):
    value: Decimal
    currency: str
    closing_date: IsoDate | None
    notes: str
    purchase_timeframe: PurchaseTimeframe | Literal[""]
    crm_id: str = Field(description="The referral's id in the partner's CRM.")
    vendor_crm_id: str = Field(description="The referral's id in the vendor's CRM.")
    campaign_id: str


class TeamMemberOut(Schema):
    id: int
    owner: bool = Field(alias="is_owner", description="The deal's owner; one per team.")
    first_name: str
    last_name: str
    phone: str
    email: str
    user_id: int | None


class RegistrationDetailsOut(Schema):
    id: int = Field(alias="registration_id")
    state: RegistrationState = Field(alias="registration.state")
    won_value: Decimal
    currency: str = Field(alias="currency_id")
    closed_on: IsoDate
    account_ids: str
    fast_win: bool

    @staticmethod
    def resolve_won_value(obj: ReferralRegistration) -> Decimal:
        return from_minor(obj.won_value_minor, obj.currency_id)


# The names of POST /referrals/{id}/<name> (and "update", the PATCH) a person may call.
ACTIONS: dict[str, Any] = {"type": "string", "enum": sorted(set(API_ACTIONS.values()))}


class ReferralOut(Schema):
    id: int
    name: str
    deal_type: OpportunityKind
    direction: Direction
    status: Status
    substatus: Substatus
    stage: ReferralStageOut | None
    stages_completed: list[str]
    partner: Ref = Field(alias="organization")
    sender: Ref | None = Field(alias="sender_organization")
    customer: CustomerProfileOut
    contact: ReferralContactOut
    consent: ConsentOut
    specialist_memo: str
    vendor_help_requested: bool
    details: DetailsOut
    location: ReferralLocationOut
    solution: Ref | None = Field(alias="solution_type")
    assessment_location: ReferralLocationOut | None
    team: list[TeamMemberOut]
    expires_at: datetime.datetime | None
    decline_reason: DeclineReason | Literal[""]
    decline_message: str
    lost_reason: LostReason | Literal[""]
    close_note: str
    closed_at: datetime.datetime | None
    registration: RegistrationDetailsOut | None
    allowed_actions: list[str] = Field(json_schema_extra={"items": ACTIONS})
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_name(obj: Referral) -> str:
        return obj.opportunity.name

    @staticmethod
    def resolve_deal_type(obj: Referral) -> str:
        return obj.opportunity.kind

    @staticmethod
    def resolve_status(obj: Referral, context: dict[str, Any]) -> str:
        return selectors.status_for(referral=obj, user=context["request"].user)

    @staticmethod
    def resolve_substatus(obj: Referral, context: dict[str, Any]) -> str:
        return selectors.substatus_for(referral=obj, user=context["request"].user)

    @staticmethod
    def resolve_stages_completed(obj: Referral) -> list[str]:
        return [mark.stage.code for mark in obj.stage_marks.all()]

    @staticmethod
    def resolve_customer(obj: Referral) -> object:
        return obj.opportunity.customer

    @staticmethod
    def resolve_contact(obj: Referral) -> dict[str, Any]:
        return {
            "name": obj.contact_name,
            "phone": obj.contact_phone,
            "email": obj.contact_email,
            "erased_at": obj.contact_erased_at,
        }

    @staticmethod
    def resolve_consent(obj: Referral) -> dict[str, Any]:
        return {
            "given": obj.has_consent,
            "recorded_by_id": obj.consent_recorded_by_id,
            "recorded_at": obj.consent_recorded_at,
        }

    @staticmethod
    def resolve_details(obj: Referral) -> dict[str, Any]:
        opportunity = obj.opportunity
        return {
            "value": from_minor(opportunity.amount_minor, opportunity.currency_id),
            "currency": opportunity.currency_id,
            "closing_date": obj.estimated_close_date,
            "notes": obj.notes,
            "purchase_timeframe": obj.purchase_timeframe,
            "crm_id": obj.crm_id,
            "vendor_crm_id": obj.vendor_crm_id,
            "campaign_id": obj.campaign_id,
        }

    @staticmethod
    def resolve_team(obj: Referral) -> list:
        return list(obj.team_members.all())

    @staticmethod
    def resolve_registration(obj: Referral) -> ReferralRegistration | None:
        return getattr(obj, "registration", None)

    @staticmethod
    def resolve_allowed_actions(obj: Referral, context: dict[str, Any]) -> list[str]:
        return selectors.actions_for(referral=obj, user=context["request"].user)


# --- input -------------------------------------------------------------------------------------

Money = Field(max_digits=18, decimal_places=3)
Text = Field("", max_length=5000)
ShortText = Field("", max_length=100)


class ReferralContactIn(StrictSchema):
    name: str = Field("", max_length=150)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)


class TeamMemberIn(StrictSchema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=40)
    email: str = Field(min_length=1, max_length=254)


class NewCustomerIn(StrictSchema):
    name: str = Field(max_length=200)
    country: str = Field(max_length=2)
    currency: str = Field(max_length=3)
    duns: str = Field("", max_length=20)
    domain: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    city: str = Field("", max_length=120)
    postal_code: str = Field("", max_length=20)


class ReferralIn(StrictSchema):
    """The D2 wizard's six steps in one body."""

    kind: Literal["co_sell", "solution_assessment"]
    customer_id: int | None = Field(None, description="A directory customer; or new_customer.")
    new_customer: NewCustomerIn | None = None
    contact: ReferralContactIn | None = None
    consent: bool = Field(False, description="The customer agreed to share the contact.")
    specialist_memo: str = Text
    vendor_help_requested: bool = False
    name: str = Field(max_length=200)
    location_id: int
    value: Decimal = Money
    currency: str = Field(max_length=3)
    estimated_close_date: IsoDate
    crm_id: str = ShortText
    vendor_crm_id: str = ShortText
    campaign_id: str = ShortText
    notes: str = Field(max_length=5000)
    team: list[TeamMemberIn] = Field(max_length=50)
    solution_type_ids: list[int] = Field(default_factory=list, max_length=10)
    assessment_location_id: int | None = None
    agreed: bool


class SendIn(StrictSchema):
    partner_id: int
    customer_id: int
    name: str = Field(max_length=200)
    value: Decimal = Money
    currency: str = Field(max_length=3)
    notes: str = Field(max_length=5000)
    location_id: int | None = Field(None, description="Default: the partner's office there.")
    contact: ReferralContactIn | None = None
    consent: bool = False
    estimated_close_date: IsoDate | None = None
    vendor_crm_id: str = Field(
        "", max_length=100, description="The referral's id in the vendor's CRM; the vendor only."
    )


class AcceptIn(StrictSchema):
    notes: str = Field(max_length=5000)
    name: str | None = Field(None, max_length=200)
    value: Decimal | None = Field(None, max_digits=18, decimal_places=3)
    purchase_timeframe: PurchaseTimeframe | Literal[""] = ""
    crm_id: str = ShortText
    campaign_id: str = ShortText
    team: list[TeamMemberIn] = Field(default_factory=list, max_length=50)


class DeclineIn(StrictSchema):
    reason: DeclineReason
    message: str = Text


class ReferralPatch(PatchSchema):
    """D5 "Edit". location_id, solution_type_ids and assessment_location_id are named so that
    the answer can say clearly that they never change after creation."""

    name: str | None = Field(None, max_length=200)
    estimated_close_date: IsoDate | None = None
    value: Decimal | None = Field(None, max_digits=18, decimal_places=3)
    notes: str | None = Field(None, max_length=5000)
    crm_id: str | None = Field(None, max_length=100)
    vendor_crm_id: str | None = Field(None, max_length=100)
    campaign_id: str | None = Field(None, max_length=100)
    purchase_timeframe: PurchaseTimeframe | Literal[""] | None = None
    crm_stage: str | None = Field(None, max_length=80, description="Your CRM's stage name.")
    stage_percentage: int | None = Field(None, ge=0, le=100)
    location_id: int | None = None
    solution_type_ids: list[int] | None = None
    assessment_location_id: int | None = None


class StagesIn(StrictSchema):
    """One of: a standard stage code, your CRM's stage name, or a percentage."""

    stage: str | None = Field(None, max_length=40)
    crm_stage: str | None = Field(None, max_length=80)
    percentage: int | None = Field(None, ge=0, le=100)


class CloseIn(StrictSchema):
    outcome: Literal["won", "lost"]
    lost_reason: LostReason | Literal[""] = ""
    note: str = Text
    closed_on: IsoDate | None = None
    value: Decimal | None = Field(None, max_digits=18, decimal_places=3)
    mrr: Decimal | None = Field(None, max_digits=18, decimal_places=3)


class TeamIn(StrictSchema):
    members: list[TeamMemberIn] = Field(min_length=1, max_length=50)


class TeamMemberPatch(PatchSchema):
    """A key left out keeps its value; `owner: true` makes the member the deal's owner."""

    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    phone: str | None = Field(None, min_length=1, max_length=40)
    email: str | None = Field(None, min_length=1, max_length=254)
    owner: bool | None = None


class TeamMemberRemoval(Schema):
    new_owner_id: int | None = Field(
        None, description="Required when the owner leaves: the member who owns the deal next."
    )


class RegistrationIn(StrictSchema):
    won_value: Decimal = Money
    closed_on: IsoDate
    account_ids: str = Field(max_length=500)


Ordering = Literal[
    "created", "-created", "name", "-name", "value", "-value", "close_date", "-close_date",
    "expires", "-expires", "stage", "-stage",
]  # fmt: skip


class ListFilters(Schema):
    tab: Literal["", "inbound", "outbound", "closed"] = ""
    deal_type: Literal["", "co_sell", "solution_assessment"] = ""
    status: Literal["", "new", "active", "closed"] = ""
    substatus: Literal["", "received", "accepted", "won", "lost", "declined", "expired"] = ""
    stage: str = Field("", max_length=40)
    location_id: int | None = None
    close_from: IsoDate | None = None
    close_to: IsoDate | None = None
    campaign_id: str = Field("", max_length=100)
    crm_id: str = Field("", max_length=100, description="The partner's CRM id.")
    vendor_crm_id: str = Field("", max_length=100)
    q: str = Field("", max_length=200)
    ordering: Ordering = "-created"

    def to_filters(self) -> ReferralFilters:
        return ReferralFilters(**self.dict())


class ExportFilters(ListFilters):
    format: Literal["csv", "xlsx"] = "csv"

    def to_filters(self) -> ReferralFilters:
        data = self.dict()
        data.pop("format")
        return ReferralFilters(**data)


class SalesStageOut(Schema):
    code: str
    name: str = Field(alias="label")
    percentage: int
    position: int


class SolutionTypeOut(Schema):
    id: int
    name: str
    registration_eligible: bool


class CrmStageOut(Schema):
    id: int
    name: str
    percentage: int
    maps_to: ReferralStageOut | None

    @staticmethod
    def resolve_maps_to(obj: Any, context: dict[str, Any]) -> object:
        return standard_stage_of(percentage=obj.percentage)


class CrmStageIn(StrictSchema):
    name: str = Field(min_length=1, max_length=80)
    percentage: int = Field(ge=0, le=100)


class CampaignOut(Schema):
    campaign_id: str
    created: int
    won: int
    lost: int
    won_value: dict[str, Decimal]
    win_rate: Decimal | None
