"""The output schemas of a shared deal, which its notes' and its conversion's operations answer
with too."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from openprm.core.api import IsoDate, Ref
from openprm.core.money import from_minor
from openprm.crm.models import OpportunityState, Source
from openprm.deals.models import Deal
from openprm.deals.notes.selectors import shared_attachments


class UserRef(Schema):
    id: int
    full_name: str


class PipelineStageOut(Schema):
    id: int
    name: str
    outcome: OpportunityState
    position: int


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class DealOut(Schema):
    id: int
    partner: Ref = Field(alias="organization")
    customer: Ref
    contact_id: int | None
    name: str
    amount: Decimal
    mrr: Decimal
    currency: str
    state: OpportunityState
    stage: PipelineStageOut | None
    close_date: IsoDate
    closed_on: IsoDate | None
    products: list[Ref]
    compensation_eligible: bool
    quotes: list[AttachmentOut] = Field(description="The files of the deal's shared messages.")
    introduction_note: str
    pain: str
    next_steps: str
    assigned_rep: UserRef | None
    partner_owner: UserRef | None
    source: Source
    vendor_crm_id: str = Field(description="The deal's id in the vendor's CRM.")
    partner_crm_id: str = Field(description="The deal's id in the partner's CRM.")
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_customer(obj: Deal) -> object:
        return obj.opportunity.customer

    @staticmethod
    def resolve_name(obj: Deal) -> str:
        return obj.opportunity.name

    @staticmethod
    def resolve_amount(obj: Deal) -> Decimal:
        return from_minor(obj.opportunity.amount_minor, obj.opportunity.currency_id)

    @staticmethod
    def resolve_mrr(obj: Deal) -> Decimal:
        return from_minor(obj.opportunity.mrr_minor, obj.opportunity.currency_id)

    @staticmethod
    def resolve_currency(obj: Deal) -> str:
        return obj.opportunity.currency_id

    @staticmethod
    def resolve_state(obj: Deal) -> str:
        return obj.opportunity.state

    @staticmethod
    def resolve_source(obj: Deal) -> str:
        return obj.opportunity.source

    @staticmethod
    def resolve_closed_on(obj: Deal) -> datetime.date | None:
        return obj.opportunity.closed_on

    @staticmethod
    def resolve_products(obj: Deal) -> list:
        return list(obj.opportunity.products.all())

    @staticmethod
    def resolve_quotes(obj: Deal) -> list:
        notes = getattr(obj, "shared_notes_with_files", None)
        if notes is None:
            return list(shared_attachments(deal=obj))
        return sorted((a for note in notes for a in note.attachments.all()), key=lambda a: a.pk)
